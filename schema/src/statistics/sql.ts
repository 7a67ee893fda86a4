// Attendance statistics in one SQL statement per question, computed in the
// database over current_mark: never by loading marks into Node (DESIGN.md §7).
// The definitions are packages/core/src/attendance/summary.ts's, which the
// tests hold this SQL to.
import type { PrismaClient } from "@attendance/db";
import { addDays, weekdayOf, type AttendanceFigures, type GroupFigures } from "@attendance/core";

/** How a period is read: whole weeks from the weekly rollup, and days from current_mark added or taken away. */
export interface PeriodParts {
  /** Mondays of the first and last week read from the rollup; null: none (every day from current_mark). */
  weeks: { from: string; to: string } | null;
  /** Days to add from current_mark, as inclusive date ranges. */
  plus: [string, string][];
  /** Days of a rollup week outside the period, to take away, as inclusive date ranges. */
  minus: [string, string][];
}

/** Monday to Friday days from `a` to `b` inclusive: what reading them from current_mark costs. */
function weekdaysBetween(a: string, b: string): number {
  let n = 0;
  for (let d = a; d <= b; d = addDays(d, 1)) if (weekdayOf(d) <= 5) n++;
  return n;
}

/**
 * The parts of a period. With the rollup, the whole weeks inside it come from
 * attendance_week; a part week at either end is read whichever way touches
 * fewer school days: its own days added from current_mark, or its whole week
 * from the rollup with the days outside the period taken away. A period
 * ending on a Friday takes its last week from the rollup and takes away the
 * weekend (no marks, so nothing read), rather than adding five days of every
 * pupil's marks: on the benchmark trust that was most of a half term's time.
 * Without the rollup, or without a whole week, every day is added.
 */
export function periodParts(from: string, to: string, rollup: boolean): PeriodParts {
  const firstMonday = mondayOnOrAfter(from);
  const lastSunday = sundayOnOrBefore(to);
  if (!rollup || firstMonday >= lastSunday) return { weeks: null, plus: [[from, to]], minus: [] };
  let weekFrom = firstMonday;
  let weekTo = addDays(lastSunday, -6);
  const plus: [string, string][] = [];
  const minus: [string, string][] = [];
  if (from < firstMonday) {
    const monday = addDays(firstMonday, -7);
    if (weekdaysBetween(monday, addDays(from, -1)) < weekdaysBetween(from, addDays(firstMonday, -1))) {
      weekFrom = monday;
      minus.push([monday, addDays(from, -1)]);
    } else plus.push([from, addDays(firstMonday, -1)]);
  }
  if (lastSunday < to) {
    const monday = addDays(lastSunday, 1);
    const sunday = addDays(monday, 6);
    if (weekdaysBetween(addDays(to, 1), sunday) < weekdaysBetween(monday, to)) {
      weekTo = monday;
      minus.push([addDays(to, 1), sunday]);
    } else plus.push([monday, to]);
  }
  return { weeks: { from: weekFrom, to: weekTo }, plus, minus };
}

/** The pupil's cohort flags asked for (p is the pupil), each a condition on its column. */
export function cohortFlagConditions(c: Cohort, param: (value: unknown, cast: string) => string): string[] {
  const conditions: string[] = [];
  for (const [flag, column] of [
    ["freeSchoolMeals", "free_school_meals"],
    ["pupilPremium", "pupil_premium"],
    ["englishAdditionalLanguage", "english_additional_language"],
    ["lookedAfter", "looked_after"],
    ["hasSocialWorker", "has_social_worker"],
  ] as const) {
    const value = c[flag];
    if (value !== undefined && value !== null) conditions.push(`p.${column} = ${param(value, "boolean")}`);
  }
  return conditions;
}

/** What the figures are grouped by. */
export type GroupKind = "PUPIL" | "FORM" | "YEAR_GROUP" | "ACADEMY" | "TRUST";
/** An optional second dimension. */
export type Breakdown = "TOTAL" | "DAY_OF_WEEK" | "WEEK";

