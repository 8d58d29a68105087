import 'reflect-metadata';
import { Logger, type LoggerService } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { ConfigError, loadConfig } from '../../libs/config/index.js';
import { createDataSource, Db } from '../../libs/database/index.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { defaultModelLoaders, EmbeddingsService } from '../embeddings/embeddings.service.js';
import { defaultHardwareProbe } from '../embeddings/hardware-probe.js';
import { EventsRepository } from '../events/events.repository.js';
import type { ModelScores, RelevanceReportLike } from '../models/gate.js';
import { ModelsRepository } from '../models/models.repository.js';
import { ModelLifecycleError, ModelsService } from '../models/models.service.js';
import { evaluateRetrieval } from '../relevance/evaluate.js';
import { MIGRATIONS } from '../schema.js';

const USAGE = `usage: sift models <command>
  list                                   the registry (status, scores, coverage, promotion progress)
  register NAME                          record the folder EMBEDDINGS_MODEL_DIR/NAME as a candidate
  eval NAME [--report FILE.json]         run the relevance eval (eval/relevance-set.json, scratch database)
                                         with the model folder NAME and store its scores; --report
                                         stores a report made earlier (npm run eval:search -- --json)
  promote NAME [--force] [--baseline FILE.json]
                                         start a promotion (refused below the active model's scores
                                         minus MODEL_GATE_TOLERANCE unless --force, which is audited)
  rollback                               switch back to the previous active model at once
  retire NAME                            retire a non-active model and delete its vectors
  options: --actor WHO (audit trail; default cli:<user>)`;

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && ['--report', '--baseline', '--actor'].includes(args[i - 1]!)));

async function readJson<T>(file: string): Promise<T> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (err) {
    throw new ModelLifecycleError(`${file}: ${(err as Error).message}`);
  }
}

/** Log lines (the audit's log side) go to stderr as JSON, so stdout holds only the command's result. */
const toStderr = (level: string) => (message: unknown, ...rest: unknown[]) =>
  void process.stderr.write(`${JSON.stringify({ level, ...(typeof message === 'object' ? message : { msg: message }), context: rest.at(-1) })}\n`);
const stderrLogger: LoggerService = { log: toStderr('info'), warn: toStderr('warn'), error: toStderr('error'), debug: () => undefined, verbose: () => undefined };
Logger.overrideLogger(stderrLogger);

async function main() {
  const [command, name] = positional;
  if (!command || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const need = (what: string) => {
    if (!name) throw new ModelLifecycleError(`sift models ${command}: ${what} is required\n\n${USAGE}`);
    return name;
  };
  if (['register', 'eval', 'promote', 'retire'].includes(command)) need('NAME');
  if (!['list', 'register', 'eval', 'promote', 'rollback', 'retire'].includes(command)) throw new ModelLifecycleError(`sift models: unknown command "${command}"\n\n${USAGE}`);
  const actor = flag('--actor') ?? `cli:${userInfo().username}`;
  const cfg = loadConfig({ ...process.env, SIFT_ROLES: 'worker' });
  const ds = createDataSource({ url: cfg.DATABASE_URL!, migrations: MIGRATIONS, poolMax: 2 });
  await ds.initialize();
  const db = Db.of(ds);
  // Not bootstrapped: no chain is loaded, the service is only used to read model folders.
  const embeddings = new EmbeddingsService(cfg, defaultModelLoaders, defaultHardwareProbe);
  const models = new ModelsService(cfg, new ModelsRepository(db), embeddings, new EmbeddingsRepository(db), new EventsRepository(db));
  const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);
  try {
    switch (command) {
      case 'list': {
        const rows = await models.list();
        if (!rows.length) process.stdout.write('no models registered (the worker registers the chain model at first boot)\n');
        for (const m of rows) {
          const scores = m.scores ? Object.entries(m.scores).map(([mode, s]) => `${mode} ${Object.entries(s).map(([k, v]) => `${k}=${v.toFixed(3)}`).join(' ')}`).join('; ') : 'no scores';
          const cov = m.coverage === null ? '-' : `${(m.coverage * 100).toFixed(1)}%`;
          const promo = m.promotion ? ` promoting (coverage ${cov} of ${(m.promotion.threshold * 100).toFixed(0)}%${m.promotion.etaSeconds !== null ? `, eta ${Math.round(m.promotion.etaSeconds)}s` : ''})` : '';
          process.stdout.write(`${m.status.padEnd(9)} ${m.name} (${m.modelId}, ${m.dims}d, ${m.providerKind}, sha256 ${m.checksum.slice(0, 12)}) ${scores}${promo}\n`);
        }
        break;
      }
      case 'register':
        out(await models.register(need('NAME'), actor));
        break;
      case 'eval': {
        const file = flag('--report');
        const report: RelevanceReportLike = file
          ? await readJson<RelevanceReportLike>(file)
          : // The same harness and labelled set as npm run eval:search and the CI gate.
            await evaluateRetrieval({ databaseUrl: cfg.DATABASE_URL!, embeddingModel: need('NAME'), log: (line) => process.stderr.write(`${line}\n`) });
        out({ name: need('NAME'), scores: await models.recordRelevanceReport(need('NAME'), report) });
        break;
      }
      case 'promote': {
        const baseline = flag('--baseline');
        out(await models.promote(need('NAME'), actor, { force: args.includes('--force'), baseline: baseline ? await readJson<ModelScores>(baseline) : undefined }));
        break;
      }
      case 'rollback':
        out(await models.rollback(actor));
        break;
      case 'retire':
        out(await models.retire(need('NAME'), actor));
        break;
      default:
        throw new ModelLifecycleError(`sift models: unknown command "${command}"\n\n${USAGE}`);
    }
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError || err instanceof ModelLifecycleError ? err.message : (err as Error).stack}\n`);
  process.exit(err instanceof ModelLifecycleError || err instanceof ConfigError ? 1 : 2);
});
