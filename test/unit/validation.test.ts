import { BadRequestException, type ArgumentMetadata } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { apiValidationPipe } from '../../src/api/validation.js';
import { ListEventsQuery } from '../../src/events/events.dto.js';

/** The api's ValidationPipe over a real DTO: one clear message per bad parameter. */
async function messages(query: Record<string, string>): Promise<string[]> {
  const meta: ArgumentMetadata = { type: 'query', metatype: ListEventsQuery };
  try {
    await apiValidationPipe().transform(query, meta);
    return [];
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return ((err as BadRequestException).getResponse() as { message: string[] }).message;
  }
}

describe('api validation messages', () => {
  it('says only "whole number" for limit=abc, not the bounds that NaN also fails', async () => {
    expect(await messages({ limit: 'abc' })).toEqual(['limit must be a whole number']);
  });

  it('names the bound that a real number breaks', async () => {
    expect(await messages({ limit: '0' })).toEqual(['limit must not be less than 1']);
    expect(await messages({ limit: '501' })).toEqual(['limit must not be greater than 500']);
  });

  it('gives one message for each bad parameter, and names unknown ones', async () => {
    const m = await messages({ limit: '2.5', since: 'yesterday', colour: 'red' });
    expect(m).toHaveLength(3);
    expect(m).toContain('limit must be a whole number');
    expect(m).toContain('since must be an ISO 8601 date-time');
    expect(m).toContain('property colour should not exist');
  });

  it('passes a good query through, converted', async () => {
    const meta: ArgumentMetadata = { type: 'query', metatype: ListEventsQuery };
    expect(await apiValidationPipe().transform({ limit: '20' }, meta)).toMatchObject({ limit: 20 });
  });
});
