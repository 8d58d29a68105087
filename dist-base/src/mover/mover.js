import { addDays } from '../events/archive-days.js';
import { moverMetrics } from './mover.metrics.js';
export const moverOptionsOf = (cfg) => ({
    hotWindowMs: cfg.MOVER_HOT_WINDOW,
    batchSize: cfg.MOVER_BATCH_SIZE,
    maxBatchesPerRun: cfg.MOVER_MAX_BATCHES_PER_RUN,
    archiveVectors: cfg.MOVER_ARCHIVE_VECTORS,
    vacuum: cfg.MOVER_VACUUM,
    retentionDays: cfg.MOVER_ARCHIVE_RETENTION_DAYS,
    partitionsAheadDays: cfg.MOVER_PARTITIONS_AHEAD_DAYS,
});
export { MOVE_LEASE_KEY } from '../events/events.repository.js';
/**
 * Hot → archive tiering and archive retention, all decided by the database clock (`now()` in SQL,
 * never the worker's clock).
 *
 * A batch is one transaction of one statement: claim the oldest hot rows past the window, copy
 * them into the archive, delete them from the hot table, and move (or drop) their vectors. A crash
 * anywhere before COMMIT rolls the whole batch back, so every row is in exactly one tier.
 *
 * How a batch claims its rows:
 * - Each batch first tries the move lease: a transaction-scoped advisory lock, taken
 *   exclusively. A lone mover (the usual case: one schedule, one runner) gets it, so no other
 *   batch runs beside it. Stored events are never updated and only the mover deletes them, so
 *   the rows its statement reads are exactly the rows it moves: it copies them into the archive
 *   and deletes them by address, with no row locks. Locking each row FOR UPDATE would write a
 *   WAL record per row, and the delete would then re-read each row for RETURNING: about 15 % of
 *   a batch's time.
 * - A batch that does not get the lease takes the same lock in shared mode: it waits for the
 *   lease holder's batch to end (one batch, tens of ms) and then runs beside any other shared
 *   holder. Those batches claim FOR UPDATE SKIP LOCKED: each skips rows another one holds and
 *   never waits for them. The DELETE removes exactly the locked rows and only what it returned
 *   goes into the archive.
 * So no row is moved twice and no row is missed: a row a batch passed over stays hot and past
 * the window, and the next run starts again from the oldest. Lock waits only go one way
 * (shared waits for exclusive, which waits for nothing), so there is no deadlock.
 */
