import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../api/auth/auth.decorators.js';
import { LlmBudgets } from './llm-budgets.js';
import { LlmGateway } from './llm.gateway.js';

@ApiTags('llm')
@ApiBearerAuth()
@Controller('admin/llm')
export class LlmController {
  constructor(
    private readonly gateway: LlmGateway,
    private readonly budgets: LlmBudgets,
  ) {}

  @Get()
  @RequireScope('admin')
  @ApiOperation({ summary: 'LLM chain state on this instance (links, breaker, retry budget) and budget spend per scope for the current periods (shared by all instances).' })
  async state() {
    const rows = await this.budgets.current();
    return {
      links: this.gateway.state(),
      budgets: rows.map((s) => ({
        scope: s.scope,
        period: s.period,
        periodStart: s.periodStart,
        spentNanoUsd: s.spentNanoUsd.toString(),
        reservedNanoUsd: s.reservedNanoUsd.toString(),
        capNanoUsd: s.capNanoUsd?.toString() ?? null,
        spentTokens: s.spentTokens.toString(),
        reservedTokens: s.reservedTokens.toString(),
        capTokens: s.capTokens?.toString() ?? null,
      })),
    };
  }
}
