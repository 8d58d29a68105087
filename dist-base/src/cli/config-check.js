import { ConfigError, loadConfig, redactedConfig } from '../../libs/config/index.js';
/** `npm run config:check [-- roles]`: validates and prints the resolved config, secrets redacted. */
try {
    const cfg = loadConfig(process.env, process.argv[2]);
    process.stdout.write(`${JSON.stringify(redactedConfig(cfg), null, 2)}\n`);
}
catch (err) {
    if (!(err instanceof ConfigError))
        throw err;
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
}
//# sourceMappingURL=config-check.js.map