// A decided leave request and the register. Marks are never overwritten: a
// session already marked N (no reason yet) inside a decided request is amended
// — a new version keeping the original — to C (leave authorised in
// exceptional circumstances) or, where the request was refused and the pupil
// was absent anyway, to G (a holiday not granted) or O (other unauthorised).
// Runs when a request is decided, for registers already taken, and after every
// register write, for requests decided before the register was taken. Any
// other mark (present, late, ill) is left as the register says.
// Only existing marks are amended, never new ones created: a decided request
// spanning weekends, holidays or closures touches only the sessions the
// academy met and registered (takeRegister refuses any other, SI 2024/208,
// reg. 10(1)), so it skips the rest rather than failing on them.
import { isoDateOf } from "@attendance/core";
import type { Prisma } from "@attendance/db";
import { enqueueEvent } from "./events.ts";

/** The sessions of a request, as a SQL condition on current_mark c and leave_request l. */
const IN_RANGE = `
  (c.date > l.from_date OR (c.date = l.from_date AND (l.from_session = 'AM' OR c.session = 'PM')))
  AND (c.date < l.to_date OR (c.date = l.to_date AND (l.to_session = 'PM' OR c.session = 'AM')))`;

/**
 * Amends the N marks covered by decided requests, queueing a "mark.amended"
 * webhook event for each in the same transaction; returns the number of marks amended.
 */
export async function applyDecidedLeave(db: Prisma.TransactionClient, where: { leaveRequestId: string } | { registerId: string }): Promise<number> {
  const [column, id] = "leaveRequestId" in where ? ["l.id", where.leaveRequestId] : ["c.register_id", where.registerId];
  const amended = await db.$queryRawUnsafe<
    { id: string; amended_mark_id: string; pupil_id: string; academy_id: string; date: Date; session: "AM" | "PM"; version: number; code: string; amendment_reason: string }[]
  >(
    `WITH amended AS (INSERT INTO mark (register_id, pupil_id, academy_id, date, session, version, code, category, amendment_reason, recorded_by_id)
     SELECT DISTINCT ON (c.register_id, c.pupil_id) c.register_id, c.pupil_id, c.academy_id, c.date, c.session, c.version + 1,
            CASE WHEN l.status = 'AUTHORISED' THEN 'C' WHEN l.answers->>'purpose' = 'Family holiday' THEN 'G' ELSE 'O' END,
            (CASE WHEN l.status = 'AUTHORISED' THEN 'AUTHORISED_ABSENCE' ELSE 'UNAUTHORISED_ABSENCE' END)::attendance_category,
            'Leave request ' || l.id || ' ' || lower(l.status::text) || ' on ' || to_char(l.decided_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')
              || ': ' || l.decision_reason,
            l.decided_by_id
     FROM current_mark c
     JOIN leave_request l ON l.pupil_id = c.pupil_id AND l.academy_id = c.academy_id AND l.status IN ('AUTHORISED', 'REFUSED') AND ${IN_RANGE}
     WHERE c.code = 'N' AND ${column} = $1::uuid
     -- Overlapping decided requests: the latest decision applies.
     ORDER BY c.register_id, c.pupil_id, l.decided_at DESC
     RETURNING id, register_id, pupil_id, academy_id, date, session, version, code, amendment_reason)
     SELECT a.id, c.mark_id AS amended_mark_id, a.pupil_id, a.academy_id, a.date, a.session, a.version, a.code, a.amendment_reason
     FROM amended a JOIN current_mark c ON c.register_id = a.register_id AND c.pupil_id = a.pupil_id`,
    id,
  );
  // current_mark is kept by a statement trigger, after the INSERT: within the
  // WITH it still names the version amended (always an N, see above).
  const byAcademy = new Map<string, typeof amended>();
  for (const m of amended) byAcademy.set(m.academy_id, [...(byAcademy.get(m.academy_id) ?? []), m]);
  for (const [academyId, marks] of byAcademy) {
    await enqueueEvent(db, academyId, "mark.amended", marks.map((m) => ({
      markId: m.id, amendedMarkId: m.amended_mark_id, pupilId: m.pupil_id, date: isoDateOf(m.date), session: m.session,
      version: m.version, code: m.code, previousCode: "N", reason: m.amendment_reason,
    })));
  }
  return amended.length;
}
