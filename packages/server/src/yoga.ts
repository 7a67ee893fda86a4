// The GraphQL endpoint: graphql-yoga serving the Pothos schema, with
// authentication, limits, persisted operations, one database transaction per
// operation and the audit log.
import type { IncomingMessage } from "node:http";
import { fileURLToPath } from "node:url";
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from "graphql-yoga";
import { GraphQLError } from "graphql";
import { Prisma, type PrismaClient } from "@attendance/db";
import { schema, type GraphQLContext, type WebhookTargetPolicy } from "@attendance/schema";
import type { Logger } from "./logger.ts";
import { buildContext, clientAddress, ClientRateLimits } from "./context.ts";
import { actorCache } from "./auth/authenticate.ts";
import { tokenVerifier } from "./auth/tokens.ts";
import { configFromEnv, jwtSecretOf, webhookTargetsOf, type ServerConfig } from "./config.ts";
import { protectionPlugins, defaultLimits, useAnonymousIntrospectionRefusal, type ProtectionLimits } from "./plugins/protection.ts";
import { corsFor, graphiqlPage, useGraphiQLHeaders } from "./plugins/browser.ts";
import { graphiqlOptions } from "./graphiql-examples.ts";
import { useOperationTransaction } from "./plugins/transaction.ts";
import { useRefuseNulBytes } from "./plugins/nul-bytes.ts";
import { useReadAudit } from "./plugins/read-audit.ts";
import { responseCachePlugins, type ResponseCacheStats } from "./plugins/response-cache.ts";
import { useTypedInputErrors } from "./plugins/input-errors.ts";
import { loadManifest, persistedOperationsPlugin } from "./plugins/persisted-operations.ts";

const defaultManifest = fileURLToPath(new URL("../persisted-operations.json", import.meta.url));

export interface YogaOptions {
  prisma: PrismaClient;
  logger: Logger;
  config?: ServerConfig;
  limits?: ProtectionLimits;
  /** Operations' database client, logged in as the application role (DATABASE_APP_URL); default `prisma`. */
  operationPrisma?: PrismaClient;
  /** Woken when a request queued webhook deliveries. */
  webhooks?: { wake(): void };
  /** Woken when a request queued an escalation evaluation. */
  escalations?: { wake(): void };
  /** Where webhooks may be sent (name resolution injectable for tests). */
  webhookTargets?: WebhookTargetPolicy;
  /** Counts the response cache's lookups and hits into this, when given. */
  responseCacheStats?: ResponseCacheStats;
}

/**
 * A record a resolver required and did not find (Prisma P2025, as from
 * `node(id:)`): NOT_FOUND, worded the same whether the row does not exist or
 * belongs to another trust and row-level security hides it, so existence does
 * not leak across trusts (OWASP API Security Top 10 2023, API1). Anything
 * else unexpected stays masked.
 */
function maskUnexpected(error: unknown, message: string, isDev?: boolean): Error {
  const original = error instanceof GraphQLError ? error.originalError : error;
  if (error instanceof GraphQLError && original instanceof Prisma.PrismaClientKnownRequestError && original.code === "P2025") {
    return new GraphQLError("Nothing was found with that ID.", {
      nodes: error.nodes, source: error.source, positions: error.positions, path: error.path,
      extensions: { code: "NOT_FOUND" },
    });
  }
  return maskError(error, message, isDev);
}

export type AttendanceYoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

