/**
 * Momentum (trending entities): what GET /trends serves, what trend snapshots store and what the
 * `trends.changed` bus topic carries (api instances forward it to socket.io clients).
 */
/** `$btc` → cashtag, `#ai` → hashtag, `@alice.bsky.social` → mention, anything else → domain. */
export function entityKind(entity) {
    switch (entity[0]) {
        case '$':
            return 'cashtag';
        case '#':
            return 'hashtag';
        case '@':
            return 'mention';
        default:
            return 'domain';
    }
}
//# sourceMappingURL=trends.js.map