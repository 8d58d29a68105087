import { resolve } from 'node:path';
import { MIGRATIONS } from '../migrations/index.js';
/**
 * The schema is the migrations: no ORM entities. Statements live in each table owner's
 * repository; docs/architecture.md says why, and the schema test compares the migrated
 * database with migrations/schema.snapshot.sql.
 */
export { MIGRATIONS };
/** The checked-in schema snapshot (`npm run snapshots` rewrites it); paths are relative to the repo root. */
export const SCHEMA_SNAPSHOT_FILE = resolve('migrations/schema.snapshot.sql');
//# sourceMappingURL=schema.js.map