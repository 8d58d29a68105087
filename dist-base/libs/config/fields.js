import { z } from 'zod';
/**
 * Field builders for the env schema. Env vars arrive as strings; each builder parses one and
 * produces a message that says what a valid value looks like.
 */
export const int = (min, max) => z
    .string()
    .trim()
    .regex(/^-?\d+$/, `must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));
export const bool = () => z
    .string()
    .trim()
    .toLowerCase()
    .refine((s) => ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'].includes(s), {
    message: 'must be true or false',
})
    .transform((s) => ['true', '1', 'yes', 'on'].includes(s));
export const oneOf = (values) => z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(values, { message: `must be one of ${values.join(', ')}` }));
/** Removes trailing slashes from the path so `http://x/` and `http://x` behave the same. */
export function normaliseUrl(raw) {
    const u = new URL(raw);
    const path = u.pathname.replace(/\/+$/, '');
    const auth = u.username || u.password ? `${u.username}${u.password ? `:${u.password}` : ''}@` : '';
    return `${u.protocol}//${auth}${u.host}${path}${u.search}`;
}
export const url = (protocols) => z
    .string()
    .trim()
    .refine((s) => {
    try {
        return protocols.includes(new URL(s).protocol.replace(/:$/, ''));
    }
    catch {
        return false;
    }
}, { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` })
    .transform(normaliseUrl);
export const list = () => z.string().transform((s) => s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean));
/** A JSON-valued var validated against `schema`; the error names the JSON path that is wrong. */
export const json = (schema) => z.string().transform((s, ctx) => {
    let parsed;
    try {
        parsed = JSON.parse(s);
    }
    catch (err) {
        ctx.addIssue({ code: 'custom', message: `is not valid JSON (${err.message})` });
        return z.NEVER;
    }
    const r = schema.safeParse(parsed);
    if (!r.success) {
        for (const issue of r.error.issues) {
            ctx.addIssue({
                code: 'custom',
                message: `${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}`,
            });
        }
        return z.NEVER;
    }
    return r.data;
});
//# sourceMappingURL=fields.js.map