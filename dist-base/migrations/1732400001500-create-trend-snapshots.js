/** Leaderboards computed by the momentum job, newest last; changes are diffed against the previous one. */
export class CreateTrendSnapshots1732400001500 {
    name = 'CreateTrendSnapshots1732400001500';
    async up(q) {
        await q.query(`CREATE TABLE "trend_snapshots" (
      "id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL,
      "computed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "short_window_minutes" integer NOT NULL,
      "baseline_minutes" integer NOT NULL,
      "items" jsonb NOT NULL,
      "changes" jsonb NOT NULL,
      CONSTRAINT "pk_trend_snapshots" PRIMARY KEY ("id"))`);
        await q.query(`CREATE INDEX "idx_trend_snapshots_computed_at" ON "trend_snapshots" ("computed_at")`);
    }
    async down(q) {
        await q.query(`DROP TABLE "trend_snapshots"`);
    }
}
//# sourceMappingURL=1732400001500-create-trend-snapshots.js.map