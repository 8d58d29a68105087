import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StoredEvent } from '../../../libs/contracts/event.js';
import { metrics } from '../../../libs/observability/index.js';
import { EmbeddingsService } from '../../embeddings/embeddings.service.js';
import { VectorStore } from '../../embeddings/vector-store.js';
import { EVENT_COLUMNS, EventsRepository, toStoredEvent } from '../events/events.repository.js';
import { SearchBudget } from '../limits/search-budget.js';

export type SearchMode = 'semantic' | 'keyword';
export interface SearchHit {
  event: StoredEvent;
  score: number;
}
export interface SearchResult {
  mode: SearchMode;
  model: string | null;
  /** Set when the requested mode could not be served and another was used. */
  fallback: string | null;
  hits: SearchHit[];
}

@Injectable()
export class SearchService {
  constructor(
    private readonly ds: DataSource,
    private readonly embeddings: EmbeddingsService,
    private readonly vectors: VectorStore,
    private readonly events: EventsRepository,
    private readonly budget: SearchBudget,
  ) {}

  async search(q: string, mode: SearchMode, limit: number): Promise<SearchResult> {
    const model = this.embeddings.active;
    if (mode === 'semantic' && !model) {
      const why = this.embeddings.status.state === 'loading' ? 'embedding model still loading' : 'embeddings disabled';
      return { ...(await this.keyword(q, limit)), fallback: `${why}: served by keyword search` };
    }
    if (mode === 'keyword') return this.keyword(q, limit);
    const spend = await this.budget.take();
    if (!spend.ok) {
      return { ...(await this.keyword(q, limit)), fallback: `query embedding budget for this minute is spent (resets in ${spend.resetS}s): served by keyword search` };
    }
    const end = metrics.searchSeconds.startTimer({ mode: 'semantic' });
    try {
      const [vec] = await this.embeddings.embed([q]);
      const near = await this.vectors.nearest(model!, vec!, limit);
      const byId = new Map((await this.events.byIds(near.map((n) => n.id))).map((e) => [e.id, e]));
      const hits = near.filter((n) => byId.has(n.id)).map((n) => ({ event: byId.get(n.id)!, score: 1 - n.distance }));
      return { mode: 'semantic', model: model!.id, fallback: null, hits };
    } finally {
      end();
    }
  }

  private async keyword(q: string, limit: number): Promise<SearchResult> {
    const end = metrics.searchSeconds.startTimer({ mode: 'keyword' });
    try {
      const rows = await this.ds.query(
        `SELECT ${EVENT_COLUMNS}, ts_rank(e.text_tsv, query) AS score
         FROM events e, websearch_to_tsquery('english', $1) query
         WHERE e.text_tsv @@ query ORDER BY score DESC, e.id DESC LIMIT $2`,
        [q, limit],
      );
      return { mode: 'keyword', model: null, fallback: null, hits: rows.map((r: any) => ({ event: toStoredEvent(r), score: Number(r.score) })) };
    } finally {
      end();
    }
  }
}
