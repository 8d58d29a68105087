import { Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Req, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { SiftConfig } from '../../libs/config/index.js';
import { SIFT_CONFIG } from '../core/tokens.js';
import { ModelsService } from '../models/models.service.js';
import { words } from './watch-match.js';
import { CreateWatchDto, PatchWatchDto } from './watches.dto.js';
import { publicWatch, WatchesRepository, type WatchState } from './watches.repository.js';

type WithPrincipal = Request & { principal?: { keyId: string; scopes: string[] } };
const who = (req: WithPrincipal) => ({ keyId: req.principal?.keyId ?? null, admin: !req.principal || req.principal.scopes.includes('admin') });

@ApiTags('watches')
@ApiBearerAuth()
@Controller('watches')
export class WatchesController {
  constructor(
    private readonly repo: WatchesRepository,
    private readonly models: ModelsService,
    @Inject(SIFT_CONFIG) private readonly cfg: SiftConfig,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a watch owned by the calling key: a query (semantic, keyword or both), optional entity/source/author filters, a trigger (minSimilarity, or minMatches within windowSeconds) and a cooldown. Its `watch` alerts go to this key only.' })
  async create(@Req() req: WithPrincipal, @Body() body: CreateWatchDto) {
    const mode = body.mode ?? 'semantic';
    if (mode !== 'semantic' && !words(body.query).length) throw new UnprocessableEntityException('query has no words to match on');
    let vector: { modelId: string; vector: Float32Array } | null = null;
    if (mode !== 'keyword') {
      const model = await this.models.forQueries();
      if (!model) throw new UnprocessableEntityException('no embedding model answers queries here, so semantic watches are unavailable; use mode "keyword"');
      if (model.knownTokens && model.knownTokens(body.query) === 0) throw new UnprocessableEntityException(`query embeds to nothing: none of its words are known to the query model ${model.id}; rephrase it or use mode "keyword"`);
      const [v] = await model.embed([body.query]);
      // A zero vector: none of the query's words are in the model's vocabulary.
      if (!v || !v.some((x) => x !== 0)) throw new UnprocessableEntityException(`query embeds to nothing: none of its words are known to the query model ${model.id}; rephrase it or use mode "keyword"`);
      vector = { modelId: model.id, vector: v };
    }
    const { keyId } = who(req);
    if ((await this.repo.list(keyId)).length >= this.cfg.WATCH_MAX_PER_KEY) throw new ConflictException(`this key owns ${this.cfg.WATCH_MAX_PER_KEY} watches already (WATCH_MAX_PER_KEY)`);
    const w = await this.repo.create(keyId, {
      name: body.name,
      query: body.query,
      mode,
      entity: body.entity ?? null,
      source: body.source ?? null,
      author: body.author ?? null,
      minSimilarity: mode === 'keyword' ? null : (body.minSimilarity ?? 0.6),
      minMatches: body.minMatches ?? 1,
      windowMs: (body.windowSeconds ?? 60) * 1000,
      cooldownMs: (body.cooldownSeconds ?? 300) * 1000,
    }, vector);
    return publicWatch(w);
  }

  @Get()
  @ApiOperation({ summary: 'The calling key\'s watches (an admin-scope key, or open mode, sees every watch).' })
  async list(@Req() req: WithPrincipal) {
    const { keyId, admin } = who(req);
    return { watches: (await this.repo.list(admin ? undefined : keyId)).map(publicWatch) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One watch (its owner or an admin).' })
  async get(@Req() req: WithPrincipal, @Param('id', new ParseUUIDPipe()) id: string) {
    return publicWatch(await this.mine(req, id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Pause or resume a watch (its owner or an admin).' })
  async patch(@Req() req: WithPrincipal, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: PatchWatchDto) {
    await this.mine(req, id);
    return publicWatch((await this.repo.setPaused(id, body.paused))!);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a watch (its owner or an admin).' })
  async remove(@Req() req: WithPrincipal, @Param('id', new ParseUUIDPipe()) id: string) {
    await this.mine(req, id);
    await this.repo.remove(id);
  }

  /** 404 (not 403) for another key's watch: its existence is not the caller's business. */
  private async mine(req: WithPrincipal, id: string): Promise<WatchState> {
    const w = await this.repo.byId(id);
    const { keyId, admin } = who(req);
    if (!w || (!admin && w.ownerKeyId !== keyId)) throw new NotFoundException(`no watch ${id}`);
    return w;
  }
}
