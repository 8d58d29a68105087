import bs58 from 'bs58';
import { generateKeyPairSync } from 'node:crypto';

/** A fresh Solana-style keypair: base58(seed ‖ public key) and base58(public key). */
export function solanaKeypair(): { secret: string; publicKey: string; seed: Buffer; pub: Buffer } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  return { secret: bs58.encode(Buffer.concat([seed, pub])), publicKey: bs58.encode(pub), seed, pub };
}
