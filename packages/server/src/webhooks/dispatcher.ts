// Sends the webhook outbox (schema/src/workflows/events.ts): deliveries whose
// time has come are claimed (FOR UPDATE SKIP LOCKED, so two servers never send
// one twice at once), POSTed with Standard Webhooks signature headers, and
// marked delivered, or retried with exponential backoff until the last
// attempt, then FAILED. Every attempt is logged. Nothing here runs inside a
// request: a slow or failing endpoint never holds up a register write.
import { Webhook } from "standardwebhooks";
import type { PrismaClient } from "@attendance/db";
import type { Logger } from "../logger.ts";

export interface DispatcherOptions {
  prisma: PrismaClient;
  logger: Logger;
  /** How often to look for due deliveries when nobody wakes the dispatcher (ms). */
  pollMs?: number;
  /** Attempts before a delivery is FAILED. */
  maxAttempts?: number;
  /** The first retry's delay; each further retry doubles it (ms). */
  retryBaseMs?: number;
  /** How long an endpoint has to answer (ms). */
  timeoutMs?: number;
  /** Deliveries sent at once. */
  batchSize?: number;
}

export interface WebhookDispatcher {
  /** Look for due deliveries now (after a write queued some). */
  wake(): void;
  /** Sends everything due now and resolves when done (tests, shutdown). */
  drain(): Promise<void>;
  close(): Promise<void>;
}

interface Claimed {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

export function startWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { prisma, logger, pollMs = 2_000, maxAttempts = 8, retryBaseMs = 30_000, timeoutMs = 5_000, batchSize = 20 } = options;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function claim(): Promise<Claimed[]> {
    // The claim pushes next_attempt_at ahead as a lease: a server that dies mid-send leaves the delivery to be retried.
    return prisma.$queryRawUnsafe<Claimed[]>(
      `UPDATE webhook_delivery d SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => ($2::int / 1000.0 * 2)::float8)
       FROM webhook_endpoint e
       WHERE e.id = d.endpoint_id AND d.id IN (
         SELECT x.id FROM webhook_delivery x JOIN webhook_endpoint y ON y.id = x.endpoint_id
         WHERE x.status = 'PENDING' AND x.next_attempt_at <= now() AND y.active
         ORDER BY x.next_attempt_at, x.id LIMIT $1 FOR UPDATE OF x SKIP LOCKED)
       RETURNING d.id, d.event, d.payload, d.attempts, e.url, e.secret`,
      batchSize,
      timeoutMs,
    );
  }

  async function send(d: Claimed): Promise<void> {
    const body = JSON.stringify(d.payload);
    const timestamp = new Date();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const signature = new Webhook(d.secret).sign(d.id, timestamp, body);
      const response = await fetch(d.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "attendance-api-webhooks",
          "webhook-id": d.id,
          "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
          "webhook-signature": signature,
        },
        body,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
      status = response.status;
      await response.body?.cancel();
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (error === null) {
      await prisma.webhookDelivery.update({ where: { id: d.id }, data: { status: "DELIVERED", deliveredAt: new Date(), lastStatus: status, lastError: null } });
      logger.info({ delivery: d.id, event: d.event, attempt: d.attempts, status }, "webhook delivered");
      return;
    }
    const failed = d.attempts >= maxAttempts;
    const delay = retryBaseMs * 2 ** (d.attempts - 1);
    await prisma.webhookDelivery.update({
      where: { id: d.id },
      data: { status: failed ? "FAILED" : "PENDING", lastStatus: status, lastError: error.slice(0, 500), nextAttemptAt: new Date(Date.now() + delay) },
    });
    logger.warn({ delivery: d.id, event: d.event, attempt: d.attempts, status, error, retryInMs: failed ? null : delay }, failed ? "webhook failed: giving up" : "webhook failed: will retry");
  }

  async function run(): Promise<void> {
    do {
      again = false;
      let batch: Claimed[];
      do {
        batch = await claim();
        await Promise.all(batch.map(send));
      } while (batch.length === batchSize && !closed);
    } while (again && !closed);
  }

  function tick(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = run()
      .catch((error) => logger.error({ err: error }, "webhook dispatcher: the outbox could not be read"))
      .finally(() => {
        running = null;
      });
    return running;
  }

  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  return {
    wake: () => void tick(),
    drain: async () => {
      await tick();
      // A tick that was already running when asked may have missed the newest rows.
      await tick();
    },
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
