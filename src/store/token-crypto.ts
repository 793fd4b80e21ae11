import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** An AES-256 key and the id stored beside everything it encrypted (not secret: a hash prefix). */
export interface EncryptionKey {
  readonly id: string;
  readonly key: Buffer;
}

/** The key new tokens are encrypted with, and older ones still read (until `keys rotate`). */
export interface KeyRing {
  readonly current: EncryptionKey;
  readonly old: readonly EncryptionKey[];
}

/** How to make a key, for every message that asks for one. */
export const MAKE_KEY_HINT =
  "make one with: node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\" (or openssl rand -base64 32)";

/** A key from its base64 text; throws a message without the value when it is not 32 bytes. */
export function parseKey(text: string): EncryptionKey {
  const trimmed = text.trim();
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, "base64") : Buffer.alloc(0);
  if (key.length !== 32) {
    throw new Error(`must be 32 bytes in base64 (44 characters), got ${key.length} bytes; ${MAKE_KEY_HINT}`);
  }
  return { id: createHash("sha256").update(key).digest("hex").slice(0, 12), key };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = "v1";

/**
 * AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` in base64url. `context` (the row the token belongs to)
 * is authenticated with it, so a ciphertext copied into another row does not decrypt.
 */
export function encryptToken(plain: string, key: EncryptionKey, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url")).join(".");
}

/** The token a sealed value holds; throws (naming no secret) when the key or context is wrong. */
export function decryptToken(sealed: string, key: EncryptionKey, context: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined)
    throw new Error("not a token sealed by em-focus");
  const decipher = createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

/** The key of the ring with this id, or undefined (a key no longer given). */
export function keyById(ring: KeyRing, id: string): EncryptionKey | undefined {
  return [ring.current, ...ring.old].find((key) => key.id === id);
}
