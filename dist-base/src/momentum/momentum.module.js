var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
import { Module } from '@nestjs/common';
import { MomentumProcessor } from './momentum.processor.js';
import { MomentumService } from './momentum.service.js';
/** Worker role: the scheduled leaderboard recompute, snapshots and `trends.changed` broadcasts. */
let MomentumModule = class MomentumModule {
};
MomentumModule = __decorate([
    Module({
        providers: [MomentumService, MomentumProcessor],
        exports: [MomentumService, MomentumProcessor],
    })
], MomentumModule);
export { MomentumModule };
//# sourceMappingURL=momentum.module.js.map