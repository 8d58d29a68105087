/**
 * mulberry32: a tiny, well-mixed 32-bit PRNG. Only integer operations, so a seed gives the same
 * sequence on every platform: used for the bundled model's bucket vectors, sample data and
 * deterministic test/bench fixtures. Not for anything secret.
 */
export function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
//# sourceMappingURL=random.js.map