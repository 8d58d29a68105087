import { ENV_SCHEMA } from './schema.js';
const rolesOf = (s) => (s.roles === 'all' ? 'all' : s.roles.join(', '));
/** `.env.example`, generated from the schema; CI checks the committed copy is current. */
export function renderEnvExample() {
    const lines = ['# Generated from libs/config/schema.ts by `npm run env:example`. Do not edit by hand.', ''];
    for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
        lines.push(`# ${spec.description}`);
        lines.push(`# roles: ${rolesOf(spec)}${spec.required ? ' · required' : ''}${spec.secret ? ' · secret' : ''}`);
        lines.push(spec.default !== undefined ? `# ${name}=${spec.default}` : `${name}=`);
        lines.push('');
    }
    return lines.join('\n');
}
/** Markdown table of every env var, for README and docs/operations.md. */
export function renderEnvTable() {
    const esc = (s) => s.replace(/\|/g, '\\|');
    const rows = ['| var | roles | default | secret | what it does |', '| --- | --- | --- | --- | --- |'];
    for (const [name, spec] of Object.entries(ENV_SCHEMA)) {
        const def = spec.default !== undefined ? `\`${esc(spec.default)}\`` : spec.required ? '**required**' : '(unset)';
        rows.push(`| \`${name}\` | ${rolesOf(spec)} | ${def} | ${spec.secret ? 'yes' : ''} | ${esc(spec.description)} |`);
    }
    return rows.join('\n');
}
//# sourceMappingURL=env-docs.js.map