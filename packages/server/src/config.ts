// Server settings from the environment, each with its default.
import { z } from "zod";
import type { WebhookLookup, WebhookTargetPolicy } from "@attendance/schema";

const Config = z.object({
  /** TCP port to listen on. 0 picks a free port (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  /** Interface to listen on. */
  HOST: z.string().default("0.0.0.0"),
  /** PostgreSQL connection string; without it the embedded PGlite is used. */
  DATABASE_URL: z.string().optional(),
  /**
   * The database role GraphQL operations run as (SET LOCAL ROLE in each
   * transaction): not the owner, no superuser, no BYPASSRLS (migration
   * 20261204230000_database_roles creates attendance_app).
   */
  DATABASE_APP_ROLE: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("attendance_app"),
  /**
   * PostgreSQL connection string logging in as the application role itself
   * (e.g. postgresql://attendance_app:…@host/db): GraphQL operations then use
   * connections that are never the owner or a superuser, not merely switched
   * to the role per transaction. Migrations, seeding, authentication and the
   * webhook dispatcher keep DATABASE_URL (the owner).
   */
  DATABASE_APP_URL: z.string().optional(),
  /** Longest one operation's transaction may run (ms) before it is rolled back. */
  DATABASE_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(60_000),
  /** PGlite data directory for `pnpm start` (default: .data/pglite in the repository). */
  PGLITE_DIR: z.string().optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Load the demo trusts when the database is empty. */
  DEMO_DATA: z.enum(["auto", "off"]).default("auto"),
  /**
   * How the demo loader writes marks: set-based (the triggers' work done once
   * per academy, packages/db/src/import/set-based-marks.ts; the same rows in
   * about half the time on PGlite) or through the triggers, as every other
   * writer does (kept to compare: pnpm bench:start --compare).
   */
  DEMO_MARKS: z.enum(["set-based", "triggers"]).default("set-based"),
  /**
   * HS256 secret that staff bearer tokens are signed with. Outside production a
   * fixed demo secret is used when unset, so that `pnpm demo:token` works.
   */
  JWT_SECRET: z.string().min(32).optional(),
  /** Or: the identity provider's JSON Web Key Set URL (RS256/ES256 tokens). */
  JWT_JWKS_URL: z.url().optional(),
  /** Required `iss` claim. */
  JWT_ISSUER: z.string().default("attendance-demo"),
  /** Required `aud` claim. */
  JWT_AUDIENCE: z.string().default("attendance-api"),
  /** How long a staff member's roles are remembered between requests (ms; 0: look them up every request). */
  AUTH_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /**
   * How long an answer is kept for the same caller asking the same question
   * (ms; 0: never). Any mutation through this server clears its trust's answers.
   */
  RESPONSE_CACHE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** Most answers kept by the response cache. */
  RESPONSE_CACHE_MAX: z.coerce.number().int().min(1).default(500),
  /**
   * Browser origins allowed to call the API (comma-separated, e.g.
   * "https://app.example.org,https://admin.example.org"); none by default.
   */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean)),
  /** Most bytes the response cache keeps in all (answers weighed as JSON). */
  RESPONSE_CACHE_MAX_BYTES: z.coerce.number().int().min(1).default(64 * 1024 * 1024),
  /** Largest answer the response cache keeps (bytes); larger ones are run every time. */
  RESPONSE_CACHE_MAX_ENTRY_BYTES: z.coerce.number().int().min(1).default(1024 * 1024),
  /** Requests a minute for each staff member (API keys have their own limit each). */
  RATE_LIMIT_STAFF_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  /** Requests a minute from one client address without valid credentials (anonymous, wrong key, bad token). */
  RATE_LIMIT_ANONYMOUS_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Trusted proxies in front of the server: 0 takes the socket's peer as the client; n the n-th X-Forwarded-For entry from the right. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** JSON file of persisted operations (see persisted-operations.json). */
  PERSISTED_OPERATIONS: z.string().optional(),
  NODE_ENV: z.string().default("development"),
});

/** Used only outside production when JWT_SECRET is unset. Never deploy it. */
export const DEMO_JWT_SECRET = "demo-only-secret-do-not-use-in-production-0001";

export function jwtSecretOf(config: ServerConfig): string | undefined {
  if (config.JWT_SECRET || config.JWT_JWKS_URL) return config.JWT_SECRET;
  if (config.NODE_ENV === "production") throw new Error("Set JWT_SECRET or JWT_JWKS_URL in production.");
  return DEMO_JWT_SECRET;
}

/** The webhook SSRF rules for this deployment: production allows only https to public addresses. */
export function webhookTargetsOf(config: ServerConfig, lookup?: WebhookLookup): WebhookTargetPolicy {
  return { production: config.NODE_ENV === "production", lookup };
}

export type ServerConfig = z.infer<typeof Config>;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return Config.parse(env);
}
