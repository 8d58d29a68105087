import { Injectable } from '@nestjs/common';

/** Set first thing on SIGTERM so readiness fails before anything else stops. */
@Injectable()
export class ShutdownState {
  draining = false;
}
