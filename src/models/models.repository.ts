import { Injectable } from '@nestjs/common';
import { Db } from '../../libs/database/index.js';
import type { ModelScores } from './gate.js';
import type { DriftStats, WindowSummary } from './drift.js';

export type ModelStatus = 'candidate' | 'active' | 'retired';

export interface ModelRow {
  name: string;
  modelId: string;
  version: string;
  dims: number;
  providerKind: string;
  checksum: string;
  status: ModelStatus;
  scores: ModelScores | null;
  scoresAt: string | null;
  promotionRequestedAt: string | null;
  promotionRequestedBy: string | null;
  promotionForced: boolean;
  promotedBy: string | null;
  promotedAt: string | null;
  demotedAt: string | null;
  reembedAfter: string;
  reembedDone: number;
  reembedLeaseUntil: string | null;
  coverage: number | null;
  coverageAt: string | null;
  driftReferenceAt: string | null;
  registeredAt: string;
}

export interface NewModel {
  name: string;
  modelId: string;
  version: string;
  dims: number;
  providerKind: string;
  checksum: string;
}

export interface SwitchRow {
  id: string;
  at: string;
  action: string;
  model: string;
  previous: string | null;
  actor: string;
  detail: Record<string, unknown>;
}

export interface DriftRow extends DriftStats {
  id: string;
  model: string;
  at: string;
  windowSize: number;
  drifted: boolean;
  streak: number;
  alerted: boolean;
}

const COLUMNS = `name, model_id AS "modelId", version, dims, provider_kind AS "providerKind", checksum, status, scores,
  scores_at AS "scoresAt", promotion_requested_at AS "promotionRequestedAt", promotion_requested_by AS "promotionRequestedBy",
  promotion_forced AS "promotionForced", promoted_by AS "promotedBy", promoted_at AS "promotedAt", demoted_at AS "demotedAt",
  reembed_after::text AS "reembedAfter", reembed_done::float8 AS "reembedDone", reembed_lease_until AS "reembedLeaseUntil",
  coverage, coverage_at AS "coverageAt", drift_reference_at AS "driftReferenceAt", registered_at AS "registeredAt"`;

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
const toRow = (r: Record<string, unknown>): ModelRow =>
  ({
    ...r,
    scoresAt: iso(r.scoresAt),
    promotionRequestedAt: iso(r.promotionRequestedAt),
    promotedAt: iso(r.promotedAt),
    demotedAt: iso(r.demotedAt),
    reembedLeaseUntil: iso(r.reembedLeaseUntil),
    coverageAt: iso(r.coverageAt),
    driftReferenceAt: iso(r.driftReferenceAt),
    registeredAt: iso(r.registeredAt),
  }) as ModelRow;

/** Every statement on the registry tables: models, model_switches, model_drift. */
@Injectable()
export class ModelsRepository {
  constructor(private readonly db: Db) {}

  async list(): Promise<ModelRow[]> {
    return (await this.db.query(`SELECT ${COLUMNS} FROM models ORDER BY registered_at, name`)).map(toRow);
  }

  async byName(name: string): Promise<ModelRow | undefined> {
    const [r] = await this.db.query(`SELECT ${COLUMNS} FROM models WHERE name = $1`, [name]);
    return r ? toRow(r) : undefined;
  }

  async active(): Promise<ModelRow | undefined> {
    const [r] = await this.db.query(`SELECT ${COLUMNS} FROM models WHERE status = 'active'`);
    return r ? toRow(r) : undefined;
  }

  /** Adds a candidate; the same folder registered again keeps its row. Returns whether it was new. */
  async register(m: NewModel): Promise<boolean> {
    const rows = await this.db.query(
      `INSERT INTO models (name, model_id, version, dims, provider_kind, checksum) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (name) DO NOTHING RETURNING 1`,
      [m.name, m.modelId, m.version, m.dims, m.providerKind, m.checksum],
    );
    return rows.length > 0;
  }

