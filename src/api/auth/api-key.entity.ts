import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const SCOPES = ['read', 'search', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

@Entity({ name: 'api_keys' })
@Unique('uq_api_keys_secret_hash', ['secretHash'])
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_api_keys' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** First characters of the secret, to tell keys apart in listings. */
  @Column({ type: 'text' })
  prefix!: string;

  @Column({ name: 'secret_hash', type: 'text' })
  secretHash!: string;

  @Column({ type: 'text', array: true })
  scopes!: Scope[];

  @Column({ name: 'rate_limit_per_min', type: 'integer', nullable: true })
  rateLimitPerMin!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
