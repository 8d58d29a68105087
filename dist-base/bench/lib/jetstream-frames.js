import { DEFAULT_START_TIME_US, generateSample } from '../../scripts/generate-sample.js';
const POST_MARK = '"operation":"create","collection":"app.bsky.feed.post"';
/**
 * `n` Jetstream `app.bsky.feed.post` create frames with realistic texts and entities (the sample
 * generator's vocabulary: hashtags, cashtags, mentions, links, multilingual and long posts),
 * deterministic for a given seed, every record key unique. The generator's non-post traffic
 * (deletes, likes, identity/account) is dropped so every frame becomes one row.
 */
export function makePostFrames(n, seed = 42) {
    let count = Math.ceil(n * 1.05) + 100;
    for (;;) {
        const posts = generateSample({ count, seed, startTimeUs: DEFAULT_START_TIME_US }).filter((l) => l.includes(POST_MARK));
        if (posts.length >= n)
            return posts.slice(0, n);
        count = Math.ceil(count * 1.1);
    }
}
//# sourceMappingURL=jetstream-frames.js.map