export interface Cohort {
  gender?: "FEMALE" | "MALE" | "OTHER" | null;
  senProvision?: ("NONE" | "SEN_SUPPORT" | "EHCP")[] | null;
  freeSchoolMeals?: boolean | null;
  pupilPremium?: boolean | null;
  englishAdditionalLanguage?: boolean | null;
  lookedAfter?: boolean | null;
  hasSocialWorker?: boolean | null;
  yearGroups?: number[] | null;
}

export interface Scope {
  /** Academies whose every pupil the actor may see. */
  academyIds: string[];
  /** Forms the actor may see in academies it sees only in part (a teacher's). */
  formIds: string[];
}

export interface StatisticsQuery {
  kind: GroupKind;
  ids: string[];
  from: string;
  to: string;
  cohort: Cohort;
  by: Breakdown;
  scope: Scope;
}

export interface FiguresRow extends GroupFigures {
  groupId: string;
  /** "" for TOTAL; ISO weekday 1–7 for DAY_OF_WEEK; the Monday's date for WEEK. */
  bucket: string;
}

/**
 * The group's key, in its column's own type: sorting and grouping tens of
 * thousands of sessions on uuids is much cheaper than on text compared by
 * the database's collation. It becomes text (the rows' groupId, which the
 * DataLoader matches to the ids asked for) only in the final answer.
 */
const GROUP: Record<GroupKind, string> = {
  PUPIL: "cm.pupil_id",
  FORM: "p.form_id",
  YEAR_GROUP: "cm.academy_id::text || ':' || p.year_group",
  ACADEMY: "cm.academy_id",
  TRUST: "a.trust_id",
};

/**
 * The bucket in its own type (a date for WEEK, an integer for DAY_OF_WEEK),
 * like the group's key: grouping a school year's million pupil-weeks on a
 * date is cheaper than on text. BUCKET_TEXT makes it text in the answer.
 */
const BUCKET: Record<Breakdown, string> = {
  TOTAL: "NULL::date",
  DAY_OF_WEEK: "extract(isodow FROM cm.date)::int",
  WEEK: "date_trunc('week', cm.date)::date",
};
const BUCKET_TEXT: Record<Breakdown, string> = {
  TOTAL: "''",
  DAY_OF_WEEK: "bucket::text",
  WEEK: "to_char(bucket, 'YYYY-MM-DD')",
};

/**
 * The counts of current marks (cm), each mark once, as
 * attendance_week_refresh counts them (possible, present, approved,
 * authorised, unauthorised, L, U), as integers: summed over a school year's
 * pupils, bigint counts became numeric sums, twice the memory of a hash.
 */
const markCounts = (sign: "" | "-") =>
  [
    "cm.category <> 'NOT_POSSIBLE'",
    "cm.category = 'PRESENT'",
    "cm.category = 'APPROVED_ACTIVITY'",
    "cm.category = 'AUTHORISED_ABSENCE'",
    "cm.category = 'UNAUTHORISED_ABSENCE'",
    "cm.code = 'L' AND cm.category = 'PRESENT'",
    "cm.code = 'U' AND cm.category = 'UNAUTHORISED_ABSENCE'",
  ].map((condition) => `${sign}(count(*) FILTER (WHERE ${condition}))::int`).join(",\n             ");
/** The days of a rollup week outside the period: taken away. */
export const TAKEN_AWAY = markCounts("-");
/** The days of a part week read from current_mark beside the rollup: added, counted as the rollup counts. */
const ADDED = markCounts("");

/** Monday on or after / Sunday on or before. */
export const mondayOnOrAfter = (iso: string) => addDays(iso, (8 - weekdayOf(iso)) % 7);
export const sundayOnOrBefore = (iso: string) => addDays(iso, -(weekdayOf(iso) % 7));

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An array literal parameter (`$n::text`) as an array of `type`: through the
 * IMMUTABLE uuid_list/int_list/date_list/text_list functions (migration
 * 20261205160000_statistics_lists), which the planner evaluates once, so the
 * plan holds the array itself. A plain cast (`$n::text::uuid[]`) is STABLE:
 * it is parsed again for every row a filter reads, which cost 12 s on a
 * scan of the benchmark trust's weekly rollup (README, Benchmarks).
 */
