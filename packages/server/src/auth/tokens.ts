// Staff sign in elsewhere (the trust's identity provider) and call the API with
// a bearer JWT whose subject is their user id. We verify it with jose against a
// shared secret (HS256) or the provider's JWKS; roles come from our database,
// not from the token, so a role removed here takes effect at once.
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { LRUCache } from "lru-cache";

export interface TokenVerifierOptions {
  /** HS256 shared secret. */
  secret?: string | undefined;
  /** URL of the identity provider's JSON Web Key Set (RS256/ES256). */
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
}

export type TokenVerifier = (token: string) => Promise<JWTPayload & { sub: string }>;

export function tokenVerifier({ secret, jwksUrl, issuer, audience }: TokenVerifierOptions): TokenVerifier {
  if (!jwksUrl && !secret) throw new Error("Either a JWT secret or a JWKS URL is required");
  // The HMAC key imported once, not on every request.
  const key: Promise<CryptoKey> | ReturnType<typeof createRemoteJWKSet> = jwksUrl
    ? createRemoteJWKSet(new URL(jwksUrl))
    : crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  // A token whose signature was checked need not be checked again: it is
  // remembered (for at most a minute) and its expiry is still checked every time.
  const verified = new LRUCache<string, JWTPayload & { sub: string }>({ max: 10_000, ttl: 60_000 });
  return async (token) => {
    const known = verified.get(token);
    if (known && known.exp !== undefined && known.exp * 1000 > Date.now()) return known;
    // A token must say when it expires: one without exp would be a key for
    // ever, valid long after its holder left (the exp claim, RFC 7519
    // §4.1.4; OWASP API Security Top 10 (2023) API2, broken authentication).
    const options = { issuer, audience, requiredClaims: ["exp"] };
    const { payload } = typeof key === "function" ? await jwtVerify(token, key, options) : await jwtVerify(token, await key, options);
    if (typeof payload.sub !== "string" || payload.sub === "") throw new Error("token has no subject");
    verified.set(token, payload as JWTPayload & { sub: string });
    return payload as JWTPayload & { sub: string };
  };
}

/** Signs an HS256 token, for `pnpm demo:token` and tests. */
export function signStaffToken(
  userId: string,
  options: { secret: string; issuer: string; audience: string; expiresIn?: string },
): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(userId)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? "8h")
    .sign(new TextEncoder().encode(options.secret));
}