export class Mover {
    events;
    opts;
    hooks;
    stopping = false;
    /** Events this mover deleted from the hot table since it last vacuumed it. */
    deletedSinceVacuum = 0;
    constructor(events, opts, hooks = {}) {
        this.events = events;
        this.opts = opts;
        this.hooks = hooks;
    }
    /** Ends a run in progress after its current batch. */
    stop() {
        this.stopping = true;
    }
    /** One run: partitions ahead, batches until caught up (or the per-run cap), orphan vectors, retention. */
    async run() {
        const t0 = performance.now();
        const report = { moved: 0, batches: 0, durationMs: 0, oldestHotAgeSeconds: null, lagSeconds: 0, vectorsArchived: 0, vectorsDeleted: 0, claims: { lease: 0, row_locks: 0 }, partitionsCreated: [], vacuumed: [] };
        /** Newest ingested_at this run moved: where its next batch starts, and the lag check too. */
        let after = null;
        try {
            report.partitionsCreated = await this.ensurePartitions();
            while (!this.stopping && report.batches < this.opts.maxBatchesPerRun) {
                const b = await this.moveBatch(after);
                report.batches++;
                report.moved += b.moved;
                report.vectorsArchived += b.vectorsArchived;
                report.vectorsDeleted += b.vectorsDeleted;
                if (b.moved)
                    report.claims[b.claim]++;
                after = b.maxIngestedAt ?? after;
                if (b.moved < this.opts.batchSize)
                    break;
            }
            const orphans = await this.sweepOrphanVectors();
            report.vectorsArchived += orphans.archived;
            report.vectorsDeleted += orphans.deleted;
            if (this.opts.retentionDays > 0)
                report.purge = await this.purge();
            if (this.opts.vacuum)
                report.vacuumed = await this.vacuumIfNeeded();
            moverMetrics.runs.inc({ result: 'ok' });
        }
        catch (err) {
            report.error = err.message;
            moverMetrics.runs.inc({ result: 'failed' });
        }
        try {
            const lag = await this.lag(after);
            report.oldestHotAgeSeconds = lag.oldestHotAgeSeconds;
            report.lagSeconds = lag.lagSeconds;
            moverMetrics.oldestHotAgeSeconds.set(lag.oldestHotAgeSeconds ?? 0);
            moverMetrics.lagSeconds.set(lag.lagSeconds);
        }
        catch {
            // The run's outcome is already recorded; lag is reported again next run.
        }
        report.durationMs = performance.now() - t0;
        moverMetrics.runSeconds.observe(report.durationMs / 1000);
        return report;
    }
    /**
     * Moves up to batchSize rows in one transaction. `after` (the previous batch's newest
     * ingested_at, as Postgres text) lets a run continue where it left off instead of rescanning
     * the index entries it just deleted; rows skipped because another mover holds them are that
     * mover's, and anything left behind is picked up by the next run, which starts from the oldest.
     */
    async moveBatch(after = null) {
        const t0 = performance.now();
        const b = await this.events.moveBatch({ hotWindowMs: this.opts.hotWindowMs, batchSize: this.opts.batchSize, after, archiveVectors: this.opts.archiveVectors, beforeCommit: this.hooks.afterArchiveInsert });
        const { moved: n, claim } = b;
        if (!n)
            return { moved: 0, maxIngestedAt: null, vectorsArchived: 0, vectorsDeleted: 0, claim };
        const vectors = this.opts.archiveVectors ? { archived: b.vectors, deleted: 0 } : { archived: 0, deleted: b.vectors };
        moverMetrics.rowsMoved.inc(n);
        moverMetrics.batches.inc({ claim });
        this.deletedSinceVacuum += n;
        if (vectors.archived)
            moverMetrics.vectors.inc({ action: 'archived' }, vectors.archived);
        if (vectors.deleted)
            moverMetrics.vectors.inc({ action: 'deleted' }, vectors.deleted);
        moverMetrics.batchSeconds.observe((performance.now() - t0) / 1000);
        return { moved: n, maxIngestedAt: b.maxIngestedAt, vectorsArchived: vectors.archived, vectorsDeleted: vectors.deleted, claim };
    }
    /**
     * An embedding job that read an event just before it moved can write its vector just after:
     * that vector is an orphan in the hot table. Every hot vector whose event id is below the
     * smallest hot event id is one (events are never re-inserted), and a range scan of the
     * embeddings key finds them; archived or deleted like the others. Eventually exact: an orphan
     * above the smallest hot id is caught once the rows below it have moved too.
     */
    sweepOrphanVectors() {
        return this.events.sweepOrphanVectors(this.opts.archiveVectors);
    }
    /**
     * Day partitions from the oldest hot row's day (or the retention cutoff, if later) through
     * `partitionsAheadDays` ahead of today, all by the database clock. Cheap when nothing is missing
     * (one catalog query). Rows of a day without a partition land in the default partition and are
     * relocated when the partition is created.
     */
    async ensurePartitions() {
        const { today, oldestHot } = await this.events.databaseDays();
        let from = oldestHot && oldestHot < today ? oldestHot : today;
        const floor = this.opts.retentionDays > 0 ? addDays(today, -this.opts.retentionDays) : addDays(today, -400);
        if (from < floor)
            from = floor;
        const existing = new Set((await this.events.listArchivePartitions()).map((p) => `${p.parent}:${p.day}`));
        const created = [];
        for (let day = from; day <= addDays(today, this.opts.partitionsAheadDays); day = addDays(day, 1)) {
            if (existing.has(`events_archive:${day}`) && existing.has(`embeddings_archive:${day}`))
                continue;
            created.push(...(await this.events.createArchiveDayPartitions(day)));
        }
        if (created.length)
            moverMetrics.partitionsCreated.inc(created.length);
        return created;
    }
    /**
     * Retention: drops whole day partitions older than the cutoff (midnight UTC, `retentionDays`
     * before today by the database clock), then clears the same range from the default partitions
     * (which only hold rows when a day had no partition). Nothing ingested before the cutoff remains.
     */
    async purge(retentionDays = this.opts.retentionDays) {
        if (retentionDays <= 0)
            throw new Error('purge: retention is off (0 days)');
        const { today } = await this.events.databaseDays();
        const cutoffDay = addDays(today, -retentionDays);
        const dropped = await this.events.dropArchivePartitionsBefore(cutoffDay);
        if (dropped.length)
            moverMetrics.partitionsDropped.inc(dropped.length);
        const cutoff = `${cutoffDay} 00:00:00+00`;
        const r = await this.events.purgeArchiveDefaults(cutoff);
        moverMetrics.defaultPartitionRows.set(Math.max(0, r.remaining - r.events));
        return { cutoff: `${cutoffDay}T00:00:00.000Z`, droppedPartitions: dropped, defaultRowsDeleted: r.events };
    }
    /**
     * Every moved row leaves a dead tuple and dead index entries in the hot table. Autovacuum
     * normally recycles them (migration 1732400001600 makes it eager on the hot tables), but it may
     * be off or behind; then the hot table would keep growing although its row count is flat. So:
     * VACUUM `events` once this mover has deleted more than 10 % of its live rows (and at least
     * 1000) since its last VACUUM, or the statistics show that many dead tuples. (The statistics
     * alone are not enough: page pruning during the mover's own scans lowers n_dead_tup while the
     * index entries stay.) SKIP_LOCKED: never waits behind a conflicting lock; no statement
     * timeout: a big table may take a while.
     *
     * Not `embeddings`: vacuuming its HNSW index repairs the graph around every deleted vector,
     * ~40 s for a 10k-vector hot table at m 32 (measured in the soak), and the run's next moves
     * would wait that long. Autovacuum does it in the background.
     */
    async vacuumIfNeeded() {
        const s = await this.events.hotTableTuples();
        if (Math.max(s.dead, this.deletedSinceVacuum) < Math.max(1000, 0.1 * s.live))
            return [];
        await this.events.vacuumHotTable();
        this.deletedSinceVacuum = 0;
        moverMetrics.vacuums.inc();
        return ['events'];
    }
    /**
     * Oldest hot row's age and how far past the hot window it is, by the database clock.
     *
     * `from`: the newest ingested_at the run just moved. Everything older was moved by this run,
     * except rows another mover held at the time (moving now) and rows that committed after the
     * claim passed them (moved by the next run, which starts from the oldest); so the oldest hot
     * row is looked for from there. Scanning from the start instead would step over every index
     * entry the run just deleted, checking each against the heap: ~8 % of a run's time.
     */
    async lag(from = null) {
        const age = await this.events.oldestHotAgeSeconds(from);
        return { oldestHotAgeSeconds: age, lagSeconds: age === null ? 0 : Math.max(0, age - this.opts.hotWindowMs / 1000) };
    }
}
//# sourceMappingURL=mover.js.map