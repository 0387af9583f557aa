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

/**
 * Key rotation (DESIGN §6.1): the current key is retired (kept to verify the log up to the
 * entry that recorded the rotation, and the snapshots signed before it) and a new one takes
 * over; rows are re-sealed in batches, and until the last is, seals under the key being
 * rotated out still count in the sheets. Nothing else a retired key signed is accepted.
 */
const RETIRED = 'retiredKeys';
const ROTATION = 'keyRotation';

interface RetiredKey extends StoredKey {
  /** The last audit entry this key signed (the one that records the rotation). */
  until: number;
}

export interface Rotation {
  from: string;
  to: string;
  at: string;
}

export function retiredKeys(): (SigningKey & { until: number })[] {
  try {
    const list = JSON.parse(registryProperties().getProperty(RETIRED) ?? '[]') as RetiredKey[];
    return list.map((k) => ({ ...decode(k), until: k.until })).sort((a, b) => a.until - b.until);
  } catch {
    return [];
  }
}

export function keyRotation(): Rotation | null {
  const text = registryProperties().getProperty(ROTATION);
  return text ? (JSON.parse(text) as Rotation) : null;
}

/** Retires the current key after audit entry `until` and makes a new one current. */
export function startKeyRotation(until: number, now: Date): Rotation {
  const store = registryProperties();
  const old = JSON.parse(store.getProperty(KEY) ?? 'null') as StoredKey | null;
  if (!old) throw new UserError('The registry has no signing key to rotate.');
  if (keyRotation()) throw new UserError('A key rotation is already under way.');
  const retired = JSON.parse(store.getProperty(RETIRED) ?? '[]') as RetiredKey[];
  store.setProperty(RETIRED, JSON.stringify([...retired, { ...old, until }]));
  store.deleteProperty(KEY);
  const next = createSigningKey();
  const rotation: Rotation = { from: old.id, to: next.id, at: now.toISOString() };
  store.setProperty(ROTATION, JSON.stringify(rotation));
  return rotation;
}

export function finishKeyRotation(): void {
  registryProperties().deleteProperty(ROTATION);
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
