// Working lists of pupils (issue 16, item 1) in one SQL statement per list:
// the pupils of a trust, academy, year group or form whom the actor may see,
// each with their figures for the period, filtered and ordered in PostgreSQL
// and cut to one page there, with the list's total in the same statement.
// Never by loading every pupil into the server (DESIGN.md §7). The filter and
// order are packages/core/src/attendance/pupil-list.ts's, which the
// end-to-end tests hold this SQL to.
import type { PrismaClient } from "@attendance/db";
import { addDays, type AttendanceFigures, type PupilListFigureFilter, type PupilListOrder } from "@attendance/core";
import { cohortFlagConditions, listOf, periodParts, spanCounts, spansOverlapping, TAKEN_AWAY, type Cohort, type Scope } from "./sql.ts";

/** Whose pupils a list holds: their current trust, academy, year group or form. */
export type PupilListGroup =
  | { kind: "TRUST"; trustId: string }
  | { kind: "ACADEMY"; academyId: string }
  | { kind: "YEAR_GROUP"; academyId: string; yearGroup: number }
  | { kind: "FORM"; formId: string };

export interface PupilListQuery {
  group: PupilListGroup;
  /** The actor's trust: every list stays inside it, and a pupil's figures read their marks at any of its academies. */
  trustId: string;
  from: string;
  to: string;
  filter: PupilListFigureFilter;
  cohort: Cohort;
  /** Only pupils of these forms (ids). */
  formIds?: string[] | null;
  /** true: only pupils with an open case action at their academy; false: only those without. */
  hasOpenCase?: boolean | null;
  order: PupilListOrder;
  /** What the actor may see: whole academies, or some forms' pupils (a teacher). */
  scope: Scope;
  offset: number;
  limit: number;
}

/** One row of a page: the pupil and their figures for the period. */
export interface PupilListRow extends AttendanceFigures {
  pupilId: string;
  academyId: string;
  formId: string | null;
  /** Open case actions for the pupil at their current academy. */
  openCaseActions: number;
}

export interface PupilListPage {
  total: number;
  rows: PupilListRow[];
}

/**
 * Ids as a PostgreSQL array literal, sent as one text parameter and cast to
 * uuid[] in the statement, so that the column's index is still used
 * (DESIGN.md §9) whichever driver adapter binds it.
 */
function arrayLiteral(values: readonly string[]): string {
  if (!values.every((v) => /^[0-9a-f-]+$/i.test(v))) throw new Error("arrayLiteral: ids only");
  return `{${values.join(",")}}`;
}

/** The order, on the columns `listed` and `page` share; the name and the id break ties, ascending (core's comparePupilListRows). */
function orderSql(order: PupilListOrder): string {
  const dir = order.direction === "DESC" ? "DESC" : "ASC";
  const figure: Record<Exclude<PupilListOrder["by"], "NAME">, string> = {
    // The rate as an exact fraction: numeric division keeps 1/2 and 2/4 equal and any two different school-sized fractions apart.
    ATTENDANCE_RATE: "(present + approved)::numeric / possible",
    ABSENCES: "(authorised + unauthorised)",
    UNAUTHORISED_ABSENCE: "unauthorised",
    LATE_BEFORE_CLOSE: "late_l",
    LATE_AFTER_CLOSE: "late_u",
  };
  // Names compare by code point ("C"), on both back ends alike; the folded
  // names first (accents and case ignored, as pupil search reads them).
  const nameDir = order.by === "NAME" && dir === "DESC" ? "DESC NULLS FIRST" : "ASC NULLS LAST";
  const names = ["search_surname", "search_forename", "legal_surname", "legal_forename"].map((c) => `${c} COLLATE "C" ${nameDir}`);
  return [...(order.by === "NAME" ? [] : [`${figure[order.by]} ${dir}`]), ...names, "pupil_id ASC"].join(", ");
}

/** Every date from `a` to `b` inclusive (a few days: the part weeks at either end of a period). */
function daysBetween(a: string, b: string): string[] {
  const out: string[] = [];
  for (let d = a; d <= b; d = addDays(d, 1)) out.push(d);
  return out;
}

