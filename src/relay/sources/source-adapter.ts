import type { SiftEvent } from '../../../libs/contracts/event.js';

/** What one frame from a source turned out to be. */
export type FrameResult =
  | { kind: 'event'; event: SiftEvent }
  /** A valid frame that carries no event (a delete, a like, an identity update). */
  | { kind: 'skip'; cursor?: string }
  | { kind: 'bad'; reason: QuarantineReason; detail: string };

export type QuarantineReason =
  | 'oversized'
  | 'invalid_utf8'
  | 'not_json'
  | 'wrong_shape'
  | 'absurd_timestamp'
  | 'undecryptable';

/**
 * Maps one source protocol to the internal contract. Adapters are pure: the connection,
 * backoff, batching and storage around them are shared by every source.
 */
export interface SourceAdapter {
  readonly name: string;
  /** Whether the source can resume from a cursor (if not, reconnects may leave gaps). */
  readonly resumable: boolean;
  /** URL to connect to, resuming from `cursor` when given. */
  connectUrl(cursor: string | undefined): Promise<string> | string;
  parse(frame: Buffer): FrameResult;
  /** Source time of a cursor, for lag and gap bounds. */
  cursorTime(cursor: string): Date | undefined;
  /** The cursor to resume from so that `overlapMs` before `cursor` is replayed (dupes are dropped). */
  rewind(cursor: string, overlapMs: number): string;
}
