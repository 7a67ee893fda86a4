// The real HTTP server on a random port, over a scratch database of either kind,
// with every SQL statement recorded so tests can assert query counts.
import { openDatabase, openScratchDatabase, withoutCounting, type DatabaseKind, type ScratchDatabase } from "@attendance/db";
import { seedDemo, type DemoOptions } from "@attendance/db/demo";
import { configFromEnv, createLogger, startServer, type RunningServer } from "@attendance/server";
import type { WebhookLookup } from "@attendance/schema";
import { demoTemplate } from "./demo-template.ts";

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer extends AsyncDisposable {
  kind: DatabaseKind;
  db: ScratchDatabase;
  server: RunningServer;
  /** Every SQL statement sent since the last `resetStatements()`. */
  statements: string[];
  resetStatements(): void;
  /** POSTs a GraphQL operation to /graphql and returns the parsed body. */
  graphql<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<T>>;
  /**
   * Resolves once every escalation job queued so far is finished or failed
   * (the server's worker drained, then the queue read until empty): what a
   * register write triggers is then visible. Escalations are evaluated after
   * the write commits (issue 17, item 4).
   */
  escalationsSettled(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** The same database, logged in as another role (trust authentication on the test server). */
function asUser(url: string, user: string): string {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = "";
  return parsed.toString();
}

export async function startTestServer(
  kind: DatabaseKind,
  options: {
    demo?: DemoOptions | false;
    webhooks?: { maxAttempts?: number; retryBaseMs?: number; timeoutMs?: number };
    authCacheMs?: number;
    responseCacheMs?: number;
    /** Settings over the environment's, e.g. NODE_ENV or a rate limit. */
    env?: Record<string, string>;
    /** PostgreSQL only: operations log in as this role (DATABASE_APP_URL) instead of switching to it. */
    loginAs?: string;
    /** Name resolution for webhook targets (no real DNS in tests). */
    webhookLookup?: WebhookLookup;
    /** The escalation worker's settings; `start: false` runs none (the test runs its own). */
    escalations?: NonNullable<Parameters<typeof startServer>[0]["escalations"]>;
  } = {},
): Promise<TestServer> {
  const statements: string[] = [];
  const onStatement = (sql: string) => statements.push(sql);
  // The demo seeded once this run and copied (test/support/demo-template.ts),
  // or seeded here when there is no run's template (outside the e2e project).
  const template = options.demo === false ? undefined : demoTemplate(kind, options.demo ?? {});
  const db = await openScratchDatabase(kind, { onStatement, template: await template });
  if (options.demo !== false && !template) await seedDemo(db.prisma, options.demo ?? {});
  const operationDb = options.loginAs && db.url ? openDatabase({ url: asUser(db.url, options.loginAs) }) : undefined;
  const server = await startServer({
    prisma: db.prisma,
    operationPrisma: operationDb?.prisma,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
    port: 0,
    host: "127.0.0.1",
    // Tests change roles and trusts between requests: look actors up every
    // time unless a test asks for the cache (the bench measures it on). The
    // response cache stays at its default (on), as in service: every test
    // writes through the API, and each write clears its trust's answers.
    config: configFromEnv({
      ...process.env,
      AUTH_CACHE_MS: String(options.authCacheMs ?? 0),
      // Tests send hundreds of requests a minute as one user or anonymously;
      // test/rate-limits.test.ts sets these low to test them.
      RATE_LIMIT_STAFF_PER_MINUTE: "1000000",
      RATE_LIMIT_ANONYMOUS_PER_MINUTE: "1000000",
      ...(options.responseCacheMs === undefined ? {} : { RESPONSE_CACHE_MS: String(options.responseCacheMs) }),
      ...options.env,
    }),
    webhookLookup: options.webhookLookup,
    // No background polling, so statement counts are the request's own; tests
    // that send webhooks drain the outbox themselves, with short retries.
    webhooks: { pollMs: 3_600_000, retryBaseMs: 50, timeoutMs: 2_000, ...options.webhooks },
    // Woken by every write that queues a job; polls often, retries soon.
    escalations: { pollMs: 200, retryBaseMs: 100, ...options.escalations },
  });
  statements.length = 0;
  const close = async () => {
    await server.close();
    await operationDb?.close();
    await db.close();
  };
  return {
    kind,
    db,
    server,
    statements,
    resetStatements: () => {
      statements.length = 0;
    },
    async graphql<T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as GraphQLResponse<T>;
    },
    async escalationsSettled(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await server.escalations?.drain();
        const [owed] = await withoutCounting(() =>
          db.prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM escalation_job WHERE finished_at IS NULL AND failed_at IS NULL`);
        if (owed!.n === 0) return;
        if (Date.now() > deadline) throw new Error(`${owed!.n} escalation job(s) still owed after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
