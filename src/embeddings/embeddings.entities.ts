import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Every model that has ever produced vectors. Vectors of different models live in one table but
 * are only ever compared within one model_id; each model gets its own partial HNSW index with the
 * column cast to its dimension.
 */
@Entity({ name: 'embedding_models' })
export class EmbeddingModelEntity {
  /** Name and version, e.g. `glove-100d@1`. */
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'integer' })
  dims!: number;

  @Column({ type: 'text' })
  device!: string;

  @Column({ name: 'registered_at', type: 'timestamptz', default: () => 'now()' })
  registeredAt!: Date;

  @Column({ name: 'last_active_at', type: 'timestamptz', default: () => 'now()' })
  lastActiveAt!: Date;
}

@Entity({ name: 'embeddings' })
@Index('idx_embeddings_model', ['modelId', 'eventId'])
export class EmbeddingEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint' })
  eventId!: string;

  @PrimaryColumn({ name: 'model_id', type: 'text' })
  modelId!: string;

  /** Dimension-less column: each model's rows hold vectors of that model's dims. */
  @Column({ type: 'vector' })
  embedding!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** An event the model could not embed, with why; skipped by sweeps until cleared. */
@Entity({ name: 'embedding_failures' })
export class EmbeddingFailureEntity {
  @PrimaryColumn({ name: 'event_id', type: 'bigint', primaryKeyConstraintName: 'PK_embedding_failures' })
  eventId!: string;

  @PrimaryColumn({ name: 'model_id', type: 'text', primaryKeyConstraintName: 'PK_embedding_failures' })
  modelId!: string;

  @Column({ type: 'text' })
  error!: string;

  @Column({ type: 'integer', default: 1 })
  attempts!: number;

  @Column({ name: 'failed_at', type: 'timestamptz', default: () => 'now()' })
  failedAt!: Date;
}

export const EMBEDDINGS_ENTITIES = [EmbeddingModelEntity, EmbeddingEntity, EmbeddingFailureEntity];
