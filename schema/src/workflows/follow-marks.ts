// After an amendment (issue 14, item 5): the open case actions raised from the
// amended session are evaluated again and withdrawn where their trigger no
// longer holds, then the pupil is evaluated on the mark's date as after a
// register write, so that an amendment can also raise what a register would
// have (e.g. / amended to N). Kept apart from register.ts so that the register
// mutations only call it.
import { isoDateOf } from "@attendance/core";
import type { GraphQLContext } from "../context.ts";
import { evaluateEscalations, followAmendment } from "./escalations.ts";

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
  // As after a register write: a failure here never undoes the amendment.
  try {
    const run = await evaluateEscalations(ctx, previous.academyId, [previous.pupilId], date);
    ctx.eventsQueued?.(run.queued);
  } catch (error) {
    ctx.reportError?.(error, "escalation evaluation after an amendment failed");
  }
  return followed.withdrawn;
}
