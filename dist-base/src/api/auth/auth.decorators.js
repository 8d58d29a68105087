import { SetMetadata } from '@nestjs/common';
export const PUBLIC_ROUTE = 'sift:public';
export const REQUIRED_SCOPE = 'sift:scope';
export const RATE_BUCKET = 'sift:rate-bucket';
/** No API key needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The scope a key must have; routes without it need `read`. */
export const RequireScope = (scope) => SetMetadata(REQUIRED_SCOPE, scope);
/** Count this route against a separate, tighter budget. */
export const RateBucket = (bucket) => SetMetadata(RATE_BUCKET, bucket);
//# sourceMappingURL=auth.decorators.js.map