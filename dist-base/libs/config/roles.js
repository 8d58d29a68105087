export const ROLES = ['relay', 'api', 'worker'];
/**
 * Parses a role list such as `all`, `relay`, `relay,api`. `all` expands to every role.
 * Throws with the offending word so a typo in SIFT_ROLES or argv fails startup loudly.
 */
export function parseRoles(input) {
    const words = (input ?? 'all')
        .split(/[\s,]+/)
        .map((w) => w.trim().toLowerCase())
        .filter(Boolean);
    if (words.length === 0 || words.includes('all'))
        return [...ROLES];
    const bad = words.filter((w) => !ROLES.includes(w));
    if (bad.length) {
        throw new Error(`unknown role(s) ${bad.join(', ')}: expected all, ${ROLES.join(', ')}`);
    }
    return ROLES.filter((r) => words.includes(r));
}
//# sourceMappingURL=roles.js.map