export function listOf(textParam: string, type: string): string {
  return ["uuid", "int", "date", "text"].includes(type) ? `${type}_list(${textParam})` : `${textParam}::${type}[]`;
}

/**
 * The whole weeks from `from` to `to` (Mondays, both included), per pupil,
 * from the running totals of attendance_span (migration attendance_span):
 * each span that overlaps them gives the count of its weeks after the one
 * before `from`, up to `to` (span_between). A school year of a trust is then
 * 30,000 rows rather than 1.17 million (README, Benchmarks). By day of the
 * week, the same from attendance_weekday_span, one row per pupil, span and
 * weekday, its weekday the bucket: 150,000 rows rather than a school year's
 * 11.5 million current marks.
 */
function spanRows(groupKey: string, joins: string, filters: string, from: string, to: string, byWeekday: boolean): string {
  return `
      UNION ALL
      SELECT ${groupKey}, ${byWeekday ? "cm.weekday::int" : "NULL::date"}, cm.pupil_id, ${spanCounts("cm", from, to)}
      FROM ${byWeekday ? "attendance_weekday_span" : "attendance_span"} cm
${joins}
      WHERE ${spansOverlapping("cm", from, to)}
        AND ${filters}`;
}

/** The seven counts (possible … late_u) of attendance_span rows aliased `alias`, for the whole weeks from `from` to `to`. */
export function spanCounts(alias: string, from: string, to: string): string {
  return ["possible", "present", "approved", "authorised", "unauthorised", "late_l", "late_u"]
    .map((column) => `span_between(${alias}.${column}, (${from} - ${alias}.span_start) / 7, (${to} - ${alias}.span_start) / 7 + 1)`)
    .join(", ");
}

/** The spans (of 448 days) that hold any of the weeks from `from` to `to`. */
export const spansOverlapping = (alias: string, from: string, to: string) => `${alias}.span_start <= ${to} AND ${alias}.span_start > ${from} - 448`;

/**
 * The SQL and its parameters: values travel as parameters, never in the text.
 * Columns are compared in their own types and lists travel as typed arrays
 * (`column = ANY(uuid_list($n::text))`, see listOf), so that the (academy_id, date) and
 * (pupil_id, date) indexes of current_mark serve the question: a column
 * compared through a cast (`academy_id::text IN ...`), or a list unpacked
 * from JSON in a subquery, made PostgreSQL read every current_mark row of
 * the period for any question (issue 17; DESIGN.md §9; README, Benchmarks).
 */
