import { Global, Module } from '@nestjs/common';
import { LlmController } from './llm.controller.js';
import { BudgetLedgerRepository } from './budget-ledger.repository.js';
import { LlmBudgets } from './llm-budgets.js';
import { LlmGateway } from './llm.gateway.js';

/** The LLM gateway for every role that calls a model (api, worker: agents). */
@Global()
@Module({ providers: [BudgetLedgerRepository, LlmBudgets, LlmGateway], exports: [LlmGateway, LlmBudgets] })
export class LlmModule {}

/** Api role: GET /admin/llm. */
@Module({ controllers: [LlmController] })
export class LlmApiModule {}
