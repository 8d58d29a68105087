import type { DataSource, QueryRunner } from 'typeorm';

/** The partitioned archive tables, each range-partitioned by day on `key` (migrations 1732400001000/1100). */
export const ARCHIVE_TABLES = [
  { parent: 'events_archive', key: 'ingested_at' },
  { parent: 'embeddings_archive', key: 'event_ingested_at' },
] as const;
export type ArchiveParent = (typeof ARCHIVE_TABLES)[number]['parent'];

/** Serialises partition DDL between movers (any 64-bit constant unique to this use). */
export const PARTITION_LOCK_KEY = 0x5349_4654_5041_5254n; // "SIFTPART"

/** Partition DDL waits at most this long for its lock, so it never queues readers behind it for long. */
const DDL_LOCK_TIMEOUT = '3s';

/** Day partitions are named `<parent>_pYYYYMMDD` and cover [day 00:00 UTC, next day 00:00 UTC). */
export const partitionName = (parent: ArchiveParent, day: string) => `${parent}_p${day.replace(/-/g, '')}`;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` ± n days (pure calendar arithmetic in UTC: no local clock involved). */
export function addDays(day: string, n: number): string {
  if (!DAY.test(day)) throw new Error(`bad day ${day}`);
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export interface ArchivePartition {
  parent: ArchiveParent;
  name: string;
  /** First day covered, `YYYY-MM-DD`. */
  day: string;
}

/** The day partitions that exist now, read from the catalog (no cache to go stale or grow). */
export async function listPartitions(q: DataSource | QueryRunner): Promise<ArchivePartition[]> {
  const rows: { parent: ArchiveParent; name: string }[] = await q.query(
    `SELECT p.relname AS parent, c.relname AS name
       FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relnamespace = to_regnamespace(current_schema())
        AND p.relname = ANY($1::text[])
        AND c.relname ~ '_p[0-9]{8}$'`,
    [ARCHIVE_TABLES.map((t) => t.parent)],
  );
  return rows.map((r) => {
    const d = r.name.slice(-8);
    return { parent: r.parent, name: r.name, day: `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` };
  });
}

/** Today (UTC) by the database clock, and the day of the oldest hot row. */
export async function databaseDays(q: DataSource | QueryRunner): Promise<{ today: string; oldestHot: string | null }> {
  const [r] = await q.query(
    `SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today,
            to_char(((SELECT min(ingested_at) FROM events) AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS "oldestHot"`,
  );
  return r;
}

async function inDdlTransaction<T>(ds: DataSource, fn: (qr: QueryRunner) => Promise<T>): Promise<T> {
  const qr = ds.createQueryRunner();
  await qr.connect();
  try {
    await qr.startTransaction();
    try {
      await qr.query(`SET LOCAL lock_timeout = '${DDL_LOCK_TIMEOUT}'`);
      await qr.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK_KEY.toString()]);
      const out = await fn(qr);
      await qr.commitTransaction();
      return out;
    } catch (err) {
      await qr.rollbackTransaction().catch(() => undefined);
      throw err;
    }
  } finally {
    await qr.release();
  }
}

const bound = (day: string) => `'${day} 00:00:00+00'`;

/**
 * Creates the day partition of every archive table for `day`, if missing. Rows of that day that
 * already sit in the default partition (a day that had no partition yet) are moved into the new
 * one in the same transaction, since Postgres refuses a partition whose rows are in the default.
 * Returns the partitions it created.
 */
export async function createDayPartitions(ds: DataSource, day: string): Promise<string[]> {
  if (!DAY.test(day)) throw new Error(`bad day ${day}`);
  return inDdlTransaction(ds, async (qr) => {
    const created: string[] = [];
    const existing = new Set((await listPartitions(qr)).map((p) => p.name));
    for (const { parent, key } of ARCHIVE_TABLES) {
      const name = partitionName(parent, day);
      if (existing.has(name)) continue;
      const range = `"${key}" >= ${bound(day)} AND "${key}" < ${bound(addDays(day, 1))}`;
      const [{ stray }] = await qr.query(`SELECT EXISTS (SELECT 1 FROM "${parent}_default" WHERE ${range}) AS stray`);
      if (stray) {
        await qr.query(`CREATE TEMP TABLE sift_relocate (LIKE "${parent}") ON COMMIT DROP`);
        await qr.query(`WITH d AS (DELETE FROM "${parent}_default" WHERE ${range} RETURNING *) INSERT INTO sift_relocate SELECT * FROM d`);
      }
      await qr.query(`CREATE TABLE "${name}" PARTITION OF "${parent}" FOR VALUES FROM (${bound(day)}) TO (${bound(addDays(day, 1))})`);
      if (stray) {
        await qr.query(`INSERT INTO "${parent}" SELECT * FROM sift_relocate`);
        await qr.query(`DROP TABLE sift_relocate`);
      }
      created.push(name);
    }
    return created;
  });
}

/** Drops whole day partitions (of every archive table) for days before `cutoffDay`. */
export async function dropPartitionsBefore(ds: DataSource, cutoffDay: string): Promise<string[]> {
  const doomed = (await listPartitions(ds)).filter((p) => p.day < cutoffDay);
  const dropped: string[] = [];
  for (const p of doomed) {
    // One short transaction per partition: DROP takes an exclusive lock on the parent.
    await inDdlTransaction(ds, (qr) => qr.query(`DROP TABLE IF EXISTS "${p.name}"`));
    dropped.push(p.name);
  }
  return dropped;
}
