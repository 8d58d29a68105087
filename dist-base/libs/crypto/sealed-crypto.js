import bs58 from 'bs58';
import { createDecipheriv, createPrivateKey, createPublicKey, sign } from 'node:crypto';
/** PKCS#8 DER prefix for a raw 32-byte Ed25519 seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
export class KeyEncodingError extends Error {
    name = 'KeyEncodingError';
}
/**
 * Parses a Solana-style secret key: base58 of 64 bytes (32-byte seed ‖ 32-byte public key), or
 * of the bare 32-byte seed. The classic mistakes — hex, base64, a JSON byte array from a keypair
 * file, a public key pasted instead of the secret — each get an error that names the mistake.
 */
export function parseSolanaSecretKey(input, varName = 'secret key') {
    const s = input.trim();
    if (!s)
        throw new KeyEncodingError(`${varName} is empty`);
    if (s.startsWith('[')) {
        throw new KeyEncodingError(`${varName} looks like a JSON byte array (a keypair file); expected the base58 string of those 64 bytes`);
    }
    if (/^(0x)?[0-9a-fA-F]{64}$|^(0x)?[0-9a-fA-F]{128}$/.test(s)) {
        throw new KeyEncodingError(`${varName} looks like hex; expected base58 (Solana secret key)`);
    }
    let bytes;
    try {
        bytes = bs58.decode(s);
    }
    catch {
        const bad = [...s].find((c) => !/[1-9A-HJ-NP-Za-km-z]/.test(c));
        const hint = /[+/=]/.test(s) ? ' (it contains + / or =, so it is probably base64)' : '';
        throw new KeyEncodingError(`${varName} is not valid base58: character ${JSON.stringify(bad)} is not in the base58 alphabet${hint}`);
    }
    if (bytes.length !== 64 && bytes.length !== 32) {
        throw new KeyEncodingError(`${varName} decodes to ${bytes.length} bytes; a Solana secret key is 64 bytes (seed ‖ public key) or a 32-byte seed`);
    }
    const seed = Buffer.from(bytes.subarray(0, 32));
    const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
    const pub = createPublicKey(privateKey).export({ format: 'jwk' }).x;
    const pubBytes = Buffer.from(pub, 'base64url');
    if (bytes.length === 64 && !pubBytes.equals(Buffer.from(bytes.subarray(32)))) {
        throw new KeyEncodingError(`${varName}: its last 32 bytes are not the public key of its first 32 (corrupted, or two keys pasted together)`);
    }
    return { privateKey, publicKeyBase58: bs58.encode(pubBytes) };
}
export function signChallenge(kp, challenge) {
    return bs58.encode(sign(null, Buffer.from(challenge, 'utf8'), kp.privateKey));
}
/** The AES-256-GCM key from the auth response: base64 of exactly 32 bytes. */
export function parseFrameKey(b64) {
    if (typeof b64 !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64)) {
        throw new KeyEncodingError('auth response "key" is not a base64 string');
    }
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32)
        throw new KeyEncodingError(`auth response "key" decodes to ${key.length} bytes; AES-256-GCM needs 32`);
    return key;
}
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Frame layout: 12-byte IV ‖ ciphertext ‖ 16-byte GCM tag. Throws when it does not authenticate. */
export function openFrame(key, frame) {
    if (frame.length < IV_BYTES + TAG_BYTES + 1)
        throw new Error(`frame of ${frame.length} bytes is shorter than IV + tag`);
    const iv = frame.subarray(0, IV_BYTES);
    const tag = frame.subarray(frame.length - TAG_BYTES);
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(frame.subarray(IV_BYTES, frame.length - TAG_BYTES)), d.final()]);
}
//# sourceMappingURL=sealed-crypto.js.map