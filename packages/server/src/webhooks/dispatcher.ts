// Sends the webhook outbox (schema/src/workflows/events.ts): deliveries whose
// time has come are claimed (FOR UPDATE SKIP LOCKED, so two servers never send
// one twice at once), POSTed with Standard Webhooks signature headers, and
// marked delivered, or retried with exponential backoff until the last
// attempt, then FAILED. Every attempt is logged. Nothing here runs inside a
// request: a slow or failing endpoint never holds up a register write.
//
// Every send checks the target again (schema/src/webhook-targets.ts: SSRF
// rules, OWASP API7:2023) after resolving its name, then connects to the very
// address it checked, follows no redirect, and records any failure to connect
// or to get an HTTP answer as "delivery failed", so the status never tells a
// closed port from a filtered one or from a service that does not speak HTTP.
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { Webhook } from "standardwebhooks";
import type { PrismaClient } from "@attendance/db";
import { resolveWebhookTarget, WebhookTargetError, type CheckedTarget, type WebhookTargetPolicy } from "@attendance/schema";
import { startPoller, type Poller } from "../background/poller.ts";
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
  /** Where deliveries may go (default: the production rules). */
  targets?: WebhookTargetPolicy;
}

/** What a failed attempt records: the same for every kind of network failure. */
export const DELIVERY_FAILED = "delivery failed";

/** POSTs to the checked address only (a lookup that answers with it), never following a redirect. */
function postPinned(target: CheckedTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = target.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target.url, {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup,
        timeout: timeoutMs,
        // A fresh connection each time: a pooled one may lead to an address checked for another send.
        agent: false,
      }, (res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Look for due deliveries now (wake, after a write queued some); send everything due now (drain); stop (close). */
export type WebhookDispatcher = Poller;

interface Claimed {
  id: string;
  event: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

export function startWebhookDispatcher(options: DispatcherOptions): WebhookDispatcher {
  const { prisma, logger, pollMs = 2_000, maxAttempts = 8, retryBaseMs = 30_000, timeoutMs = 5_000, batchSize = 20, targets = { production: true } } = options;
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
      const target = await resolveWebhookTarget(d.url, targets);
      try {
        status = await postPinned(
          target,
          {
            "content-type": "application/json",
            "user-agent": "attendance-api-webhooks",
            "webhook-id": d.id,
            "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
            "webhook-signature": signature,
          },
          body,
          timeoutMs,
        );
      } catch (cause) {
        logger.debug({ delivery: d.id, err: cause }, "webhook: no HTTP answer");
        error = DELIVERY_FAILED;
      }
      // A redirect is not followed (it could point inside the network): it counts as a failure.
      if (status !== null && (status < 200 || status > 299)) error = `HTTP ${status}`;
    } catch (e) {
      error = e instanceof WebhookTargetError ? `${DELIVERY_FAILED}: ${e.message}` : DELIVERY_FAILED;
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

  return startPoller({
    pollMs,
    batchSize,
    claim,
    handle: async (batch) => void (await Promise.all(batch.map(send))),
    onError: (error) => logger.error({ err: error }, "webhook dispatcher: the outbox could not be read"),
  });
}
