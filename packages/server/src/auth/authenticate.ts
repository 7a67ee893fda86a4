// Who is calling: a staff user (bearer JWT) or an API client (API key), turned
// into an Actor with exactly the academies and capabilities it may use.
import { apiClientActor, boundedByCreator, userActor, type Actor } from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import { unauthenticated } from "@attendance/schema";
import { apiKeyMatches, apiKeyPrefix } from "@attendance/schema";
import { LRUCache } from "lru-cache";
import type { TokenVerifier } from "./tokens.ts";

/**
 * Staff actors by user id, for a few seconds: a dashboard's requests then cost
 * no authentication queries. The token is still verified on every request
 * (so expiry is exact); a change of roles applies within the TTL. API keys are
 * never cached: a revoked key is refused at once.
 */
export type ActorCache = LRUCache<string, Actor>;

export function actorCache(ttlMs = 5_000): ActorCache {
  return new LRUCache<string, Actor>({ max: 10_000, ttl: ttlMs });
}

export interface Credentials {
  bearer?: string | undefined;
  apiKey?: string | undefined;
}

/** Credentials from `Authorization: Bearer …` (a JWT or an API key) or `X-API-Key`. */
export function credentialsOf(request: Request): Credentials {
  const authorization = request.headers.get("authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const apiKey = request.headers.get("x-api-key") ?? (bearer?.startsWith("att_") ? bearer : undefined);
  return { bearer: apiKey ? undefined : bearer, apiKey: apiKey ?? undefined };
}

export interface AuthenticatedClient {
  actor: Actor;
  /** When the bearer token expires (its `exp` claim); absent for an API key, which lasts until revoked. */
  expiresAt?: Date;
  /** For API clients: requests allowed per minute. */
  rateLimitPerMinute?: number;
}

/**
 * The actor for these credentials; null when there are none (every data field
 * then answers UNAUTHENTICATED). Credentials that are present but wrong fail
 * the whole request with UNAUTHENTICATED.
 */
export async function authenticate(
  prisma: PrismaClient,
  verifyToken: TokenVerifier,
  { bearer, apiKey }: Credentials,
  cache?: ActorCache,
): Promise<AuthenticatedClient | null> {
  if (apiKey) return authenticateApiKey(prisma, apiKey);
  if (bearer) return authenticateUser(prisma, verifyToken, bearer, cache);
  return null;
}

async function authenticateUser(prisma: PrismaClient, verifyToken: TokenVerifier, token: string, cache?: ActorCache): Promise<AuthenticatedClient> {
  let claims: Awaited<ReturnType<TokenVerifier>>;
  try {
    claims = await verifyToken(token);
  } catch {
    throw unauthenticated("The bearer token is invalid or has expired.");
  }
  // Every verified token has exp (tokens.ts requires it, RFC 7519 §4.1.4).
  const expiresAt = new Date((claims.exp ?? 0) * 1000);
  const cached = cache?.get(claims.sub);
  if (cached) return { actor: cached, expiresAt };
  // The subject as our user id first (the tokens the demo and tests sign), at
  // no more cost than before; then the subject or e-mail an identity provider
  // knows them by.
  let actor = isUuid(claims.sub) ? await staffActor(prisma, claims.sub.toLowerCase()) : null;
  if (!actor) {
    const userId = await userOfToken(prisma, claims);
    if (!userId) throw unauthenticated("This user has no role in exactly one trust.");
    actor = await staffActor(prisma, userId);
  }
  if (!actor) throw unauthenticated("This user has no role in exactly one trust.");
  cache?.set(claims.sub, actor);
  return { actor, expiresAt };
}

/**
 * The user a verified token is for (issue 15) when its subject is not our
 * user id (tokens this service's demo and tests sign): the user whose
 * identity-provider subject (app_user.subject, set by inviteStaff or
 * updateStaff) it is, else the user with the token's e-mail claim, when the
 * provider says it is verified (OpenID Connect Core 1.0 §5.1, email_verified:
 * an unverified address proves nothing).
 */
async function userOfToken(prisma: PrismaClient, claims: Awaited<ReturnType<TokenVerifier>>): Promise<string | null> {
  const bySubject = await prisma.user.findUnique({ where: { subject: claims.sub }, select: { id: true } });
  if (bySubject) return bySubject.id;
  const email = typeof claims.email === "string" && claims.email_verified === true ? claims.email : null;
  if (email && email.length <= 254) {
    const byEmail = await prisma.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true } });
    if (byEmail) return byEmail.id;
  }
  return null;
}

/** A staff user's actor from their roles now; null if they have none, or roles in more than one trust. */
async function staffActor(prisma: PrismaClient, userId: string): Promise<Actor | null> {
  const assignments = await prisma.roleAssignment.findMany({
    // A revoked role grants nothing from the moment it is revoked.
    where: { userId, revokedAt: null },
    select: { role: true, trustId: true, academyId: true },
  });
  const trustIds = [...new Set(assignments.map((a) => a.trustId))];
  if (assignments.length === 0 || trustIds.length !== 1) return null;
  const [academies, tutorOf] = await Promise.all([
    prisma.academy.findMany({ where: { trustId: trustIds[0]! }, select: { id: true } }),
    prisma.form.findMany({ where: { tutors: { some: { userId, revokedAt: null } } }, select: { id: true, academyId: true } }),
  ]);
  const forms = new Map<string, string[]>();
  for (const f of tutorOf) forms.set(f.academyId, [...(forms.get(f.academyId) ?? []), f.id]);
  return userActor(userId, assignments, academies.map((a) => a.id), forms);
}

async function authenticateApiKey(prisma: PrismaClient, key: string): Promise<AuthenticatedClient> {
  const keyPrefix = apiKeyPrefix(key);
  const client = keyPrefix
    ? await prisma.apiClient.findUnique({
        where: { keyPrefix },
        select: { id: true, trustId: true, keyHash: true, scopes: true, revokedAt: true, rateLimitPerMinute: true, createdById: true, academies: { select: { academyId: true } } },
      })
    : null;
  if (!client || client.revokedAt || !apiKeyMatches(key, client.keyHash)) {
    throw unauthenticated("The API key is unknown or has been revoked.");
  }
  let actor = apiClientActor(client.id, client.trustId, client.scopes, client.academies.map((a) => a.academyId));
  // A key made through the API is bounded by what its creator holds now (a
  // key made before createApiClient checked scopes, or whose creator has since
  // lost a role, is cut down; OWASP API Security Top 10 (2023) API5). A key
  // with no creator was issued outside the API, by the service's operators.
  if (client.createdById) actor = boundedByCreator(actor, await staffActor(prisma, client.createdById));
  return { actor, rateLimitPerMinute: client.rateLimitPerMinute };
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