export function statisticsSql(q: StatisticsQuery, options: { rollup?: boolean } = {}): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  // A list as an array literal sent as one text parameter (as pupil-list.ts
  // does, so that either driver adapter binds it alike), cast to the
  // column's array type. Only values of the expected shape reach the text:
  // any other names no row, so leaving it out changes no answer.
  const anyOf = (values: readonly string[], shape: RegExp, type: string) =>
    `ANY(${listOf(param(`{${values.filter((v) => shape.test(v)).join(",")}}`, "text"), type)})`;
  const uuids = (values: readonly string[]) => anyOf(values, UUID, "uuid");

  // Which groups, each on its own column. A year group's id is
  // "academyId:yearGroup": its academies narrow the marks by index, the pair
  // then picks the year groups.
  const yearGroupAcademies = q.kind === "YEAR_GROUP" ? q.ids.map((id) => id.slice(0, id.lastIndexOf(":"))) : [];
  // One trust (a trust's users see their own only): its key is the id asked
  // for and its academies a list, so no row is joined to academy for its
  // trust_id.
  const oneTrust = q.kind === "TRUST" && q.ids.length === 1 && UUID.test(q.ids[0]!) ? param(q.ids[0], "uuid") : null;
  const groupKey = oneTrust ?? GROUP[q.kind];
  // The pupils asked for, one parameter for both places that name them.
  const pupils = q.kind === "PUPIL" ? uuids(q.ids) : "";
  const groups: Record<GroupKind, () => string> = {
    PUPIL: () => `cm.pupil_id = ${pupils}`,
    FORM: () => `p.form_id = ${uuids(q.ids)}`,
    YEAR_GROUP: () => `cm.academy_id = ${uuids(yearGroupAcademies)} AND (${GROUP.YEAR_GROUP}) = ${anyOf(q.ids, /^[0-9a-f-]{36}:-?\d+$/i, "text")}`,
    ACADEMY: () => `cm.academy_id = ${uuids(q.ids)}`,
    TRUST: () => (oneTrust ? `cm.academy_id = ANY(ARRAY(SELECT id FROM academy WHERE trust_id = ${oneTrust}))` : `a.trust_id = ${uuids(q.ids)}`),
  };
  // What the actor may see; a list left empty is left out, so that an
  // academy user's scope is a plain condition on cm.academy_id, which the
  // index serves, rather than one side of an OR across two tables.
  const scope = () => {
    const academies = q.scope.academyIds.length ? uuids(q.scope.academyIds) : null;
    const forms = q.scope.formIds.length ? uuids(q.scope.formIds) : null;
    if (!academies && !forms) return "false";
    if (q.kind !== "PUPIL") return `(${[...(academies ? [`cm.academy_id = ${academies}`] : []), ...(forms ? [`p.form_id = ${forms}`] : [])].join(" OR ")})`;
    // A pupil's own figures: the marks of academies the actor sees, and
    // every mark of a pupil whose current academy (or form) the actor sees.
    // Those pupils are picked once, by id, in a subquery (its own alias, so
    // no pupil is joined for it): joined to every row, pupil was read whole
    // for the actor's academies and hashed, 30,000 rows twice for an
    // officer's thousand pupils on the benchmark trust (README, Benchmarks,
    // "The officer's forms").
    const current = [...(academies ? [`sp.academy_id = ${academies}`] : []), ...(forms ? [`sp.form_id = ${forms}`] : [])].join(" OR ");
    return `(${[
      ...(academies ? [`cm.academy_id = ${academies}`] : []),
      `cm.pupil_id = ANY(ARRAY(SELECT sp.id FROM pupil sp WHERE sp.id = ${pupils} AND (${current})))`,
    ].join(" OR ")})`;
  };

  // Who and what, for rows aliased cm (current_mark, or attendance_week) joined to pupil p and academy a.
  const where = [
    groups[q.kind](),
    // What the actor may see: whole academies, or only some forms' pupils.
    // A pupil's own figures also read their marks at every academy of the
    // trust they were on roll at, for whoever reads the pupil now (their
    // current academy, pupil.academy_id): a transfer within the trust keeps one
    // record, and the national framework counts sessions "within one or more
    // schools" (issue 15). Their former academy keeps only its own marks
    // (cm.academy_id), never those taken after they left.
    scope(),
  ];
  // A form's or year group's figures come from its own academy's registers.
  if (q.kind === "FORM" || q.kind === "YEAR_GROUP") where.push("cm.academy_id = p.academy_id");
  const c = q.cohort;
  if (c.gender) where.push(`p.gender = ${param(c.gender, "gender")}`);
  if (c.senProvision?.length) where.push(`p.sen_provision = ${anyOf(c.senProvision, /^[A-Z_]+$/, "sen_provision")}`);
  if (c.yearGroups?.length) where.push(`p.year_group = ${anyOf(c.yearGroups.map((y) => String(Math.trunc(y))), /^-?\d+$/, "int")}`);
  where.push(...cohortFlagConditions(c, param));
  const filters = where.join("\n        AND ");
  // Pupil and academy joined only where the group or a filter reads them
  // (p.*, a.*): a trust's or an academy's figures with no cohort read the
  // rows alone, a million fewer join probes over a school year's rollup.
  const reads = (alias: string) => new RegExp(`\\b${alias}\\.`).test(`${groupKey} ${filters}`);
  const joins = [
    ...(reads("p") ? ["      JOIN pupil p ON p.id = cm.pupil_id"] : []),
    ...(reads("a") ? ["      JOIN academy a ON a.id = cm.academy_id"] : []),
  ].join("\n");

  // The whole weeks inside the period come from the rollup; the part weeks at
  // either end from current_mark, added, or taken away from their rollup
  // week (periodParts).
  // rollup: count as the rollups count (each mark once, academies summed),
  // and read whole weeks from them where the breakdown allows; false is the
  // reference the tests hold it to, the best mark of each session.
  const rollup = options.rollup ?? true;
  // Every question reads the rollups for its whole weeks: attendance_span in
  // total, attendance_week (or attendance_academy_week) week by week, and
  // attendance_weekday_span by day of the week. A pupil's sessions are
  // counted per academy; with dual registration a pupil's sessions at the
  // other school are D (not possible), so summing academies is the "best
  // mark" (SI 2024/208 reg. 10, table 1). statistics.test.ts holds every
  // kind's answer to its every-mark answer.
  const parts = periodParts(q.from, q.to, rollup);
  // Date ranges (so the (academy_id, date) index serves them), and none at
  // all where there are none: an empty range sent as parameters would still
  // be planned as a scan.
  const dates = (ranges: [string, string][]) =>
    ranges.length === 0 ? "false" : `(${ranges.map(([a, b]) => `cm.date BETWEEN ${param(a, "date")} AND ${param(b, "date")}`).join(" OR ")})`;
  const markDates = dates(parts.plus);

  // For a total, summed per pupil here (a hash of one row per pupil), not
  // after the union. By week the rows already are one per pupil, week and
  // academy: grouping them here as well would only sort a school year's
  // million rows twice.
  const perWeek = q.by === "WEEK";
  // Whole weeks of an academy's or a trust's weekly trend, with no cohort
  // and an actor who sees whole academies (never a form-scoped teacher: the
  // table has no forms), from the per-academy weekly rollup
  // (attendance_academy_week): one row per academy and week rather than one
  // per pupil and week. Its pupil counts add across academies only while no
  // pupil has rows at two of them in the week (a trust sums a dual-registered
  // pupil's academies before the 10% test, SI 2024/208 reg. 10, table 1), so
  // a trust's week with a shared pupil-week is read from attendance_week as
  // before. Part weeks at the ends are never in it.
  const academyWeeks =
    rollup && perWeek && parts.weeks !== null && (q.kind === "ACADEMY" || q.kind === "TRUST") && !reads("p") && q.scope.formIds.length === 0;
  const wholeFrom = mondayOnOrAfter(q.from);
  const wholeTo = addDays(sundayOnOrBefore(q.to), -6);
  const rolled = academyWeeks && parts.weeks && wholeFrom <= wholeTo;
  const wholeFromParam = rolled ? param(wholeFrom, "date") : "";
  const wholeToParam = rolled ? param(wholeTo, "date") : "";
  // The whole weeks the rollup cannot answer: a trust's weeks with a shared pupil-week.
  const fallback = !rolled
    ? ""
    : q.kind === "TRUST"
      ? `
      SELECT cm.week_start FROM attendance_academy_week cm
${joins}
      WHERE cm.week_start BETWEEN ${wholeFromParam} AND ${wholeToParam}
        AND ${filters}
      GROUP BY 1 HAVING sum(cm.shared) > 0`
      : "SELECT NULL::date AS week_start WHERE false";
  // Weeks still read per pupil from attendance_week: those, and a part week
  // taken from its rollup week (periodParts' minus), read only by their
  // Mondays (no scan of the school year's pupil-weeks to find none).
  const edgeWeeks: string[] = [];
  if (rolled && parts.weeks) for (let w = parts.weeks.from; w <= parts.weeks.to; w = addDays(w, 7)) if (w < wholeFrom || w > wholeTo) edgeWeeks.push(w);
  const reread = !rolled
    ? ""
    : `SELECT week_start FROM fallback${edgeWeeks.length ? ` UNION ALL SELECT unnest(${listOf(param(`{${edgeWeeks.join(",")}}`, "text"), "date")})` : ""}`;
  const notRolled = rolled
    ? "\n        AND EXISTS (SELECT 1 FROM reread) AND cm.week_start = ANY(ARRAY(SELECT week_start FROM reread))"
    : "";

  // Whole weeks in total come from the running totals (attendance_span): two
  // elements per pupil and span, whatever the number of weeks; by day of the
  // week from attendance_weekday_span, two per pupil, span and weekday. Week by week,
  // each pupil's week is a row of attendance_week already.
  const weekRows = !parts.weeks
    ? ""
    : perWeek
      ? `
      UNION ALL
      SELECT ${groupKey}, cm.week_start, cm.pupil_id,
             cm.possible, cm.present, cm.approved, cm.authorised, cm.unauthorised, cm.late_l, cm.late_u
      FROM attendance_week cm
${joins}
      WHERE cm.week_start BETWEEN ${param(parts.weeks.from, "date")} AND ${param(parts.weeks.to, "date")}${notRolled}
        AND ${filters}`
      : spanRows(groupKey, joins, filters, param(parts.weeks.from, "date"), param(parts.weeks.to, "date"), q.by === "DAY_OF_WEEK");
  // The days of a rollup week outside the period, counted as the rollup
  // counts them (attendance_week_refresh: each current mark once), and taken away.
  const minusRows = parts.minus.length
    ? `
      UNION ALL
      SELECT ${groupKey}, ${BUCKET[q.by]}, cm.pupil_id, ${TAKEN_AWAY}
      FROM current_mark cm
${joins}
      WHERE ${dates(parts.minus)}
        AND ${filters}
      GROUP BY 1, 2, 3`
    : "";

  // Days read from current_mark. Beside the rollup they are counted as the
  // rollup counts them: each mark once, a dual-registered pupil's academies
  // summed (as the rollups count). Without it (the reference the tests hold the rollup
  // to) each pupil's session counts once, with the best
  // of their marks.
  const markRows = rollup
    ? `
      SELECT ${groupKey}, ${BUCKET[q.by]}, cm.pupil_id, ${ADDED}
      FROM current_mark cm
${joins}
      WHERE ${markDates}
        AND ${filters}
      GROUP BY 1, 2, 3`
    : `
      SELECT group_id, bucket, pupil_id,
             (count(*) FILTER (WHERE rank < 5))::int AS possible,
             (count(*) FILTER (WHERE rank = 1))::int AS present,
             (count(*) FILTER (WHERE rank = 2))::int AS approved,
             (count(*) FILTER (WHERE rank = 3))::int AS authorised,
             (count(*) FILTER (WHERE rank = 4))::int AS unauthorised,
             (count(*) FILTER (WHERE rank = 1 AND has_l))::int AS late_l,
             (count(*) FILTER (WHERE rank = 4 AND has_u))::int AS late_u
      FROM (
        -- One row per pupil and session: the best of their marks (dual registration).
        SELECT ${groupKey} AS group_id, ${BUCKET[q.by]} AS bucket, cm.pupil_id, cm.date, cm.session,
               min(CASE cm.category WHEN 'PRESENT' THEN 1 WHEN 'APPROVED_ACTIVITY' THEN 2
                   WHEN 'AUTHORISED_ABSENCE' THEN 3 WHEN 'UNAUTHORISED_ABSENCE' THEN 4 ELSE 5 END) AS rank,
               bool_or(cm.code = 'L') AS has_l, bool_or(cm.code = 'U') AS has_u
        FROM current_mark cm
${joins}
        WHERE ${markDates}
          AND ${filters}
        GROUP BY 1, 2, 3, 4, 5
      ) sessions
      GROUP BY 1, 2, 3`;

  const sql = `
    WITH ${rolled ? `fallback AS (${fallback}
    ), reread AS (${reread}
    ), ` : ""}counted (group_id, bucket, pupil_id, possible, present, approved, authorised, unauthorised, late_l, late_u) AS (${markRows}${weekRows}${minusRows}
    ), pupils AS (
      SELECT group_id, bucket, pupil_id, sum(possible) AS possible, sum(present) AS present, sum(approved) AS approved,
             sum(authorised) AS authorised, sum(unauthorised) AS unauthorised, sum(late_l) AS late_l, sum(late_u) AS late_u
      FROM counted GROUP BY 1, 2, 3
    )
    SELECT group_id::text AS "groupId", ${BUCKET_TEXT[q.by]} AS bucket,
           count(*) FILTER (WHERE possible > 0)::int AS pupils,
           coalesce(sum(possible), 0)::int AS "possibleSessions",
           coalesce(sum(present), 0)::int AS present,
           coalesce(sum(approved), 0)::int AS "approvedActivity",
           coalesce(sum(authorised), 0)::int AS "authorisedAbsence",
           coalesce(sum(unauthorised), 0)::int AS "unauthorisedAbsence",
           coalesce(sum(late_l), 0)::int AS "lateBeforeClose",
           coalesce(sum(late_u), 0)::int AS "lateAfterClose",
           -- 10% or more, and 50% or more, of possible sessions (DESIGN.md §8), in integers.
           count(*) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 10 >= possible)::int AS "persistentlyAbsent",
           count(*) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 2 >= possible)::int AS "severelyAbsent"
    -- Grouped and ordered on the key and bucket in their own types (the same
    -- order as their text: uuids compare byte by byte, dates and weekdays in
    -- order), made text only in the answer.
    FROM pupils GROUP BY group_id, pupils.bucket${rolled ? `
    UNION ALL
    SELECT (${groupKey})::text, to_char(cm.week_start, 'YYYY-MM-DD'), sum(cm.pupils)::int, sum(cm.possible)::int, sum(cm.present)::int,
           sum(cm.approved)::int, sum(cm.authorised)::int, sum(cm.unauthorised)::int, sum(cm.late_l)::int, sum(cm.late_u)::int,
           sum(cm.persistently_absent)::int, sum(cm.severely_absent)::int
    FROM attendance_academy_week cm
