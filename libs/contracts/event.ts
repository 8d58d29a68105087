/**
 * The internal event contract. Every source adapter maps its frames to this shape, so nothing
 * downstream of the relay ever sees a source's wire format.
 */
export interface SiftEvent {
  /** Configured source name (e.g. "bsky", "demo"); several sources may share one adapter kind. */
  source: string;
  /** The source's own id for the event; unique per source and the dedupe key. */
  sourceEventId: string;
  author: string;
  text: string;
  /** When the source says the event happened. */
  createdAt: Date;
  /** Normalised entities: `$btc` cashtags, `#ai` hashtags, `@alice.bsky.social` mentions, `example.com` domains. */
  entities: string[];
  /** Opaque resume position the source can be asked to continue from (e.g. Jetstream time_us). */
  cursor?: string;
  lang?: string;
}

/** What the API and socket.io clients see for a stored event. */
export interface StoredEvent {
  id: string;
  source: string;
  sourceEventId: string;
  author: string;
  text: string;
  entities: string[];
  createdAt: string;
  ingestedAt: string;
}
