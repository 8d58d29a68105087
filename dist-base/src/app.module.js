var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var AppModule_1;
import { Module } from '@nestjs/common';
import { ApiModule } from './api/api.module.js';
import { CoreModule } from './core/core.module.js';
import { HealthModule } from './health/health.module.js';
import { RelayModule } from './relay/relay.module.js';
import { WorkerModule } from './worker/worker.module.js';
/**
 * Composes the role modules this process runs, and nothing else. A role that is not selected is
 * not imported, so it opens no connections and starts no loops.
 */
let AppModule = AppModule_1 = class AppModule {
    static forRoles(cfg) {
        const roles = new Set(cfg.roles);
        return {
            module: AppModule_1,
            imports: [
                CoreModule.forRoot(cfg),
                HealthModule,
                ...(roles.has('relay') ? [RelayModule] : []),
                ...(roles.has('api') ? [ApiModule] : []),
                ...(roles.has('worker') ? [WorkerModule] : []),
            ],
        };
    }
};
AppModule = AppModule_1 = __decorate([
    Module({})
], AppModule);
export { AppModule };
//# sourceMappingURL=app.module.js.map