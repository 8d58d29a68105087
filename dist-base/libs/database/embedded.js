import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
async function freePort() {
    return new Promise((resolve, reject) => {
        const s = createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}
/**
 * PGlite (Postgres compiled to WASM, with pgvector) persisted under `dataDir`, served on a
 * loopback socket so TypeORM and pg use it like any Postgres. Every socket connection shares
 * one backend session, so callers must use a pool of one connection: session state (SET,
 * prepared statements, advisory locks) would otherwise leak between "connections".
 */
export async function startEmbeddedPostgres(dataDir) {
    mkdirSync(dataDir, { recursive: true });
    const db = await PGlite.create({ dataDir, extensions: { vector } });
    const port = await freePort();
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 1 });
    await server.start();
    return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        stop: async () => {
            await server.stop();
            await db.close();
        },
    };
}
//# sourceMappingURL=embedded.js.map