  /** First boot: the chain's model becomes active when the registry has none (the unique index makes concurrent boots safe). */
  async activateIfNone(name: string, actor: string): Promise<boolean> {
    return this.db.withTransaction(async (m) => {
      const rows = await m.query(
        `UPDATE models SET status = 'active', promoted_at = now(), promoted_by = $2
         WHERE name = $1 AND status = 'candidate' AND NOT EXISTS (SELECT 1 FROM models WHERE status = 'active')
         RETURNING name`,
        [name, actor],
      );
      if (rows.length) await m.query(`INSERT INTO model_switches (action, model, actor) VALUES ('bootstrap', $1, $2)`, [name, actor]);
      return rows.length > 0;
    }).catch((err: { code?: string }) => {
      if (err.code === '23505') return false; // another process activated one meanwhile
      throw err;
    });
  }

  async setScores(name: string, scores: ModelScores): Promise<boolean> {
    const rows = await this.db.query(`UPDATE models SET scores = $2, scores_at = now() WHERE name = $1 RETURNING 1`, [name, JSON.stringify(scores)]);
    return rows.length > 0;
  }

  /** Starts (or restarts) a promotion: the re-embed walk begins from the first event. */
  async requestPromotion(name: string, actor: string, forced: boolean, detail: Record<string, unknown>): Promise<boolean> {
    return this.db.withTransaction(async (m) => {
      const rows = await m.query(
        `UPDATE models SET promotion_requested_at = now(), promotion_requested_by = $2, promotion_forced = $3,
           reembed_after = 0, reembed_done = 0, reembed_owner = NULL, reembed_lease_until = NULL
         WHERE name = $1 AND status = 'candidate' RETURNING 1`,
        [name, actor, forced],
      );
      if (rows.length) await m.query(`INSERT INTO model_switches (action, model, actor, detail) VALUES ($1, $2, $3, $4)`, [forced ? 'promote-forced' : 'promote', name, actor, JSON.stringify(detail)]);
      return rows.length > 0;
    });
  }

  /** Models whose promotion is under way (the worker's sweep re-enqueues their re-embed). */
  async promoting(): Promise<string[]> {
    return (await this.db.query<{ name: string }>(`SELECT name FROM models WHERE status = 'candidate' AND promotion_requested_at IS NOT NULL ORDER BY name`)).map((r) => r.name);
  }

  /**
   * Takes the re-embed claim of `name` for `owner` (free, already ours, or its lease expired:
   * a killed worker's claim). Returns the id to continue after, or undefined when not ours.
   */
  async claimReembed(name: string, owner: string, leaseMs: number): Promise<string | undefined> {
    const [r] = await this.db.query<{ after: string }>(
      `UPDATE models SET reembed_owner = $2, reembed_lease_until = now() + $3 * interval '1 millisecond'
       WHERE name = $1 AND status = 'candidate' AND promotion_requested_at IS NOT NULL
         AND (reembed_owner IS NULL OR reembed_owner = $2 OR reembed_lease_until < now())
       RETURNING reembed_after::text AS after`,
      [name, owner, leaseMs],
    );
    return r?.after;
  }

