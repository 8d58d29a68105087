import { readFile } from 'node:fs/promises';
/** Reads a model folder's JSON file, with errors that name the file and what is wrong with it. */
export async function readJson(path, what) {
    let text;
    try {
        text = await readFile(path, 'utf8');
    }
    catch (err) {
        const code = err.code;
        throw new Error(`${path}: cannot read ${what} (${code === 'ENOENT' ? 'file not found' : err.message})`);
    }
    try {
        return JSON.parse(text);
    }
    catch (err) {
        throw new Error(`${path}: ${what} is not valid JSON (${err.message})`);
    }
}
/** Scales `v` in place to unit length (a zero vector stays zero). */
export function l2normalise(v) {
    let sum = 0;
    for (const x of v)
        sum += x * x;
    const inv = sum > 0 ? 1 / Math.sqrt(sum) : 0;
    for (let i = 0; i < v.length; i++)
        v[i] *= inv;
    return v;
}
//# sourceMappingURL=model-files.js.map