import { existsSync } from 'node:fs';
import pg from 'pg';
import { Redis } from 'ioredis';
import { buildGloveModel } from '../../scripts/build-glove-model.js';
import { PG_ADMIN_URL, REDIS_URL } from './env.js';

/**
 * e2e prerequisites: real Postgres with pgvector available, real Redis, the bundled model.
 * Fails with a message that says what to run instead of letting every test time out.
 */
export default async function setup() {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await c.connect();
    const r = await c.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
    if (!r.rowCount) throw new Error('pgvector is not installed: run `bash scripts/install-pgvector.sh`');
  } catch (err) {
    throw new Error(`e2e needs PostgreSQL at ${PG_ADMIN_URL}: ${(err as Error).message}`);
  } finally {
    await c.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(`e2e needs Redis at ${REDIS_URL}: ${(err as Error).message}`);
  } finally {
    redis.disconnect();
  }
  if (!existsSync('models/glove-100d/model.onnx')) await buildGloveModel({ out: 'models/glove-100d' });
}
