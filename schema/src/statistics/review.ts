// The lead's review in one statement (issue 16, item 2): for each academy
// asked about, the pupils on its roll who crossed a threshold between the
// last review date (`since`) and `to`, judged on their figures for the school
// year up to each date, with whether any case action stands for them.
//
// The figures are those of statistics/sql.ts and of the core reference
// (packages/core/src/attendance/summary.ts): whole weeks come from the weekly
// rollup (attendance_week), the days before the first Monday and after the
// last Sunday of each period from current_mark, the best mark of each session.
// Like a pupil's own `attendance`, a pupil's figures count their marks at
// every academy of the trust they were on roll at (a transfer within the
// trust keeps one record), grouped under their current academy.
//
// One statement whatever the number of academies and pupils: the academies
// and the periods travel as parameters (typed arrays and JSON recordsets), so
// the (academy_id, week_start) and (academy_id, date) indexes serve them.
import type { PrismaClient } from "@attendance/db";
import { addDays, schoolYearOf, weekdayOf, type IsoDate } from "@attendance/core";

/** A pupil who crossed a threshold, with their figures at both dates. */
export interface ReviewRow {
  pupilId: string;
  academyId: string;
  /** Possible sessions, attended (present or approved activity) and absent, the school year to `since`. */
  sincePossible: number;
  sinceAttended: number;
  sinceAbsent: number;
  /** The same, the school year to `to`. */
  toPossible: number;
  toAttended: number;
  toAbsent: number;
  /** Persistently absent (10%+ of possible sessions missed) to `to` but not to `since`. */
  newlyPersistent: boolean;
  /** Severely absent (50%+) to `to` but not to `since`. */
  newlySevere: boolean;
  /** Attendance fell by more than the points asked for. */
  fell: boolean;
  /** A case action open now, or raised since `since`, at an academy where the reader works cases. */
  hasCaseActions: boolean;
}

export interface ReviewQuery {
  /** Academies whose pupils are reviewed (already limited to what the reader may see). */
  academyIds: readonly string[];
  /** Academies whose case actions the reader may see. */
  caseAcademyIds: readonly string[];
  since: IsoDate;
  to: IsoDate;
  /** Whole percentage points. */
  fallByMoreThan: number;
}

const mondayOnOrAfter = (iso: IsoDate) => addDays(iso, (8 - weekdayOf(iso)) % 7);
const sundayOnOrBefore = (iso: IsoDate) => addDays(iso, -(weekdayOf(iso) % 7));

/**
 * A period as whole weeks (read from the rollup) and end days (read from
 * current_mark), for period number `win`.
 */
export function periodParts(win: number, from: IsoDate, to: IsoDate) {
  const firstMonday = mondayOnOrAfter(from);
  const lastSunday = sundayOnOrBefore(to);
  if (firstMonday >= lastSunday) return { weeks: [], days: [{ win, a: from, b: to }] };
  const days = [
    ...(from < firstMonday ? [{ win, a: from, b: addDays(firstMonday, -1) }] : []),
    ...(lastSunday < to ? [{ win, a: addDays(lastSunday, 1), b: to }] : []),
  ];
  return { weeks: [{ win, first_monday: firstMonday, last_monday: addDays(lastSunday, -6) }], days };
}

/** PostgreSQL array literal of ids (checked: uuids only, so nothing else reaches the text). */
function uuidArray(ids: readonly string[]): string {
  if (!ids.every((id) => /^[0-9a-f-]{36}$/i.test(id))) throw new Error("uuidArray: uuids only");
  return `{${ids.join(",")}}`;
}