/** The statement and its parameters: values travel as parameters, never in the text. */
export function pupilListSql(q: PupilListQuery, options: { rollup?: boolean } = {}): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  const trust = param(q.trustId, "uuid");

  // Which pupils: the group's, those the actor may see, with the cohort asked for.
  const members = [`p.trust_id = ${trust}`];
  const g = q.group;
  if (g.kind === "ACADEMY") members.push(`p.academy_id = ${param(g.academyId, "uuid")}`);
  if (g.kind === "YEAR_GROUP") members.push(`p.academy_id = ${param(g.academyId, "uuid")}`, `p.year_group = ${param(g.yearGroup, "int")}`);
  if (g.kind === "FORM") members.push(`p.form_id = ${param(g.formId, "uuid")}`);
  members.push(
    `(p.academy_id = ANY(${listOf(param(arrayLiteral(q.scope.academyIds), "text"), "uuid")}) OR p.form_id = ANY(${listOf(param(arrayLiteral(q.scope.formIds), "text"), "uuid")}))`,
  );
  if (q.formIds?.length) members.push(`p.form_id = ANY(${listOf(param(arrayLiteral(q.formIds), "text"), "uuid")})`);
  const c = q.cohort;
  if (c.gender) members.push(`p.gender = ${param(c.gender, "gender")}`);
  if (c.senProvision?.length) members.push(`p.sen_provision::text = ANY(${listOf(param(`{${c.senProvision.join(",")}}`, "text"), "text")})`);
  if (c.yearGroups?.length) members.push(`p.year_group = ANY(${listOf(param(`{${c.yearGroups.map((y) => Math.trunc(y)).join(",")}}`, "text"), "int")})`);
  members.push(...cohortFlagConditions(c, param));
  // Open case actions at the pupil's own academy: its caseworkers' (CaseAction's scope).
  const openCase = "EXISTS (SELECT 1 FROM case_action ca WHERE ca.pupil_id = p.id AND ca.academy_id = p.academy_id AND ca.status = 'OPEN')";
  if (q.hasOpenCase === true) members.push(openCase);
  if (q.hasOpenCase === false) members.push(`NOT ${openCase}`);

  // Which figures: whole weeks from the running totals (attendance_span), the
  // days before the first Monday and after the last Sunday from current_mark,
  // as the academy and trust statistics read them (statistics/sql.ts). A
  // pupil's figures cover their marks at every academy of the trust, as
  // Pupil.attendance does; within a week, the rollup's academies are summed,
  // which is the best mark because a dual-registered pupil's session at the
  // other school is D, not possible (SI 2024/208 reg. 10, table 1).
  // A part week at either end is read whichever way touches fewer school
  // days: its days added from current_mark, or its rollup week with the days
  // outside the period taken away (periodParts).
  const parts = periodParts(q.from, q.to, options.rollup ?? true);
  // Around whole weeks the days are at most six either side: listed day by
  // day, so that the (academy_id, date) index serves them as one scan per
  // academy (two BETWEENs joined by OR were planned as a scan of every mark).
  const onDays = (ranges: [string, string][]) => {
    const days = ranges.flatMap(([a, b]) => daysBetween(a, b));
    return days.length === 0 ? "false" : `cm.date = ANY(${listOf(param(`{${days.join(",")}}`, "text"), "date")})`;
  };
  const markDates = parts.weeks ? onDays(parts.plus) : `cm.date BETWEEN ${param(q.from, "date")} AND ${param(q.to, "date")}`;
  const trustAcademies = `ARRAY(SELECT id FROM academy WHERE trust_id = ${trust})`;
  // Whole weeks from the running totals (attendance_span): two elements per pupil and span.
  const [weekFrom, weekTo] = parts.weeks ? [param(parts.weeks.from, "date"), param(parts.weeks.to, "date")] : [];
  const weekRows = parts.weeks
    ? `
      UNION ALL
      SELECT aw.pupil_id, ${spanCounts("aw", weekFrom!, weekTo!)}
      FROM attendance_span aw
      JOIN members m ON m.pupil_id = aw.pupil_id
      WHERE aw.academy_id = ANY(${trustAcademies})
        AND ${spansOverlapping("aw", weekFrom!, weekTo!)}`
    : "";
  // The days of a rollup week outside the period, counted as the rollup counts them (each current mark once), taken away.
  const minusRows = parts.minus.length
    ? `
      UNION ALL
      SELECT cm.pupil_id, ${TAKEN_AWAY}
      FROM current_mark cm
      JOIN members m ON m.pupil_id = cm.pupil_id
      WHERE cm.academy_id = ANY(${trustAcademies})
        AND ${onDays(parts.minus)}
      GROUP BY 1`
    : "";

  // Which of them the list keeps (core's matchesPupilListFilter), in integers
  // and exact decimals: a rate bound is sent as the decimal it was written as.
  const f = q.filter;
  const kept = ["possible > 0"];
  if (f.attendanceBelow != null) kept.push(`(present + approved) < ${param(String(f.attendanceBelow), "numeric")} * possible`);
  if (f.attendanceAtLeast != null) kept.push(`(present + approved) >= ${param(String(f.attendanceAtLeast), "numeric")} * possible`);
  // Working together to improve school attendance (DfE, Aug 2024): persistent 10% or more missed, severe 50% or more.
  if (f.persistentlyAbsent != null) kept.push(`(authorised + unauthorised) * 10 ${f.persistentlyAbsent ? ">=" : "<"} possible`);
  if (f.severelyAbsent != null) kept.push(`(authorised + unauthorised) * 2 ${f.severelyAbsent ? ">=" : "<"} possible`);
  if (f.unauthorisedAtLeast != null) kept.push(`unauthorised >= ${param(f.unauthorisedAtLeast, "int")}`);
  if (f.lateBeforeCloseAtLeast != null) kept.push(`late_l >= ${param(f.lateBeforeCloseAtLeast, "int")}`);
  if (f.lateAfterCloseAtLeast != null) kept.push(`late_u >= ${param(f.lateAfterCloseAtLeast, "int")}`);

  const order = orderSql(q.order);
  const sql = `
    WITH members AS (
      SELECT p.id AS pupil_id, p.academy_id, p.form_id, p.search_surname, p.search_forename, p.legal_surname, p.legal_forename
      FROM pupil p
      WHERE ${members.join("\n        AND ")}
    ), sessions AS (
      -- One row per pupil and session: the best of their marks (dual registration).
      SELECT cm.pupil_id, cm.date, cm.session,
             min(CASE cm.category WHEN 'PRESENT' THEN 1 WHEN 'APPROVED_ACTIVITY' THEN 2
                 WHEN 'AUTHORISED_ABSENCE' THEN 3 WHEN 'UNAUTHORISED_ABSENCE' THEN 4 ELSE 5 END) AS rank,
             bool_or(cm.code = 'L') AS has_l, bool_or(cm.code = 'U') AS has_u
      FROM current_mark cm
      JOIN members m ON m.pupil_id = cm.pupil_id
      WHERE cm.academy_id = ANY(${trustAcademies})
        AND ${markDates}
      GROUP BY 1, 2, 3
    ), counted AS (
      SELECT pupil_id,
             count(*) FILTER (WHERE rank < 5) AS possible,
             count(*) FILTER (WHERE rank = 1) AS present,
             count(*) FILTER (WHERE rank = 2) AS approved,
             count(*) FILTER (WHERE rank = 3) AS authorised,
             count(*) FILTER (WHERE rank = 4) AS unauthorised,
             count(*) FILTER (WHERE rank = 1 AND has_l) AS late_l,
             count(*) FILTER (WHERE rank = 4 AND has_u) AS late_u
      FROM sessions GROUP BY 1${weekRows}${minusRows}
    ), figures AS (
      SELECT pupil_id, sum(possible)::int AS possible, sum(present)::int AS present, sum(approved)::int AS approved,
             sum(authorised)::int AS authorised, sum(unauthorised)::int AS unauthorised, sum(late_l)::int AS late_l, sum(late_u)::int AS late_u
      FROM counted GROUP BY 1
    ), listed AS (
      SELECT m.*, f.possible, f.present, f.approved, f.authorised, f.unauthorised, f.late_l, f.late_u
      FROM figures f JOIN members m USING (pupil_id)
      WHERE ${kept.join(" AND ")}
    ), page AS (
      SELECT * FROM listed ORDER BY ${order} LIMIT ${param(q.limit, "int")} OFFSET ${param(q.offset, "int")}
    )
    SELECT t.total, page.pupil_id AS "pupilId", page.academy_id AS "academyId", page.form_id AS "formId",
           page.possible AS "possibleSessions", page.present, page.approved AS "approvedActivity",
           page.authorised AS "authorisedAbsence", page.unauthorised AS "unauthorisedAbsence",
           page.late_l AS "lateBeforeClose", page.late_u AS "lateAfterClose",
           (SELECT count(*)::int FROM case_action ca WHERE ca.pupil_id = page.pupil_id AND ca.academy_id = page.academy_id AND ca.status = 'OPEN') AS "openCaseActions"
    FROM (SELECT count(*)::int AS total FROM listed) t
    LEFT JOIN page ON true
    ORDER BY ${order}`;
  return { sql, params };
}

/** One page of a list and the list's size, in one statement. */
export async function queryPupilList(prisma: PrismaClient, q: PupilListQuery, options: { rollup?: boolean } = {}): Promise<PupilListPage> {
  const { sql, params } = pupilListSql(q, options);
  const result = await prisma.$queryRawUnsafe<(PupilListRow & { total: number; pupilId: string | null })[]>(sql, ...params);
  return {
    total: result[0]?.total ?? 0,
    // A page past the end of the list is the total alone (LEFT JOIN: one row with no pupil).
    rows: result.filter((r) => r.pupilId !== null).map(({ total: _total, ...row }) => row as PupilListRow),
  };
}
