import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { TrendChanges, TrendItem } from '../../libs/contracts/trends.js';

/**
 * Mentions of one entity from one source in one minute (database time of ingest). Written only by
 * the `trg_events_count_entities` trigger on `events` (migration 1732400001400), as upserts.
 */
@Entity({ name: 'entity_counts' })
@Index('idx_entity_counts_bucket', ['bucket'])
export class EntityCountEntity {
  /** `$btc`, `#ai`, `@alice.bsky.social` or `example.com`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_entity_counts' })
  entity!: string;

  /** Start of the minute. */
  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'pk_entity_counts' })
  bucket!: Date;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'pk_entity_counts' })
  source!: string;

  @Column({ type: 'integer' })
  count!: number;
}

/** One leaderboard computed by the momentum job, with what changed against the previous one. */
@Entity({ name: 'trend_snapshots' })
@Index('idx_trend_snapshots_computed_at', ['computedAt'])
export class TrendSnapshotEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'pk_trend_snapshots' })
  id!: string;

  /** Database time the leaderboard was computed at (the windows end here). */
  @Column({ name: 'computed_at', type: 'timestamptz' })
  computedAt!: Date;

  @Column({ name: 'short_window_minutes', type: 'integer' })
  shortWindowMinutes!: number;

  @Column({ name: 'baseline_minutes', type: 'integer' })
  baselineMinutes!: number;

  @Column({ type: 'jsonb' })
  items!: TrendItem[];

  @Column({ type: 'jsonb' })
  changes!: TrendChanges;
}

export const MOMENTUM_ENTITIES = [EntityCountEntity, TrendSnapshotEntity];
