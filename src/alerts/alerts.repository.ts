import { Injectable } from '@nestjs/common';
import type { Alert, AlertInput } from '../../libs/contracts/alerts.js';
import { Db } from '../../libs/database/index.js';

export interface StoredAlert extends Alert {
  webhookState: 'none' | 'pending' | 'delivered' | 'dead';
  webhookAttempts: number;
  webhookError: string | null;
}

const toAlert = (r: Record<string, any>): StoredAlert => ({
  id: r.id,
  kind: r.kind,
  severity: r.severity,
  title: r.title,
  detail: r.detail,
  ownerKeyId: r.owner_key_id,
  ...(r.once_key ? { onceKey: r.once_key } : {}),
  raisedAt: new Date(r.raised_at).toISOString(),
  webhookState: r.webhook_state,
  webhookAttempts: r.webhook_attempts,
  webhookError: r.webhook_error,
});

/** Every statement on `alerts` (owned by the alerts module). */
@Injectable()
export class AlertsRepository {
  constructor(private readonly db: Db) {}

  /** Stores the alert; null when one with the same once-key exists already (in any replica). */
  async insertOnce(a: AlertInput, webhook: boolean): Promise<StoredAlert | null> {
    const rows = await this.db.query(
      `INSERT INTO alerts (kind, severity, title, detail, owner_key_id, once_key, webhook_state)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (once_key) DO NOTHING RETURNING *`,
      [a.kind, a.severity, a.title, JSON.stringify(a.detail ?? {}), a.ownerKeyId ?? null, a.onceKey ?? null, webhook ? 'pending' : 'none'],
    );
    return rows[0] ? toAlert(rows[0]) : null;
  }

  /** Records one webhook attempt's outcome. */
  async webhookAttempt(id: string, state: 'pending' | 'delivered' | 'dead', error: string | null): Promise<void> {
    await this.db.query(`UPDATE alerts SET webhook_state = $2, webhook_attempts = webhook_attempts + 1, webhook_error = $3 WHERE id = $1`, [id, state, error]);
  }

  /** Newest first; `ownerKeyId` undefined = every alert (admin). */
  async list(opts: { ownerKeyId?: string | null; limit: number; before?: Date }): Promise<StoredAlert[]> {
    const params: unknown[] = [opts.limit];
    let where = 'true';
    if (opts.ownerKeyId !== undefined) where += opts.ownerKeyId === null ? ' AND owner_key_id IS NULL' : ` AND owner_key_id = $${params.push(opts.ownerKeyId)}`;
    if (opts.before) where += ` AND raised_at < $${params.push(opts.before.toISOString())}`;
    const rows = await this.db.query(`SELECT * FROM alerts WHERE ${where} ORDER BY raised_at DESC, id LIMIT $1`, params);
    return rows.map(toAlert);
  }
}
