import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import helmet from 'helmet';
import { authRequired, redactedConfig, startupSummary } from '../libs/config/index.js';
import { createRootLogger, NestPinoLogger, requestContext, resolveLogFormat } from '../libs/observability/index.js';
import { AppModule } from './app.module.js';
import { EmbeddingsService } from './embeddings/embeddings.service.js';
import { ShutdownState } from './health/shutdown-state.js';
import { HttpErrorFilter } from './api/http-exception.filter.js';
import { RejectNulPipe } from './api/reject-nul.pipe.js';
import { apiValidationPipe } from './api/validation.js';
import { serveWeb } from './api/web/serve-web.js';
/** Builds and starts Sift for the roles in `cfg`. Used by main.ts and by e2e tests. */
export async function startSift(cfg) {
    const logger = createRootLogger({ level: cfg.LOG_LEVEL, format: cfg.LOG_FORMAT, roles: cfg.roles });
    const config = redactedConfig(cfg);
    // In a terminal the full config would be a hundred lines: there it is a debug record (and
    // `npm run config:check`), and the summary after listening says what matters.
    const terminal = resolveLogFormat(cfg.LOG_FORMAT) === 'pretty';
    logger.info(terminal ? {} : { config }, 'starting sift');
    if (terminal)
        logger.debug({ config }, 'config');
    const app = await NestFactory.create(AppModule.forRoles(cfg), {
        logger: new NestPinoLogger(logger),
        bodyParser: true,
        abortOnError: false,
    });
    app.useBodyParser('json', { limit: cfg.API_BODY_LIMIT ?? '100kb' });
    app.use((req, res, next) => {
        const given = req.headers['x-request-id'];
        const requestId = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
        res.setHeader('X-Request-Id', requestId);
        requestContext.run({ requestId }, next);
    });
    app.useGlobalFilters(new HttpErrorFilter());
    if (cfg.roles.includes('api')) {
        app.set('trust proxy', cfg.API_TRUST_PROXY);
        app.use(helmet({ contentSecurityPolicy: false }));
        const origins = cfg.API_CORS_ORIGINS ?? ['*'];
        app.enableCors({ origin: origins.includes('*') ? true : origins });
        app.useGlobalPipes(new RejectNulPipe(), apiValidationPipe());
        const doc = SwaggerModule.createDocument(app, new DocumentBuilder()
            .setTitle('Sift')
            .setDescription('Real-time intelligence: events, search and health. Socket.io on the same port emits `events`, a batch of stored events in id order (event map: libs/contracts/socket.ts).')
            .setVersion('0.1.0')
            .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key (or send it as X-API-Key)' })
            .build());
        SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs-json' });
        serveWeb((h) => app.use(h), cfg, logger);
    }
    app.enableShutdownHooks([]); // signals are handled in main.ts so readiness flips first
    await app.listen(cfg.PORT, cfg.HOST);
    const addr = app.getHttpServer().address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : cfg.PORT}`;
    // Only the api and worker roles load a model (Nest logs an error for a provider it lacks).
    const embeddings = cfg.roles.some((r) => r === 'api' || r === 'worker') ? app.get(EmbeddingsService, { strict: false }) : undefined;
    const summary = (model) => startupSummary(cfg, { url, embeddings: model });
    logger.info({ url }, summary(embeddings && describeEmbeddings(embeddings.status)));
    // The model loads in the background: say which one serves once it does (or that none does).
    if (embeddings?.status.state === 'loading') {
        void embeddings.settled.then(() => logger.info({ embeddings: embeddings.status.state }, `sift embeddings: ${describeEmbeddings(embeddings.status)}`));
    }
    if (cfg.roles.includes('api') && !authRequired(cfg))
        logger.warn('API keys are NOT enforced (API_AUTH=off, or auto in embedded mode): anyone who can reach this port can read and search');
    let closing;
    return {
        app,
        logger,
        url,
        close: () => (closing ??= (async () => {
            app.get(ShutdownState).draining = true;
            await app.close();
        })()),
    };
}
function describeEmbeddings(s) {
    if (s.state === 'loading')
        return 'loading (logged when a model is active)';
    if (s.state === 'disabled')
        return `DISABLED (${s.reason}): search answers in keyword mode`;
    return `${s.model} on ${s.device} (${s.dims} dims)`;
}
//# sourceMappingURL=bootstrap.js.map