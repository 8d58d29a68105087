/** Fixed key for pg_advisory_lock; any 64-bit constant unique to Sift's migrations. */
export const MIGRATION_LOCK_KEY = 0x51574d494752n; // "SIFT MIGR"-ish
/**
 * Applies pending migrations while holding a session-level advisory lock on a dedicated
 * connection. Processes that boot together queue on the lock; the first applies everything,
 * the rest find nothing pending. Each migration runs in its own transaction.
 */
export async function runMigrationsLocked(ds) {
    const qr = ds.createQueryRunner();
    await qr.connect();
    const t0 = Date.now();
    try {
        await qr.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY.toString()]);
        const waitedMs = Date.now() - t0;
        try {
            const applied = await ds.runMigrations({ transaction: 'each' });
            return { applied: applied.map((m) => m.name), waitedMs };
        }
        finally {
            await qr.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]);
        }
    }
    finally {
        await qr.release();
    }
}
/**
 * Where the migrated schema differs from the checked-in snapshot (migrations/schema.snapshot.sql):
 * the lines only one side has, `-` snapshot, `+` database. Empty means no drift.
 */
export function schemaDrift(snapshot, actual) {
    const a = snapshot.split('\n');
    const b = actual.split('\n');
    const inB = new Set(b);
    const inA = new Set(a);
    return [...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`), ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`)];
}
//# sourceMappingURL=migrate.js.map