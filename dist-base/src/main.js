import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from '../libs/config/index.js';
import { startSift } from './bootstrap.js';
/**
 * Entry point. Roles come from argv (`node dist/src/main.js relay`) or SIFT_ROLES; default all.
 */
async function main() {
    // A local .env (written by scripts/setup.sh) fills in vars the environment does not set.
    const envFile = process.env.SIFT_ENV_FILE || '.env';
    if (envFile !== 'none' && existsSync(envFile))
        process.loadEnvFile(envFile);
    let cfg;
    try {
        cfg = loadConfig(process.env, process.argv[2]);
    }
    catch (err) {
        if (err instanceof ConfigError) {
            process.stderr.write(`sift: ${err.message}\n`);
            process.exit(78); // EX_CONFIG
        }
        throw err;
    }
    const sift = await startSift(cfg);
    let signalled = false;
    const stop = (signal) => {
        if (signalled)
            return;
        signalled = true;
        sift.logger.info({ signal, deadlineMs: cfg.SHUTDOWN_DEADLINE_MS }, 'shutting down');
        const deadline = setTimeout(() => {
            sift.logger.error({ deadlineMs: cfg.SHUTDOWN_DEADLINE_MS }, 'shutdown deadline passed; exiting anyway');
            process.exit(1);
        }, cfg.SHUTDOWN_DEADLINE_MS);
        deadline.unref();
        sift.close().then(() => {
            sift.logger.info('stopped cleanly');
            sift.logger.flush?.();
            process.exit(0);
        }, (err) => {
            sift.logger.error({ err }, 'error during shutdown');
            process.exit(1);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
}
main().catch((err) => {
    process.stderr.write(`sift: failed to start: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map