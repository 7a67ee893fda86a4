// One context per request: who is calling (authenticated once), narrowed to
// the academy the request names, after the caller's rate limit.
import ipaddr from "ipaddr.js";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Actor } from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import { createLoaders, forbidden, rateLimited, readableScope, type GraphQLContext } from "@attendance/schema";
import { authenticate, credentialsOf, type ActorCache } from "./auth/authenticate.ts";
import { policies } from "./policies.ts";
import type { TokenVerifier } from "./auth/tokens.ts";

/** The header a front end sends to work in one academy of several it may see. */
export const ACADEMY_HEADER = "x-academy-urn";

/**
 * Request budgets per minute (OWASP API4:2023 Unrestricted Resource
 * Consumption): each API key its own limit, each staff member
 * RATE_LIMIT_STAFF_PER_MINUTE, and each client address
 * RATE_LIMIT_ANONYMOUS_PER_MINUTE for requests without valid credentials
 * (anonymous, a wrong or revoked key, a bad token). Kept in this process's
 * memory: with several instances each keeps its own (shared limits wait for
 * a shared store, issue 18).
 */
export class ClientRateLimits {
  private readonly limiters = new Map<number, RateLimiterMemory>();

  async consume(clientId: string, perMinute: number): Promise<void> {
    let limiter = this.limiters.get(perMinute);
    if (!limiter) {
      limiter = new RateLimiterMemory({ points: perMinute, duration: 60 });
      this.limiters.set(perMinute, limiter);
    }
    try {
      await limiter.consume(clientId);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) throw rateLimited(Math.ceil(rejection.msBeforeNext / 1000));
      throw rejection;
    }
  }
}

export interface RateLimitSettings {
  /** Requests a minute for each staff member. */
  staffPerMinute: number;
  /** Requests a minute from one client address without valid credentials. */
  anonymousPerMinute: number;
}

/**
 * The client's address: the socket's peer, or with `hops` trusted proxies in
 * front, the X-Forwarded-For entry that the nearest untrusted hop added (the
 * entries further left are the client's own claims and can be forged).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null, hops: number): string {
  const chain = [...(forwardedFor ?? "").split(",").map((a) => a.trim()).filter(Boolean), peer ?? "unknown"];
  return budgetKey(chain[Math.max(0, chain.length - 1 - hops)]!);
}

/**
 * The unit a budget is kept for: an IPv4 address (an IPv4-mapped IPv6 one
 * as IPv4), or an IPv6 /64, since one subscriber is usually given a whole
 * /64 and could otherwise take a fresh budget per address.
 */
function budgetKey(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`).toString()}/64`;
}

/** The actor limited to one academy, or FORBIDDEN if it may not see it. */
async function narrowToAcademy(prisma: PrismaClient, actor: Actor, urnHeader: string): Promise<Actor> {
  const urn = Number(urnHeader);
  const academy = Number.isInteger(urn) ? await prisma.academy.findUnique({ where: { urn }, select: { id: true } }) : null;
  const grant = academy ? actor.academies.get(academy.id) : undefined;
  if (!academy || !grant) throw forbidden(`You may not work in academy ${urnHeader}.`, { capabilities: ["read"] });
  return { ...actor, academies: new Map([[academy.id, grant]]) };
}

export interface ContextDeps {
  prisma: PrismaClient;
  verifyToken: TokenVerifier;
  rateLimits: ClientRateLimits;
  limits: RateLimitSettings;
  /** Staff actors for a few seconds (none: authenticate every request in full). */
  actors?: ActorCache;
}

export async function buildContext({ prisma, verifyToken, rateLimits, limits, actors }: ContextDeps, request: Request, address: string): Promise<GraphQLContext> {
  const addressKey = `address:${address}`;
  const credentials = credentialsOf(request);
  let client: Awaited<ReturnType<typeof authenticate>>;
  try {
    // Valid credentials are never refused for their address's failures (a
    // school's staff share one address); checking a key or a token is cheap.
    client = await authenticate(prisma, verifyToken, credentials, actors);
  } catch (error) {
    // A wrong key or a bad token spends the address's budget, as an anonymous
    // request does: once spent, the answer is 429, not whether it was right.
    await rateLimits.consume(addressKey, limits.anonymousPerMinute);
    throw error;
  }
  if (!client) {
    await rateLimits.consume(addressKey, limits.anonymousPerMinute);
    return { prisma, actor: null, policies, loaders: createLoaders(prisma, readableScope(null), policies) };
  }
  if (client.rateLimitPerMinute !== undefined) await rateLimits.consume(`client:${client.actor.id}`, client.rateLimitPerMinute);
  else await rateLimits.consume(`user:${client.actor.id}`, limits.staffPerMinute);
  const urn = request.headers.get(ACADEMY_HEADER);
  const actor = urn ? await narrowToAcademy(prisma, client.actor, urn) : client.actor;
  return {
    prisma, actor, policies, loaders: createLoaders(prisma, readableScope(actor), policies),
    tokenExpiresAt: client.expiresAt ?? null,
    audit: { academyId: null },
    // A role or tutor assignment changed: cached actors may hold what was revoked.
    staffChanged: () => actors?.clear(),
  };
}
