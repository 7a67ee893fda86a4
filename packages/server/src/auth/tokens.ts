// Staff sign in elsewhere (the trust's identity provider) and call the API with
// a bearer JWT whose subject is their user id. We verify it with jose against a
// shared secret (HS256) or the provider's JWKS; roles come from our database,
// not from the token, so a role removed here takes effect at once.
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from "jose";

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
  const key = jwksUrl ? createRemoteJWKSet(new URL(jwksUrl)) : new TextEncoder().encode(secret);
  if (!jwksUrl && !secret) throw new Error("Either a JWT secret or a JWKS URL is required");
  return async (token) => {
    const { payload } = await jwtVerify(token, key as Uint8Array, { issuer, audience });
    if (typeof payload.sub !== "string" || payload.sub === "") throw new Error("token has no subject");
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
