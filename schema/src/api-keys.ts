// API keys for third-party clients. A key is shown once, at creation; we keep
// its first characters (to find it and to show which key is which) and a
// SHA-256 hash. Keys are 256 random bits, so a fast hash is enough: there is
// nothing to brute-force as there would be with a password.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const PREFIX = "att";

/**
 * Active (unrevoked) API keys a trust may hold at once. Each key is a way in to
 * children's records; a trust with more than a few dozen integrations has lost
 * track of them (OWASP API Security Top 10 (2023) API4, unrestricted resource
 * consumption; API9, improper inventory management).
 */
export const API_CLIENTS_PER_TRUST = 50;

export interface NewApiKey {
  /** The whole key, to show once: `att_<id>_<secret>`. */
  key: string;
  /** `att_<id>`, stored and shown in lists. */
  keyPrefix: string;
  keyHash: string;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

export function newApiKey(): NewApiKey {
  const keyPrefix = `${PREFIX}_${randomBytes(6).toString("hex")}`;
  const key = `${keyPrefix}_${randomBytes(32).toString("base64url")}`;
  return { key, keyPrefix, keyHash: hashApiKey(key) };
}

/** The stored prefix of a presented key, or undefined if it is not shaped like one. */
export function apiKeyPrefix(key: string): string | undefined {
  const match = /^(att_[0-9a-f]{12})_[A-Za-z0-9_-]{43}$/.exec(key);
  return match?.[1];
}

export function apiKeyMatches(key: string, storedHash: string): boolean {
  const a = Buffer.from(hashApiKey(key), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
