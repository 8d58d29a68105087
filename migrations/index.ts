import { EnablePgvector1732400000000 } from './1732400000000-enable-pgvector.js';
import { CreateEvents1732400000100 } from './1732400000100-create-events.js';
import { CreateRelayTables1732400000200 } from './1732400000200-create-relay-tables.js';
import { CreateEmbeddings1732400000300 } from './1732400000300-create-embeddings.js';
import { CreateApiKeys1732400000400 } from './1732400000400-create-api-keys.js';
import { CreateEmbeddingFailures1732400000500 } from './1732400000500-create-embedding-failures.js';
import { CreateEventsArchive1732400001000 } from './1732400001000-create-events-archive.js';
import { CreateEmbeddingsArchive1732400001100 } from './1732400001100-create-embeddings-archive.js';
import { CreateEventsAllView1732400001200 } from './1732400001200-create-events-all-view.js';
import { CreateEntityCounts1732400001300 } from './1732400001300-create-entity-counts.js';
import { CountEntitiesAtIngest1732400001400 } from './1732400001400-count-entities-at-ingest.js';
import { CreateTrendSnapshots1732400001500 } from './1732400001500-create-trend-snapshots.js';
import { TuneHotTableAutovacuum1732400001600 } from './1732400001600-tune-hot-table-autovacuum.js';
import { RelayBatchTurn1732400001700 } from './1732400001700-relay-batch-turn.js';
import { IndexEventsTsvLength1732400002000 } from './1732400002000-index-events-tsv-length.js';
import { CreateAlerts1732400002100 } from './1732400002100-create-alerts.js';
import { CreateLlmBudgetLedger1732400002110 } from './1732400002110-create-llm-budget-ledger.js';
import { CreateUsageCounts1732400002200 } from './1732400002200-create-usage-counts.js';
import { CreateModels1732400002300 } from './1732400002300-create-models.js';
import { CreateWatches1732400002500 } from './1732400002500-create-watches.js';
import { LlmBudgetReserveFunction1732400002800 } from './1732400002800-llm-budget-reserve-function.js';

// Ordered list of migrations. Listed explicitly (not globbed) so the same list works from
// compiled JS, under vitest, and in a bundled image.
export const MIGRATIONS: Function[] = [
  EnablePgvector1732400000000,
  CreateEvents1732400000100,
  CreateRelayTables1732400000200,
  CreateEmbeddings1732400000300,
  CreateApiKeys1732400000400,
  CreateEmbeddingFailures1732400000500,
  CreateEventsArchive1732400001000,
  CreateEmbeddingsArchive1732400001100,
  CreateEventsAllView1732400001200,
  CreateEntityCounts1732400001300,
  CountEntitiesAtIngest1732400001400,
  CreateTrendSnapshots1732400001500,
  TuneHotTableAutovacuum1732400001600,
  RelayBatchTurn1732400001700,
  IndexEventsTsvLength1732400002000,
  CreateAlerts1732400002100,
  CreateLlmBudgetLedger1732400002110,
  CreateUsageCounts1732400002200,
  CreateModels1732400002300,
  CreateWatches1732400002500,
  LlmBudgetReserveFunction1732400002800,
];
