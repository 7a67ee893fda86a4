// After an amendment (issue 14, item 5): the open case actions raised from the
// amended session are evaluated again and withdrawn where their trigger no
// longer holds, then the pupil is evaluated on the mark's date as after a
// register write, so that an amendment can also raise what a register would
// have (e.g. / amended to N; that evaluation is queued, issue 17 item 4). Kept apart from register.ts so that the register
// mutations only call it.
import { isoDateOf } from "@attendance/core";
import type { GraphQLContext } from "../context.ts";
import { followAmendment } from "./escalations.ts";
import { queueEscalations } from "./escalation-queue.ts";

interface AmendedMark {
  id: string;
  academyId: string;
  pupilId: string;
  date: Date;
  session: "AM" | "PM";
  code: string;
}

/** Withdraws the actions the amendment undoes, then raises any it newly triggers; returns the ids withdrawn. */
export async function followAmendedMark(ctx: GraphQLContext, previous: AmendedMark, markId: string, code: string, reason: string): Promise<string[]> {
  const date = isoDateOf(previous.date);
  const followed = await followAmendment(ctx, {
    academyId: previous.academyId, pupilId: previous.pupilId, previousMarkId: previous.id, markId, date, session: previous.session,
    from: previous.code, to: code, reason, byUserId: ctx.actor?.kind === "user" ? ctx.actor.id : null,
  });
  ctx.eventsQueued?.(followed.queued);
  // What the amendment newly triggers is evaluated as after a register write:
  // queued in the amendment's transaction, run by the worker after it commits
  // (escalation-queue.ts). The withdrawals above stay in the request: they
  // are one pupil's open actions, and an officer who corrects a mark expects
  // the action it undoes to be gone when the answer comes back.
  await queueEscalations(ctx.prisma, previous.academyId, [previous.pupilId], date);
  ctx.escalationsQueued?.();
  return followed.withdrawn;
}
