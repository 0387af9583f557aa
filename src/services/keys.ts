import { hexOfSignedBytes } from '../domain/audit';
import { UserError } from '../errors';
import { registryProperties } from './store';

/**
 * The registry's signing key (DESIGN §6.1): 256 bits from several Utilities.getUuid() values
 * hashed (Math.random is not a source of secrets), kept only in the registry's store, with an
 * ID recorded beside every MAC. A registry that has been set up but has no key fails closed:
 * it is never treated as a first run.
 */
const KEY = 'signingKey';

interface StoredKey {
  id: string;
  /** The key bytes, base64. */
  key: string;
}

export interface SigningKey {
  id: string;
  bytes: number[];
}

function decode(stored: StoredKey): SigningKey {
  return { id: stored.id, bytes: Utilities.base64Decode(stored.key) };
}

export function signingKey(): SigningKey | null {
  const text = registryProperties().getProperty(KEY);
  if (text === null) return null;
  try {
    return decode(JSON.parse(text) as StoredKey);
  } catch {
    return null;
  }
}

/** The key, or a refusal: nothing is written unsigned. */
export function requireSigningKey(): SigningKey {
  const key = signingKey();
  if (!key) {
    throw new UserError(
      "This registry's signing key is missing, so Governed Path will not record anything. Ask the security team to run Set up or repair registry; if the key was lost, the audit log must be re-anchored by two security-team members.",
    );
  }
  return key;
}

/** Creates the key once; returns the existing one if there is one. */
export function createSigningKey(): SigningKey {
  const existing = signingKey();
  if (existing) return existing;
  const seed = [Utilities.getUuid(), Utilities.getUuid(), Utilities.getUuid(), Utilities.getUuid()];
  const bytes = Utilities.computeDigest(
    Utilities.DigestAlgorithm.SHA_256,
    seed.join(':'),
    Utilities.Charset.UTF_8,
  );
  const id = `k-${hexOfSignedBytes(
    Utilities.computeDigest(Utilities.DigestAlgorithm.SHA_256, Utilities.getUuid()),
  ).slice(0, 12)}`;
  const stored: StoredKey = { id, key: Utilities.base64Encode(bytes) };
  registryProperties().setProperty(KEY, JSON.stringify(stored));
  return decode(stored);
}

/** HMAC-SHA256 of UTF-8 text under the key, as hex. */
export function hmacHex(key: SigningKey, text: string): string {
  return hexOfSignedBytes(
    Utilities.computeHmacSha256Signature(Utilities.newBlob(text).getBytes(), key.bytes),
  );
}

/** The zone owned dates are sealed in: recorded when the chain starts (DESIGN §6.1). */
const ZONE_KEY = 'sealZone';

export function recordSealZone(zone: string): void {
  registryProperties().setProperty(ZONE_KEY, zone);
}

export function sealZone(): string | null {
  return registryProperties().getProperty(ZONE_KEY);
}
