// The GraphQL endpoint: graphql-yoga serving the Pothos schema, with
// authentication, limits, persisted operations, one database transaction per
// operation and the audit log.
import { fileURLToPath } from "node:url";
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from "graphql-yoga";
import { GraphQLError } from "graphql";
import { Prisma, type PrismaClient } from "@attendance/db";
import { schema, type GraphQLContext } from "@attendance/schema";
import type { Logger } from "./logger.ts";
import { buildContext, ClientRateLimits } from "./context.ts";
import { actorCache } from "./auth/authenticate.ts";
import { tokenVerifier } from "./auth/tokens.ts";
import { configFromEnv, jwtSecretOf, type ServerConfig } from "./config.ts";
import { protectionPlugins, defaultLimits, type ProtectionLimits } from "./plugins/protection.ts";
import { useOperationTransaction } from "./plugins/transaction.ts";
import { responseCachePlugins } from "./plugins/response-cache.ts";
import { useTypedInputErrors } from "./plugins/input-errors.ts";
import { loadManifest, persistedOperationsPlugin } from "./plugins/persisted-operations.ts";

const defaultManifest = fileURLToPath(new URL("../persisted-operations.json", import.meta.url));

export interface YogaOptions {
  prisma: PrismaClient;
  logger: Logger;
  config?: ServerConfig;
  limits?: ProtectionLimits;
  /** Woken when a request queued webhook deliveries. */
  webhooks?: { wake(): void };
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

export function createAttendanceYoga({ prisma, logger, config = configFromEnv(), limits = defaultLimits, webhooks }: YogaOptions): AttendanceYoga {
  const verifyToken = tokenVerifier({
    secret: jwtSecretOf(config),
    jwksUrl: config.JWT_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  // One per server, keyed by client: budgets outlive a request by design.
  const rateLimits = new ClientRateLimits();
  const actors = config.AUTH_CACHE_MS > 0 ? actorCache(config.AUTH_CACHE_MS) : undefined;
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: "/graphql",
    // Liveness: answers while the process runs.
    healthCheckEndpoint: "/health",
    landingPage: false,
    graphiql: { title: "Attendance policy API", headers: JSON.stringify({ Authorization: "Bearer <pnpm demo:token>" }) },
    // Unexpected errors reach the client as "Unexpected error." and the log
    // in full; errors we mean to show are GraphQLErrors with a code.
    maskedErrors: { maskError: maskUnexpected },
    // Batched requests would multiply every limit below.
    batching: false,
    logging: {
      debug: (...args) => logger.debug({ args }, "yoga"),
      info: (...args) => logger.info({ args }, "yoga"),
      warn: (...args) => logger.warn({ args }, "yoga"),
      error: (...args) => logger.error({ args }, "yoga"),
    },
    // Built afresh for every request: nothing request-scoped is shared.
    context: async ({ request }) => ({
      ...(await buildContext({ prisma, verifyToken, rateLimits, actors }, request)),
      eventsQueued: (count: number) => {
        if (count > 0) webhooks?.wake();
      },
      reportError: (error: unknown, message: string) => logger.error({ err: error }, message),
    }),
    plugins: [
      ...protectionPlugins(limits),
      persistedOperationsPlugin(loadManifest(config.PERSISTED_OPERATIONS ?? defaultManifest)),
      useTypedInputErrors(),
      // Before the cache: both wrap execution, and the later wraps the
      // earlier, so the cache is outermost and a hit opens no transaction.
      // Writes the audit log.
      useOperationTransaction({ role: config.DATABASE_APP_ROLE, timeoutMs: config.DATABASE_TRANSACTION_TIMEOUT_MS, logger }),
      ...responseCachePlugins({ ttlMs: config.RESPONSE_CACHE_MS, maxEntries: config.RESPONSE_CACHE_MAX }),
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
