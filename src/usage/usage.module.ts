import { Module } from '@nestjs/common';
import { UsageRetentionProcessor } from './usage-retention.processor.js';
import { UsageController } from './usage.controller.js';

/*
 * The meter itself (UsageMeter under USAGE_SINK, and UsageRepository) is provided by CoreModule,
 * so every role has it and CoreShutdown flushes it after the HTTP server stops and before the
 * pool closes. These modules add the role-specific parts.
 */

/** Api role: GET /usage and GET /admin/usage. (HttpMeteringMiddleware is applied by ApiModule.) */
@Module({ controllers: [UsageController] })
export class UsageApiModule {}

/** Worker role: the usage-retention job. */
@Module({ providers: [UsageRetentionProcessor], exports: [UsageRetentionProcessor] })
export class UsageWorkerModule {}
