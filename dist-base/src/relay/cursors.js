/** Orders cursors: numeric cursors (no leading zeros) compare as numbers, others as strings. */
export function compareCursors(a, b) {
    if (a.length !== b.length)
        return a.length - b.length;
    return a < b ? -1 : a > b ? 1 : 0;
}
export function maxCursor(a, b) {
    if (a === undefined)
        return b;
    if (b === undefined)
        return a;
    return compareCursors(a, b) >= 0 ? a : b;
}
/** Highest cursor in the batch. */
export function lastCursor(batch) {
    let best;
    for (const e of batch)
        best = maxCursor(e.cursor, best);
    return best;
}
//# sourceMappingURL=cursors.js.map