import { BadRequestException, Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';

/**
 * Postgres text cannot hold NUL, and no legitimate query or body needs one: refuse it up front
 * with a 400 naming the field, instead of letting the database turn it into a 500.
 */
@Injectable()
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata) {
    if (meta.type === 'custom') return value;
    const bad = findNul(value, meta.data ?? meta.type);
    if (bad) throw new BadRequestException([`${bad} contains a NUL character`]);
    return value;
  }
}

function findNul(v: unknown, path: string, depth = 0): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? path : undefined;
  if (depth > 8 || v === null || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    const hit = findNul(x, path === 'query' || path === 'body' || path === 'param' ? k : `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return undefined;
}