${joins}
    WHERE cm.week_start BETWEEN ${wholeFromParam} AND ${wholeToParam}
      AND cm.week_start <> ALL(ARRAY(SELECT week_start FROM fallback))
      AND ${filters}
    GROUP BY ${groupKey}, cm.week_start
    ORDER BY 1, 2` : `
    ORDER BY group_id, pupils.bucket`}`;
  return { sql, params };
}

/**
 * Whether a question is an academy's everyday read: one academy, or at most
 * a school's forms or pupils. PostgreSQL's planner splits such statements
 * over two parallel workers (their estimated cost passes
 * parallel_setup_cost), and starting the workers costs more than the
 * statement: measured with `pnpm bench:settings` on the 30-academy trust, an
 * academy's half term took 25.7 ms with workers and 3.6 ms without, its 35
 * forms 29.4 and 4.7 ms, its 1,000 pupils 39.9 and 18.9 ms, while the
 * trust-wide statements were 1.2–1.35× slower without them (README
 * "PostgreSQL settings"). So those run without workers and the rest keep them.
 */
export function isAcademySized(q: Pick<StatisticsQuery, "kind" | "ids">): boolean {
  switch (q.kind) {
    case "ACADEMY":
      return q.ids.length <= 1;
    case "FORM":
      return q.ids.length <= 60;
    case "PUPIL":
      return q.ids.length <= 2_000;
    default:
      return false;
  }
}

