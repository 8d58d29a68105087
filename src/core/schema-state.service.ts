import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isEmbedded, type SiftConfig } from '../../libs/config/index.js';
import { runMigrationsLocked } from '../../libs/database/index.js';
import { SIFT_CONFIG } from './tokens.js';

/**
 * Owns "is the schema ready". Applies migrations at boot (or, with DB_MIGRATIONS_RUN=false,
 * waits until another process has). Roles await `ready` before touching their tables, and
 * readiness reports false until it resolves.
 */
@Injectable()
export class SchemaStateService implements OnApplicationBootstrap {
  private readonly log = new Logger('Schema');
  private resolveReady!: () => void;
  readonly ready: Promise<void> = new Promise((r) => (this.resolveReady = r));
  state: 'pending' | 'migrating' | 'ready' | 'failed' = 'pending';
  error?: string;
  applied: string[] = [];
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
  ) {}

  onApplicationBootstrap() {
    // Not awaited: the HTTP server comes up and answers /health/ready=503 meanwhile.
    void this.prepare();
  }

  onModuleDestroy() {
    this.stopped = true;
  }

  private async prepare() {
    let delay = 500;
    while (!this.stopped) {
      try {
        if (this.cfg.DB_MIGRATIONS_RUN) {
          this.state = 'migrating';
          // Embedded mode is one process on a one-connection pool: the cross-process lock would
          // need a second connection, and there is no other process to race with.
          const r = isEmbedded(this.cfg)
            ? { applied: (await this.ds.runMigrations({ transaction: 'each' })).map((m) => m.name), waitedMs: 0 }
            : await runMigrationsLocked(this.ds);
          this.applied = r.applied;
          this.log.log({ msg: 'migrations checked', applied: r.applied, appliedCount: r.applied.length, waitedMs: r.waitedMs });
        } else if (await this.ds.showMigrations()) {
          throw new Error('pending migrations and DB_MIGRATIONS_RUN=false: waiting for another process to apply them');
        }
        this.state = 'ready';
        this.error = undefined;
        this.resolveReady();
        return;
      } catch (err) {
        this.state = 'failed';
        this.error = (err as Error).message;
        this.log.error({ msg: 'schema not ready, retrying', err: this.error, retryInMs: delay });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
}
