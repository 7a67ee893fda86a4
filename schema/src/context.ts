// The per-request context every resolver receives. The server builds one per
// request (packages/server/src/context.ts); nothing request-scoped lives at
// module level (STYLE.md §6).
import type { Actor, PolicyRegistry } from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import type { Loaders } from "./loaders.ts";
import type { WebhookTargetPolicy } from "./webhook-targets.ts";

export interface GraphQLContext {
  /** The Prisma client for this request's database. */
  prisma: PrismaClient;
  /** Who is calling; null without credentials (then every data field is UNAUTHENTICATED). */
  actor: Actor | null;
  /** When the caller's bearer token expires; null for an API key (valid until revoked) or without credentials. */
  tokenExpiresAt?: Date | null;
  /** The policy plugins, to resolve each academy's settings (register times, …). */
  policies: PolicyRegistry;
  /** DataLoaders made for this request only. */
  loaders: Loaders;
  /** Called after a write committed `count` webhook deliveries, so they go out now rather than at the next poll. */
  eventsQueued?: (count: number) => void;
  /**
   * Called after a write committed an escalation job (workflows/escalation-queue.ts),
   * so the worker evaluates it now rather than at its next poll.
   */
  escalationsQueued?: () => void;
  /** Where webhooks may be sent (production or not, name resolution); absent: the production rules. */
  webhookTargets?: WebhookTargetPolicy;
  /**
   * The academy a mutation acted on, for its audit row (academy_id): set by
   * the resolver once it has found it. One object per request, shared by the
   * operation's copies of the context.
   */
  audit?: { academyId: string | null };
  /** Called after a change of roles or form tutors, so that cached sign-ins are looked up again. */
  staffChanged?: () => void;
  /** Logs an error that must not fail the request (e.g. escalation evaluation after a register was taken). */
  reportError?: (error: unknown, message: string) => void;
}