export function reviewSql(q: ReviewQuery): { sql: string; params: unknown[] } {
  const since = periodParts(0, schoolYearOf(q.since).start, q.since);
  const to = periodParts(1, schoolYearOf(q.to).start, q.to);
  const sql = `
    WITH pupils AS (
      -- On the roll of an academy asked about on \`to\` (SI 2024/208 reg. 8: the admission register).
      SELECT p.id, p.academy_id FROM pupil p
      WHERE p.academy_id = ANY (uuid_list($1::text))
        AND EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.academy_id = p.academy_id
                    AND e.on_roll_from <= $2::date AND (e.on_roll_to IS NULL OR e.on_roll_to >= $2::date))
    ), mark_academies AS (
      -- Their academies, and any other of the trust they were on roll at.
      SELECT unnest(uuid_list($1::text)) AS academy_id
      UNION SELECT e.academy_id FROM enrolment e JOIN pupils ON pupils.id = e.pupil_id
    ), week_ranges AS (
      SELECT * FROM jsonb_to_recordset($3::jsonb) AS r(win int, first_monday date, last_monday date)
    ), day_ranges AS (
      SELECT * FROM jsonb_to_recordset($4::jsonb) AS r(win int, a date, b date)
    ), counted AS (
      SELECT w.pupil_id, r.win, sum(w.possible) AS possible, sum(w.present + w.approved) AS attended, sum(w.authorised + w.unauthorised) AS absent
      FROM week_ranges r
      JOIN attendance_week w ON w.academy_id IN (SELECT academy_id FROM mark_academies) AND w.week_start BETWEEN r.first_monday AND r.last_monday
      JOIN pupils ON pupils.id = w.pupil_id
      GROUP BY 1, 2
      UNION ALL
      SELECT pupil_id, win, count(*) FILTER (WHERE rank < 5), count(*) FILTER (WHERE rank <= 2), count(*) FILTER (WHERE rank IN (3, 4))
      FROM (
        -- One row per pupil and session: the best of their marks (dual registration).
        SELECT cm.pupil_id, r.win, cm.date, cm.session,
               min(CASE cm.category WHEN 'PRESENT' THEN 1 WHEN 'APPROVED_ACTIVITY' THEN 2
                   WHEN 'AUTHORISED_ABSENCE' THEN 3 WHEN 'UNAUTHORISED_ABSENCE' THEN 4 ELSE 5 END) AS rank
        FROM day_ranges r
        JOIN current_mark cm ON cm.academy_id IN (SELECT academy_id FROM mark_academies) AND cm.date BETWEEN r.a AND r.b
        JOIN pupils ON pupils.id = cm.pupil_id
        GROUP BY 1, 2, 3, 4
      ) s
      GROUP BY 1, 2
    ), figures AS (
      SELECT pupil_id,
             coalesce(sum(possible) FILTER (WHERE win = 0), 0)::bigint AS sp, coalesce(sum(attended) FILTER (WHERE win = 0), 0)::bigint AS sa,
             coalesce(sum(absent) FILTER (WHERE win = 0), 0)::bigint AS sb,
             coalesce(sum(possible) FILTER (WHERE win = 1), 0)::bigint AS tp, coalesce(sum(attended) FILTER (WHERE win = 1), 0)::bigint AS ta,
             coalesce(sum(absent) FILTER (WHERE win = 1), 0)::bigint AS tb
      FROM counted GROUP BY 1
    ), judged AS (
      -- Persistent: 10% or more of possible sessions missed; severe: 50% or more
      -- (Working together to improve school attendance, DfE, August 2024), in
      -- integers so that exactly 10% counts. A fall: attendance at \`since\` minus
      -- at \`to\` above n points, i.e. (sa/sp − ta/tp) × 100 > n, multiplied out.
      SELECT f.*,
             tp > 0 AND tb * 10 >= tp AND NOT (sp > 0 AND sb * 10 >= sp) AS newly_persistent,
             tp > 0 AND tb * 2 >= tp AND NOT (sp > 0 AND sb * 2 >= sp) AS newly_severe,
             sp > 0 AND tp > 0 AND (sa * tp - ta * sp) * 100 > $5::bigint * sp * tp AS fell
      FROM figures f
    )
    SELECT j.pupil_id AS "pupilId", pupils.academy_id AS "academyId",
           j.sp::int AS "sincePossible", j.sa::int AS "sinceAttended", j.sb::int AS "sinceAbsent",
           j.tp::int AS "toPossible", j.ta::int AS "toAttended", j.tb::int AS "toAbsent",
           j.newly_persistent AS "newlyPersistent", j.newly_severe AS "newlySevere", j.fell,
           EXISTS (SELECT 1 FROM case_action ca WHERE ca.pupil_id = j.pupil_id AND ca.academy_id = ANY (uuid_list($6::text))
                   AND (ca.status = 'OPEN' OR ca.created_at >= $7::date)) AS "hasCaseActions"
    FROM judged j JOIN pupils ON pupils.id = j.pupil_id
    WHERE j.newly_persistent OR j.newly_severe OR j.fell
    -- Worst attendance to \`to\` first (ta/tp ascending, compared as fractions), then by id.
    ORDER BY pupils.academy_id, j.ta::numeric / nullif(j.tp, 0) ASC NULLS LAST, j.pupil_id`;
  return {
    sql,
    params: [
      uuidArray(q.academyIds),
      q.to,
      JSON.stringify([...since.weeks, ...to.weeks]),
      JSON.stringify([...since.days, ...to.days]),
      q.fallByMoreThan,
      uuidArray(q.caseAcademyIds),
      q.since,
    ],
  };
}

/** The review's rows for every academy asked about, in one statement. */
export async function queryReview(prisma: PrismaClient, q: ReviewQuery): Promise<ReviewRow[]> {
  if (q.academyIds.length === 0) return [];
  const { sql, params } = reviewSql(q);
  return prisma.$queryRawUnsafe<ReviewRow[]>(sql, ...params);
}
