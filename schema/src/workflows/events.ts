// Events for third-party front ends, written to the webhook outbox in the same
// transaction as what caused them: one delivery row per active endpoint of
// the trust that subscribed to the event. Sending happens afterwards, outside
// any request (packages/server/src/webhooks), so a failing endpoint never
// blocks a register write or a decision.
import type { Prisma } from "@attendance/db";

export const WEBHOOK_EVENTS = {
  "case_action.created": "A ladder step or unexplained-absence step became a case action.",
  "case_action.withdrawn": "An amended mark means an open case action's trigger no longer holds: it was closed as WITHDRAWN, with the amendment as its reason.",
  "mark.amended": "A register mark was amended: a new version with its reason (by a member of staff, or by a decided leave request on a mark of N). The earlier version is kept.",
  "leave.decided": "A headteacher authorised or refused a leave-of-absence request.",
  "notification.due": "A return to the local authority was queued (a new entry, a deletion, unexplained absence).",
} as const;

export type WebhookEvent = keyof typeof WEBHOOK_EVENTS;

/** Queues `event` for every active endpoint of the academy's trust subscribed to it; returns how many deliveries were queued. */
export async function enqueueEvent(db: Prisma.TransactionClient, academyId: string, event: WebhookEvent, payloads: readonly object[]): Promise<number> {
  if (payloads.length === 0) return 0;
  return db.$executeRawUnsafe(
    `INSERT INTO webhook_delivery (endpoint_id, event, payload)
     SELECT e.id, $2, p.value
     FROM webhook_endpoint e
     JOIN academy a ON a.trust_id = e.trust_id AND a.id = $1::uuid
     CROSS JOIN jsonb_array_elements($3::jsonb) AS p(value)
     WHERE e.active AND $2 = ANY (e.events)`,
    academyId,
    event,
    JSON.stringify(payloads.map((p) => ({ event, academyId, occurredAt: new Date().toISOString(), data: p }))),
  );
}

/** The data of a "mark.amended" event: the new version and the one it amends (ids are the database's, as in the other events). */
export interface MarkAmendedData {
  markId: string;
  amendedMarkId: string;
  pupilId: string;
  date: string;
  session: "AM" | "PM";
  version: number;
  code: string;
  previousCode: string;
  reason: string;
}
