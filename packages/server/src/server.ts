// The HTTP server around the GraphQL endpoint, with request logs and a graceful close.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pinoHttp } from "pino-http";
import type { PrismaClient } from "@attendance/db";
import type { Logger } from "./logger.ts";
import { createAttendanceYoga, type AttendanceYoga } from "./yoga.ts";
import type { ResponseCacheStats } from "./plugins/response-cache.ts";
import { configFromEnv, webhookTargetsOf, type ServerConfig } from "./config.ts";
import type { WebhookLookup } from "@attendance/schema";
import { startWebhookDispatcher, type DispatcherOptions, type WebhookDispatcher } from "./webhooks/dispatcher.ts";
import { startEscalationWorker, type EscalationWorker, type EscalationWorkerOptions } from "./escalations/worker.ts";

export interface StartOptions {
  prisma: PrismaClient;
  /** Operations' database client, logged in as the application role (DATABASE_APP_URL); default `prisma`. */
  operationPrisma?: PrismaClient;
  logger: Logger;
  port: number;
  host?: string;
  config?: ServerConfig;
  /** Webhook retry timings (tests shorten them). */
  webhooks?: Omit<DispatcherOptions, "prisma" | "logger" | "targets">;
  /** Name resolution for webhook targets (tests inject one; default: the system resolver). */
  webhookLookup?: WebhookLookup;
  /** Escalation worker timings (tests shorten them); `start: false` runs none in this process (a test runs its own). */
  escalations?: Omit<EscalationWorkerOptions, "prisma" | "operationPrisma" | "logger" | "role" | "eventsQueued"> & { start?: boolean };
}

export interface RunningServer extends AsyncDisposable {
  /** Base URL, e.g. http://127.0.0.1:4000 */
  url: string;
  yoga: AttendanceYoga;
  server: Server;
  /** Sends the webhook outbox. */
  webhooks: WebhookDispatcher;
  /** Runs the escalation jobs register writes and amendments queue (null when started without one). */
  escalations: EscalationWorker | null;
  /** The response cache's lookups and hits so far (both 0 with the cache off). */
  responseCache: Readonly<ResponseCacheStats>;
  /** Stops accepting connections and waits for requests in flight. */
  close(): Promise<void>;
}

export async function startServer({ prisma, operationPrisma, logger, port, host = "0.0.0.0", config = configFromEnv(), webhooks: webhookOptions, webhookLookup, escalations: escalationOptions }: StartOptions): Promise<RunningServer> {
  const webhookTargets = webhookTargetsOf(config, webhookLookup);
  const webhooks = startWebhookDispatcher({ prisma, logger, ...webhookOptions, targets: webhookTargets });
  const { start: startEscalations = true, ...workerOptions } = escalationOptions ?? {};
  // Evaluates what register writes queued, after they commit (issue 17, item 4).
  const escalations = startEscalations
    ? startEscalationWorker({
        prisma, operationPrisma, logger, role: config.DATABASE_APP_ROLE, timeoutMs: config.DATABASE_TRANSACTION_TIMEOUT_MS,
        eventsQueued: () => webhooks.wake(), ...workerOptions,
      })
    : null;
  const responseCache: ResponseCacheStats = { lookups: 0, hits: 0 };
  const yoga = createAttendanceYoga({ prisma, operationPrisma, logger, config, webhooks, escalations: escalations ?? undefined, webhookTargets, responseCacheStats: responseCache });
  // No request log when logging is off (benchmarks): pino-http's per-request child logger is not free.
  // The query string is never logged: a GET operation carries its variables
  // there (a UPN, a name), and logs are kept longer and seen by more people
  // than the data (OWASP Logging Cheat Sheet, "Data to exclude"). Nor is the
  // Referer, which may hold the same.
  const httpLogger = logger.isLevelEnabled("info")
    ? pinoHttp({
        logger,
        autoLogging: { ignore: (req) => req.url === "/health" },
        serializers: { req: (req: { url?: string; headers?: Record<string, unknown> }) => ({ ...req, url: pathOnly(req.url), headers: withoutReferer(req.headers) }) },
      })
    : null;
  const server = createServer((req, res) => {
    httpLogger?.(req, res);
    void yoga(req, res);
  });
  // Idle keep-alive connections are kept longer than a load balancer's usual
  // 60 s idle timeout (Node's default is 5 s): a server that closes first
  // races the client's next request on that socket, which then fails with
  // ECONNRESET. The suite met it on a loaded machine, where the process
  // (PGlite included) was busy past 5 s between two requests of one test.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
  const url = `http://${shownHost}:${address.port}`;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Keep-alive connections with no request in flight would hold close() open.
      server.closeIdleConnections();
    });
    // The worker first: a job it finishes may queue webhook deliveries.
    return closing.then(() => escalations?.close()).then(() => webhooks.close());
  };
  return { url, yoga, server, webhooks, escalations, responseCache, close, [Symbol.asyncDispose]: close };
}

/** A request target without its query string. */
export function pathOnly(url: string | undefined): string | undefined {
  return url?.split("?", 1)[0];
}

function withoutReferer(headers: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!headers) return headers;
  const { referer: _referer, ...rest } = headers;
  return rest;
}
