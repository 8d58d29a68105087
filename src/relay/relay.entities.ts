import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Last position durably stored per source; advanced in the same transaction as the batch. */
@Entity({ name: 'source_cursors' })
export class SourceCursorEntity {
  @PrimaryColumn({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  cursor!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A stretch of the stream the relay knows it missed and could not recover. */
@Entity({ name: 'ingest_gaps' })
@Index('idx_ingest_gaps_source', ['source', 'id'])
export class IngestGapEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  source!: string;

  /** Source time of the last event stored before the gap. */
  @Column({ name: 'gap_start', type: 'timestamptz' })
  gapStart!: Date;

  /** Source time of the first event stored after the gap. */
  @Column({ name: 'gap_end', type: 'timestamptz' })
  gapEnd!: Date;

  @Column({ name: 'from_cursor', type: 'text', nullable: true })
  fromCursor!: string | null;

  @Column({ name: 'to_cursor', type: 'text', nullable: true })
  toCursor!: string | null;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz', default: () => 'now()' })
  recordedAt!: Date;
}

/** Frames the relay could not turn into events, kept (truncated) for inspection. */
@Entity({ name: 'quarantine' })
@Index('idx_quarantine_source', ['source', 'id'])
export class QuarantineEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;

  /** First bytes of the frame as received. */
  @Column({ type: 'bytea' })
  raw!: Buffer;

  @Column({ name: 'raw_size', type: 'integer' })
  rawSize!: number;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;
}

export const RELAY_ENTITIES = [SourceCursorEntity, IngestGapEntity, QuarantineEntity];