/** Runs a question on a client or a transaction's client (the two raw methods are all it uses). */
export async function queryStatistics(prisma: Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">, q: StatisticsQuery): Promise<FiguresRow[]> {
  if (q.ids.length === 0) return [];
  const { sql, params } = statisticsSql(q);
  if (!isAcademySized(q)) return prisma.$queryRawUnsafe<FiguresRow[]>(sql, ...params);
  // Transaction-local (each GraphQL operation is one transaction): put back
  // after the statement, so the operation's other statements keep workers.
  // Outside a transaction SET LOCAL only warns, and the statement runs as before.
  // A failed statement is not followed by the reset: its transaction is over.
  await prisma.$executeRawUnsafe("SET LOCAL max_parallel_workers_per_gather = 0");
  const rows = await prisma.$queryRawUnsafe<FiguresRow[]>(sql, ...params);
  await prisma.$executeRawUnsafe("SET LOCAL max_parallel_workers_per_gather = DEFAULT");
  return rows;
}

export const zeroFigures = (): GroupFigures => ({
  pupils: 0, possibleSessions: 0, present: 0, approvedActivity: 0, authorisedAbsence: 0, unauthorisedAbsence: 0,
  lateBeforeClose: 0, lateAfterClose: 0, persistentlyAbsent: 0, severelyAbsent: 0,
});

export type { AttendanceFigures, GroupFigures };
