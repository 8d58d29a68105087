import { BadRequestException, Controller, Get, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AlertsRepository } from './alerts.repository.js';

type WithPrincipal = Request & { principal?: { keyId: string; scopes: string[] } };

@ApiTags('alerts')
@ApiBearerAuth()
@Controller()
export class AlertsController {
  constructor(private readonly repo: AlertsRepository) {}

  @Get('alerts')
  @ApiOperation({ summary: 'Alerts newest first: the calling key\'s own; an admin-scope key (or open mode) sees every alert. `limit` 1-500 (default 100), `before` an ISO time for paging.' })
  async list(@Req() req: WithPrincipal, @Query('limit') limitRaw?: string, @Query('before') beforeRaw?: string) {
    const limit = limitRaw === undefined ? 100 : Number(limitRaw);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new BadRequestException('limit must be a whole number 1-500');
    const before = beforeRaw === undefined ? undefined : new Date(beforeRaw);
    if (before && Number.isNaN(before.getTime())) throw new BadRequestException('before must be an ISO date-time');
    const p = req.principal;
    const admin = !p || p.scopes.includes('admin');
    const rows = await this.repo.list({ ownerKeyId: admin ? undefined : p.keyId, limit, before });
    return { alerts: rows };
  }
}
