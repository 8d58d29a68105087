/** Keeps the literal type (so `default` presence types the resolved config). */
export const spec = (s) => s;
export const ALL = 'all';
//# sourceMappingURL=spec.js.map