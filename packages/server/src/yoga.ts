// The GraphQL endpoint: graphql-yoga serving the Pothos schema, with
// authentication, limits, persisted operations and the audit log.
import { fileURLToPath } from "node:url";
import { createYoga, useReadinessCheck, type YogaServerInstance } from "graphql-yoga";
import type { PrismaClient } from "@attendance/db";
import { schema, type GraphQLContext } from "@attendance/schema";
import type { Logger } from "./logger.ts";
import { buildContext, ClientRateLimits } from "./context.ts";
import { actorCache } from "./auth/authenticate.ts";
import { tokenVerifier } from "./auth/tokens.ts";
import { configFromEnv, jwtSecretOf, type ServerConfig } from "./config.ts";
import { protectionPlugins, defaultLimits, type ProtectionLimits } from "./plugins/protection.ts";
import { useAuditLog } from "./plugins/audit.ts";
import { useReadAudit } from "./plugins/read-audit.ts";
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
    maskedErrors: true,
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
      useAuditLog(logger),
      // Before the response cache, so that a read it answers is recorded too.
      ...useReadAudit(logger),
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