export function createAttendanceYoga({ prisma, operationPrisma, logger, config = configFromEnv(), limits = defaultLimits, webhooks, escalations, webhookTargets = webhookTargetsOf(config), responseCacheStats }: YogaOptions): AttendanceYoga {
  const verifyToken = tokenVerifier({
    secret: jwtSecretOf(config),
    jwksUrl: config.JWT_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  // One per server, keyed by client: budgets outlive a request by design.
  const rateLimits = new ClientRateLimits();
  const rateLimitSettings = {
    staffPerMinute: config.RATE_LIMIT_STAFF_PER_MINUTE,
    anonymousPerMinute: config.RATE_LIMIT_ANONYMOUS_PER_MINUTE,
  };
  let graphiql: { html: string; csp: string } | undefined;
  const actors = config.AUTH_CACHE_MS > 0 ? actorCache(config.AUTH_CACHE_MS) : undefined;
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // Liveness: answers while the process runs.
    healthCheckEndpoint: "/health",
    landingPage: false,
    // Opens on example operations for a trust lead, an attendance officer and
    // a front-end developer, each telling how to get a demo token (graphiql-examples.ts).
    graphiql: graphiqlOptions(),
    // Self-hosted GraphiQL (no CDN), rendered once, sent under its CSP (plugins/browser.ts).
    renderGraphiQL: (options) => {
      graphiql ??= graphiqlPage(options);
      return graphiql.html;
    },
    // Only the origins in CORS_ORIGINS, without credentials (plugins/browser.ts).
    cors: corsFor(config.CORS_ORIGINS),
    // Unexpected errors reach the client as "Unexpected error." and the log
    // in full; errors we mean to show are GraphQLErrors with a code.
    maskedErrors: { maskError: maskUnexpected },
    // Counted while the body streams in, Content-Length or not (chunked): past
    // the limit the read stops and the answer is 413 REQUEST_ENTITY_TOO_LARGE.
    // It also bounds a register's marks before any is parsed: 256 KiB holds
    // about 3,000, so a 100,000-mark body is cut off unread.
    // Uploads (multipart/form-data) may be as large as maxUploadBytes; every
    // other request is held to maxBodyBytes the same way (useBodyLimit,
    // plugins/protection.ts).
    maxRequestBodySize: limits.maxUploadBytes,
    // Batched requests would multiply every limit below.
    batching: false,
    logging: {
      debug: (...args) => logger.debug({ args }, "yoga"),
      info: (...args) => logger.info({ args }, "yoga"),
      warn: (...args) => logger.warn({ args }, "yoga"),
      error: (...args) => logger.error({ args }, "yoga"),
    },
    // Built afresh for every request: nothing request-scoped is shared.
    context: async ({ request, req }: { request: Request; req?: IncomingMessage }) => ({
      ...(await buildContext(
        { prisma, verifyToken, rateLimits, limits: rateLimitSettings, actors },
        request,
        clientAddress(req?.socket.remoteAddress, request.headers.get("x-forwarded-for"), config.TRUST_PROXY_HOPS),
      )),
      webhookTargets,
      eventsQueued: (count: number) => {
        if (count > 0) webhooks?.wake();
      },
      escalationsQueued: () => escalations?.wake(),
      reportError: (error: unknown, message: string) => logger.error({ err: error }, message),
    }),
    plugins: [
      useGraphiQLHeaders(() => graphiql?.csp),
      ...protectionPlugins(limits),
      useAnonymousIntrospectionRefusal(),
      persistedOperationsPlugin(loadManifest(config.PERSISTED_OPERATIONS ?? defaultManifest)),
      useTypedInputErrors(),
      // Before the transaction, which then wraps the refusal: it is rolled
      // back and audited like any refused mutation.
      useRefuseNulBytes(),
      // Before the cache: both wrap execution, and the later wraps the
      // earlier, so the cache is outermost and a hit opens no transaction.
      // Writes the audit log.
      useOperationTransaction({ role: config.DATABASE_APP_ROLE, timeoutMs: config.DATABASE_TRANSACTION_TIMEOUT_MS, logger, prisma: operationPrisma }),
      // Before the response cache, so that a read it answers is recorded too.
      ...useReadAudit(logger),
      ...responseCachePlugins({
        ttlMs: config.RESPONSE_CACHE_MS,
        maxEntries: config.RESPONSE_CACHE_MAX,
        maxBytes: config.RESPONSE_CACHE_MAX_BYTES,
        maxEntryBytes: config.RESPONSE_CACHE_MAX_ENTRY_BYTES,
        ...(responseCacheStats ? { stats: responseCacheStats } : {}),
      }),
      // Readiness: the database answers.
      useReadinessCheck({
        endpoint: "/ready",
        check: async () => {
          await prisma.$queryRaw`SELECT 1`;
        },
      }),
    ],
  });
}
