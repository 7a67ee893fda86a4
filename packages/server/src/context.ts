// One context per request: who is calling (authenticated once), narrowed to
// the academy the request names, after the caller's rate limit.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Actor } from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import { createLoaders, forbidden, rateLimited, readableScope, type GraphQLContext } from "@attendance/schema";
import { authenticate, credentialsOf, type ActorCache } from "./auth/authenticate.ts";
import { policies } from "./policies.ts";
import type { TokenVerifier } from "./auth/tokens.ts";

/** The header a front end sends to work in one academy of several it may see. */
export const ACADEMY_HEADER = "x-academy-urn";

/** Per-API-client request budgets, each with the client's own limit per minute. */
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

/** The actor limited to one academy, or FORBIDDEN if it may not see it. */
async function narrowToAcademy(prisma: PrismaClient, actor: Actor, urnHeader: string): Promise<Actor> {
  const urn = Number(urnHeader);
  const academy = Number.isInteger(urn) ? await prisma.academy.findUnique({ where: { urn }, select: { id: true } }) : null;
  const grant = academy ? actor.academies.get(academy.id) : undefined;
  if (!academy || !grant) throw forbidden(`You may not work in academy ${urnHeader}.`);
  return { ...actor, academies: new Map([[academy.id, grant]]) };
}

export interface ContextDeps {
  prisma: PrismaClient;
  verifyToken: TokenVerifier;
  rateLimits: ClientRateLimits;
  /** Staff actors for a few seconds (none: authenticate every request in full). */
  actors?: ActorCache;
}

export async function buildContext({ prisma, verifyToken, rateLimits, actors }: ContextDeps, request: Request): Promise<GraphQLContext> {
  const client = await authenticate(prisma, verifyToken, credentialsOf(request), actors);
  if (!client) return { prisma, actor: null, policies, loaders: createLoaders(prisma, readableScope(null), policies) };
  if (client.rateLimitPerMinute !== undefined) await rateLimits.consume(client.actor.id, client.rateLimitPerMinute);
  const urn = request.headers.get(ACADEMY_HEADER);
  const actor = urn ? await narrowToAcademy(prisma, client.actor, urn) : client.actor;
  return { prisma, actor, policies, loaders: createLoaders(prisma, readableScope(actor), policies) };
}
