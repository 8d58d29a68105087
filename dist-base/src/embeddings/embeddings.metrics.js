import { Counter, Gauge } from 'prom-client';
import { registry } from '../../libs/observability/index.js';
/** Chain-link metrics beyond the shared ones in libs/observability/metrics.ts. */
const r = [registry];
export const chainMetrics = {
    linkSkips: new Counter({
        name: 'sift_embeddings_link_skips_total',
        help: 'Embedding calls that skipped a chain link (budget spent, breaker open, or the link failed) and went to the next',
        labelNames: ['model', 'reason'],
        registers: r,
    }),
    remoteRequests: new Counter({
        name: 'sift_embeddings_remote_requests_total',
        help: 'Requests to the remote embeddings endpoint, by outcome',
        labelNames: ['model', 'outcome'],
        registers: r,
    }),
    remoteTokens: new Counter({ name: 'sift_embeddings_remote_tokens_total', help: 'Input tokens billed by the remote endpoint (its usage report, else an estimate)', labelNames: ['model'], registers: r }),
    breakerState: new Gauge({ name: 'sift_embeddings_breaker_state', help: 'Remote link error breaker: 0 closed, 1 half-open, 2 open', labelNames: ['model'], registers: r }),
};
//# sourceMappingURL=embeddings.metrics.js.map