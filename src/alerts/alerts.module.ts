import { Global, Module } from '@nestjs/common';
import { ALERT_SINK } from '../../libs/contracts/alerts.js';
import { AlertsController } from './alerts.controller.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';

/** The ALERT_SINK for every role (budgets in api/worker, agents and drift later). */
@Global()
@Module({ providers: [AlertsRepository, AlertsService, { provide: ALERT_SINK, useExisting: AlertsService }], exports: [ALERT_SINK, AlertsRepository] })
export class AlertsModule {}

/** Api role: GET /alerts. */
@Module({ controllers: [AlertsController] })
export class AlertsApiModule {}