  /** Moves the claim's cursor past a written batch and renews the lease; false when the claim was lost. */
  async advanceReembed(name: string, owner: string, after: string, written: number, leaseMs: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE models SET reembed_after = GREATEST(reembed_after, $3::bigint), reembed_done = reembed_done + $4,
         reembed_lease_until = now() + $5 * interval '1 millisecond'
       WHERE name = $1 AND reembed_owner = $2 RETURNING 1`,
      [name, owner, after, written, leaseMs],
    );
    return rows.length > 0;
  }

  async setCoverage(name: string, coverage: number) {
    await this.db.query(`UPDATE models SET coverage = $2, coverage_at = now() WHERE name = $1`, [name, coverage]);
  }

  /**
   * Makes `name` the active model in one transaction: the current active one steps back to
   * candidate (its vectors stay), the switch is audited. Returns the previous active name.
   */
  async switchActive(name: string, actor: string, action: string, detail: Record<string, unknown>): Promise<{ previous: string | null } | undefined> {
    return this.db.withTransaction(async (m) => {
      const target = await m.query(`SELECT status FROM models WHERE name = $1 FOR UPDATE`, [name]);
      if (!target.length || target[0].status !== 'candidate') return undefined;
      const prev = await m.query<{ name: string }>(`UPDATE models SET status = 'candidate', demoted_at = now() WHERE status = 'active' RETURNING name`);
      await m.query(
        `UPDATE models SET status = 'active', promoted_at = now(), promoted_by = COALESCE(promotion_requested_by, $2),
           promotion_requested_at = NULL, reembed_owner = NULL, reembed_lease_until = NULL, demoted_at = NULL
         WHERE name = $1`,
        [name, actor],
      );
      const previous = prev[0]?.name ?? null;
      await m.query(`INSERT INTO model_switches (action, model, previous, actor, detail) VALUES ($1, $2, $3, $4, $5)`, [action, name, previous, actor, JSON.stringify(detail)]);
      return { previous };
    });
  }

  /** The model that was active before the current one (most recently demoted, not retired). */
  async previousActive(): Promise<ModelRow | undefined> {
    const [r] = await this.db.query(`SELECT ${COLUMNS} FROM models WHERE status = 'candidate' AND demoted_at IS NOT NULL ORDER BY demoted_at DESC LIMIT 1`);
    return r ? toRow(r) : undefined;
  }

  /** Retires a model that is not active; returns its model id (whose vectors the caller removes). */
  async retire(name: string, actor: string): Promise<string | undefined> {
    return this.db.withTransaction(async (m) => {
      const rows = await m.query<{ modelId: string }>(
        `UPDATE models SET status = 'retired', promotion_requested_at = NULL, reembed_owner = NULL, drift_reference = NULL
         WHERE name = $1 AND status = 'candidate' RETURNING model_id AS "modelId"`,
        [name],
      );
      if (rows.length) await m.query(`INSERT INTO model_switches (action, model, actor) VALUES ('retire', $1, $2)`, [name, actor]);
      return rows[0]?.modelId;
    });
  }

  async switches(limit: number): Promise<SwitchRow[]> {
    const rows = await this.db.query(`SELECT id::text, at, action, model, previous, actor, detail FROM model_switches ORDER BY model_switches.id DESC LIMIT $1`, [limit]);
    return rows.map((r) => ({ ...r, at: iso(r.at) }) as SwitchRow);
  }

  async setDriftReference(name: string, ref: WindowSummary | null) {
    await this.db.query(`UPDATE models SET drift_reference = $2, drift_reference_at = CASE WHEN $2::jsonb IS NULL THEN NULL ELSE now() END WHERE name = $1`, [
      name,
      ref ? JSON.stringify(ref) : null,
    ]);
  }

  async driftReference(name: string): Promise<WindowSummary | undefined> {
    const [r] = await this.db.query<{ ref: WindowSummary | null }>(`SELECT drift_reference AS ref FROM models WHERE name = $1`, [name]);
    return r?.ref ?? undefined;
  }

  async recordDrift(d: { model: string; windowSize: number; stats: DriftStats; drifted: boolean; streak: number; alerted: boolean }) {
    await this.db.query(
      `INSERT INTO model_drift (model, window_size, centroid_shift, drifted_dims_share, mmd, drifted, streak, alerted) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [d.model, d.windowSize, d.stats.centroidShift, d.stats.driftedDimsShare, d.stats.mmd, d.drifted, d.streak, d.alerted],
    );
  }

  /** Newest first. */
  async driftHistory(model: string | null, limit: number): Promise<DriftRow[]> {
    const rows = await this.db.query(
      `SELECT id::text, model, at, window_size AS "windowSize", centroid_shift AS "centroidShift", drifted_dims_share AS "driftedDimsShare",
         mmd, drifted, streak, alerted
       FROM model_drift WHERE ($1::text IS NULL OR model = $1) ORDER BY model_drift.id DESC LIMIT $2`,
      [model, limit],
    );
    return rows.map((r) => ({ ...r, at: iso(r.at) }) as DriftRow);
  }
}
