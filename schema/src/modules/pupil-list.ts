// Working lists of pupils (issue 16, item 1): `pupilList(from, to, filter,
// orderBy, first, after)` on Trust, Academy, YearGroup and Form. Each row is
// a pupil with their figures for the period; the list is filtered, ordered,
// paged and counted in one SQL statement (statistics/pupil-list.ts), and the
// page's pupils, with whatever the query selects of them, in one more.
import { queryFromInfo } from "@pothos/plugin-prisma";
import { cursorToOffset, offsetToCursor } from "@pothos/plugin-relay";
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import {
  DEFAULT_PUPIL_LIST_ORDER,
  PUPIL_LIST_LIMITS,
  can,
  percent,
  pupilListFilterProblems,
  type Capability,
  type PupilListFigureFilter,
} from "@attendance/core";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { MAX_PERIOD_DAYS, badInput, requirePeriod, type InputProblem } from "../errors.ts";
import { readableScope } from "../visibility.ts";
import type { Cohort } from "../statistics/sql.ts";
import { queryPupilList, type PupilListGroup, type PupilListRow } from "../statistics/pupil-list.ts";
import { CohortInput, SENSITIVE, YearGroupRef } from "./attendance.ts";
import { PupilNode } from "./pupil.ts";

// ─── Arguments ────────────────────────────────────────────────────────────────

const PupilListFilterInput = builder.inputType("PupilListFilter", {
  description:
    "Which pupils a list keeps: every condition given must hold, on the pupil's own figures for the period. Pupils with no possible session in the period are on no list. Rates are fractions from 0 to 1 (0.9 for 90%), compared exactly.",
  fields: (t) => ({
    attendanceBelow: t.float({ required: false, description: "Attendance rate strictly below this (0–1): 0.9 keeps those under 90%." }),
    attendanceAtLeast: t.float({ required: false, description: "Attendance rate at least this (0–1): 0.9 keeps those at 90% or more." }),
    persistentlyAbsent: t.boolean({
      required: false,
      description:
        "true: only persistently absent pupils (10% or more of possible sessions missed, authorised or not: the DfE's definition in Working together to improve school attendance, statutory guidance); false: only those who are not.",
    }),
    severelyAbsent: t.boolean({ required: false, description: "true: only severely absent pupils (50% or more of possible sessions missed, the DfE's definition); false: only those who are not." }),
    unauthorisedAtLeast: t.int({ required: false, description: `At least this many unauthorised absences, U included (0 to ${PUPIL_LIST_LIMITS.maxSessions}).` }),
    lateBeforeCloseAtLeast: t.int({ required: false, description: `At least this many sessions late before the register closed, L (0 to ${PUPIL_LIST_LIMITS.maxSessions}).` }),
    lateAfterCloseAtLeast: t.int({ required: false, description: `At least this many sessions arrived after the register closed, U (0 to ${PUPIL_LIST_LIMITS.maxSessions}).` }),
    cohort: t.field({
      type: CohortInput,
      required: false,
      description: "Only pupils with these characteristics (year groups among them). Free school meals, pupil premium, looked-after and social worker need permission to read safeguarding flags (read:sensitive for an API client): FORBIDDEN otherwise.",
    }),
    forms: t.globalIDList({ required: false, description: `Only pupils of these forms (Form ids, at most ${PUPIL_LIST_LIMITS.maxForms}).` }),
    hasOpenCase: t.boolean({
      required: false,
      description: "true: only pupils with an open case action at their academy; false: only those with none. For staff who work cases there: FORBIDDEN otherwise.",
    }),
  }),
});

const PupilListOrderByEnum = builder.enumType("PupilListOrderBy", {
  description: "What a pupil list is ordered by. Ties are broken by name, then by pupil, so every page belongs to the same list.",
  values: {
    ATTENDANCE_RATE: { description: "Attendance rate (ASC: lowest first)." },
    ABSENCES: { description: "Sessions missed, authorised and unauthorised." },
    UNAUTHORISED_ABSENCE: { description: "Unauthorised absences (U included)." },
    LATE_BEFORE_CLOSE: { description: "Sessions late before the register closed (L)." },
    LATE_AFTER_CLOSE: { description: "Sessions arrived after the register closed (U)." },
    NAME: { description: "Surname, then forename (accents and case ignored)." },
  } as const,
});

const SortDirectionEnum = builder.enumType("SortDirection", {
  description: "Ascending or descending.",
  values: {
    ASC: { description: "Smallest first (A to Z)." },
    DESC: { description: "Largest first (Z to A)." },
  } as const,
});

const PupilListOrderInput = builder.inputType("PupilListOrder", {
  description: "The order of a pupil list (default: attendance rate, lowest first).",
  fields: (t) => ({
    by: t.field({ type: PupilListOrderByEnum, required: true, description: "What to order by." }),
    direction: t.field({ type: SortDirectionEnum, required: false, defaultValue: "ASC", description: "Ascending (default) or descending." }),
  }),
});

// ─── Rows ─────────────────────────────────────────────────────────────────────

interface ListRow extends PupilListRow {
  /** The pupil as loaded for the page, with what the query selects of them. */
  pupil: unknown;
}

const attendanceRateOf = (r: PupilListRow) => (r.present + r.approvedActivity) / r.possibleSessions;
const absencesOf = (r: PupilListRow) => r.authorisedAbsence + r.unauthorisedAbsence;

export const PupilListRowRef = builder.objectRef<ListRow>("PupilListRow");
PupilListRowRef.implement({
  description: "A pupil on a list, with their figures for the list's period (the best mark of each session, at every academy of the trust they attended).",
  // Who may read the pupil: the SQL lists only them, and the row checks again.
  authScopes: (r) => ({ form: { academyId: r.academyId, formId: r.formId, capability: "read" } }),
  fields: (t) => ({
    pupil: t.field({
      type: PupilNode,
      description: "The pupil.",
      resolve: (r) => r.pupil as never,
    }),
    possibleSessions: t.exposeInt("possibleSessions", { description: "Sessions the pupil could have attended (not-possible codes excluded)." }),
    present: t.exposeInt("present", { description: "Present, including late before the register closed (/, \\, L)." }),
    approvedActivity: t.exposeInt("approvedActivity", { description: "Attending an approved educational activity (counts as attending)." }),
    authorisedAbsence: t.exposeInt("authorisedAbsence", { description: "Authorised absences." }),
    unauthorisedAbsence: t.exposeInt("unauthorisedAbsence", { description: "Unauthorised absences (including U)." }),
    absences: t.int({ description: "Sessions missed: authorised and unauthorised.", resolve: absencesOf }),
    lateBeforeClose: t.exposeInt("lateBeforeClose", { description: "Sessions arrived late before the register closed (L)." }),
    lateAfterClose: t.exposeInt("lateAfterClose", { description: "Sessions arrived after the register closed (U)." }),
    attendanceRate: t.float({ description: "Present or in approved activity, over possible sessions (0–1), exact.", resolve: attendanceRateOf }),
    attendancePercent: t.string({
      description: "attendanceRate as the DfE publishes it: a percentage to one decimal place, fives rounded up, without the % sign (\"95.5\").",
      resolve: (r) => percent(attendanceRateOf(r)),
    }),
    absenceRate: t.float({ description: "Sessions missed over possible sessions (0–1), exact.", resolve: (r) => absencesOf(r) / r.possibleSessions }),
    absencePercent: t.string({
      description: "absenceRate as the DfE publishes it: one decimal place, fives rounded up, without the % sign (\"4.5\").",
      resolve: (r) => percent(absencesOf(r) / r.possibleSessions),
    }),
    persistentlyAbsent: t.boolean({
      description: "Missed 10% or more of possible sessions in the period (the DfE's persistent absence; statutory guidance, not law).",
      resolve: (r) => absencesOf(r) * 10 >= r.possibleSessions,
    }),
    severelyAbsent: t.boolean({
      description: "Missed 50% or more of possible sessions in the period (the DfE's severe absence).",
      resolve: (r) => absencesOf(r) * 2 >= r.possibleSessions,
    }),
    openCaseActions: t.exposeInt("openCaseActions", {
      nullable: true,
      description: "Open case actions for the pupil at their academy. For staff who work cases there (null, with FORBIDDEN, for others).",
      authScopes: (r) => ({ academy: { academyId: r.academyId, capability: "workCases" } }),
    }),
  }),
});

interface ListConnection {
  totalCount: number;
  from: string;
  to: string;
}

const PupilListConnection = builder.connectionObject(
  {
    type: PupilListRowRef,
    name: "PupilListConnection",
    description: "A page of a pupil list, with the size of the whole list.",
    fields: (t) => ({
      totalCount: t.int({ description: "How many pupils the whole list has, across all pages.", resolve: (c) => (c as unknown as ListConnection).totalCount }),
    }),
  },
  { name: "PupilListEdge", description: "A pupil on the list, with its cursor." },
);

// ─── The field ────────────────────────────────────────────────────────────────

interface ListArgs {
  from: Date;
  to: Date;
  filter?: (PupilListFigureFilter & {
    cohort?: Cohort | null;
    forms?: readonly { id: string; typename: string }[] | null;
    hasOpenCase?: boolean | null;
  }) | null;
  orderBy?: { by: PupilListOrderBy; direction?: "ASC" | "DESC" | null } | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}
type PupilListOrderBy = "ATTENDANCE_RATE" | "ABSENCES" | "UNAUTHORISED_ABSENCE" | "LATE_BEFORE_CLOSE" | "LATE_AFTER_CLOSE" | "NAME";

/** An offset cursor this API gave out, or BAD_USER_INPUT. */
function offsetOf(cursor: string, field: string, problems: InputProblem[]): number {
  let offset = Number.NaN;
  try {
    offset = cursorToOffset(cursor);
  } catch {
    // Reported below.
  }
  if (!Number.isInteger(offset) || offset < 0 || offset > PUPIL_LIST_LIMITS.maxOffset) {
    problems.push({ field, message: "Not a cursor of this list: pass a cursor from its edges or pageInfo." });
    return 0;
  }
  return offset;
}

/** The page asked for as offset and limit (Relay's first/after, or last/before), every argument bounded. */
function pageOf(args: ListArgs, problems: InputProblem[]): { offset: number; limit: number } {
  const max = PUPIL_LIST_LIMITS.maxPageSize;
  for (const name of ["first", "last"] as const) {
    const n = args[name];
    if (n != null && !(n >= 0 && n <= max)) problems.push({ field: name, message: `From 0 to ${max} pupils a page.` });
  }
  if (args.first != null && args.last != null) problems.push({ field: "last", message: "Give first (with after) or last (with before), not both." });
  if (args.last != null && args.before == null) problems.push({ field: "last", message: "last needs before: page backwards from a cursor." });
  const after = args.after != null ? offsetOf(args.after, "after", problems) + 1 : 0;
  if (args.before != null) {
    const before = offsetOf(args.before, "before", problems);
    const size = args.last ?? args.first ?? PUPIL_LIST_LIMITS.defaultPageSize;
    const start = args.last != null ? Math.max(after, before - size) : after;
    return { offset: start, limit: Math.max(0, Math.min(before - start, size)) };
  }
  return { offset: after, limit: args.first ?? PUPIL_LIST_LIMITS.defaultPageSize };
}

/**
 * Refuses a filter that would reveal what the actor may not read, naming
 * what is missing: a safeguarding flag needs readSensitive (read:sensitive
 * for an API client) and an open case needs workCases, in every academy the
 * list covers.
 */
function requireCapability(ctx: GraphQLContext, academyIds: readonly string[], capability: Capability, what: string) {
  const missing = academyIds.filter((id) => !can(ctx.actor, capability, id));
  if (missing.length === 0) return;
  // API clients hold scopes, staff hold capabilities through their roles (packages/core access/roles.ts).
  const needed = ctx.actor?.kind === "apiClient" && capability === "readSensitive" ? "read:sensitive" : capability;
  const noun = ctx.actor?.kind === "apiClient" && capability === "readSensitive" ? "scope" : "capability";
  throw new GraphQLError(`${what} needs the ${needed} ${noun} in every academy the list covers; you lack it in ${missing.length} of them. Nothing was listed.`, {
    extensions: { code: "FORBIDDEN", missing: needed },
  });
}

async function resolveList(group: PupilListGroup, coveredAcademyIds: readonly string[], args: ListArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const actor = ctx.actor!;
  const { from, to } = requirePeriod(args.from, args.to, MAX_PERIOD_DAYS.statistics);
  const raw = args.filter ?? {};
  const filter: PupilListFigureFilter = {
    attendanceBelow: raw.attendanceBelow,
    attendanceAtLeast: raw.attendanceAtLeast,
    persistentlyAbsent: raw.persistentlyAbsent,
    severelyAbsent: raw.severelyAbsent,
    unauthorisedAtLeast: raw.unauthorisedAtLeast,
    lateBeforeCloseAtLeast: raw.lateBeforeCloseAtLeast,
    lateAfterCloseAtLeast: raw.lateAfterCloseAtLeast,
  };
  const problems: InputProblem[] = pupilListFilterProblems(filter);
  const page = pageOf(args, problems);
  const forms = (raw.forms ?? []) as readonly { id: string; typename: string }[];
  if (forms.some((f) => f.typename !== "Form")) problems.push({ field: "filter.forms", message: "Form ids only." });
  const formIds = forms.map((f) => f.id);
  if (formIds.length > PUPIL_LIST_LIMITS.maxForms) problems.push({ field: "filter.forms", message: `At most ${PUPIL_LIST_LIMITS.maxForms} forms.` });
  const cohort: Cohort = JSON.parse(JSON.stringify(raw.cohort ?? {})) as Cohort;
  if ((cohort.yearGroups?.length ?? 0) > 20 || cohort.yearGroups?.some((y) => y < -1 || y > 14)) {
    problems.push({ field: "filter.cohort.yearGroups", message: "Year groups from -1 (nursery) to 14, at most 20." });
  }
  if (problems.length) throw badInput(problems[0]!.message, problems);

  // Filtering by a flag reveals it: only for actors who may read it wherever the list looks.
  const flags = SENSITIVE.filter((flag) => cohort[flag] != null);
  if (flags.length) requireCapability(ctx, coveredAcademyIds, "readSensitive", `Filtering by ${flags.join(", ")}`);
  if (raw.hasOpenCase != null) requireCapability(ctx, coveredAcademyIds, "workCases", "Filtering by open case actions");

  const order = args.orderBy ? { by: args.orderBy.by, direction: args.orderBy.direction ?? "ASC" } : DEFAULT_PUPIL_LIST_ORDER;
  const result = page.limit === 0 && args.before != null
    ? { total: 0, rows: [] }
    : await queryPupilList(ctx.prisma, {
        group, trustId: actor.trustId, from, to, filter, cohort, formIds, hasOpenCase: raw.hasOpenCase,
        order, scope: readableScope(actor), offset: page.offset, limit: page.limit + 1,
      });
  const rows = result.rows.slice(0, page.limit);
  // The page's pupils in one statement, with everything the query selects of them (their form, academy…).
  const pupils = rows.length
    ? await ctx.prisma.pupil.findMany({ ...queryFromInfo({ context: ctx, info, path: ["edges", "node", "pupil"], typeName: "Pupil" }), where: { id: { in: rows.map((r) => r.pupilId) } } })
    : [];
  const byId = new Map(pupils.map((p) => [p.id, p]));
  const edges = rows.map((r, i) => ({ cursor: offsetToCursor(page.offset + i), node: { ...r, pupil: byId.get(r.pupilId) } }));
  return {
    totalCount: result.total,
    from,
    to,
    edges,
    pageInfo: {
      hasNextPage: result.rows.length > page.limit,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

const LIST_DESCRIPTION =
  "Pupils you may see (a teacher: their own forms; an API client: its academies) with their figures from `from` to `to` (inclusive, at most two school years), filtered and ordered (default: attendance rate, lowest first), a page at a time (at most 500) with the whole list's totalCount. Counted in the database, whatever the size of the list.";

const argsFor = builder.args((t) => ({
  from: t.field({ type: "Date", required: true, description: "First date (inclusive)." }),
  to: t.field({ type: "Date", required: true, description: "Last date (inclusive)." }),
  filter: t.field({ type: PupilListFilterInput, required: false, description: "Which pupils to keep (default: every pupil with a possible session in the period)." }),
  orderBy: t.field({ type: PupilListOrderInput, required: false, description: "The order (default: attendance rate, lowest first)." }),
}));

/** The academies of the actor's trust it may read: what a trust-wide list covers. */
const readableAcademies = (ctx: GraphQLContext) => [...(ctx.actor?.academies ?? [])].filter(([, g]) => g.capabilities.has("read")).map(([id]) => id);

builder.prismaObjectField("Trust", "pupilList", (t) =>
  t.connection(
    {
      type: PupilListRowRef,
      description: `The trust's working list: ${LIST_DESCRIPTION}`,
      args: argsFor,
      resolve: (trust, args, ctx, info) => resolveList({ kind: "TRUST", trustId: trust.id }, readableAcademies(ctx), args as ListArgs, ctx, info) as never,
    },
    PupilListConnection,
  ),
);

builder.prismaObjectField("Academy", "pupilList", (t) =>
  t.connection(
    {
      type: PupilListRowRef,
      description: `The academy's working list (its current pupils): ${LIST_DESCRIPTION}`,
      args: argsFor,
      resolve: (academy, args, ctx, info) => resolveList({ kind: "ACADEMY", academyId: academy.id }, [academy.id], args as ListArgs, ctx, info) as never,
    },
    PupilListConnection,
  ),
);

builder.objectField(YearGroupRef, "pupilList", (t) =>
  t.connection(
    {
      type: PupilListRowRef,
      description: `The year group's working list: ${LIST_DESCRIPTION}`,
      args: argsFor,
      resolve: (y, args, ctx, info) => resolveList({ kind: "YEAR_GROUP", academyId: y.academyId, yearGroup: y.yearGroup }, [y.academyId], args as ListArgs, ctx, info) as never,
    },
    PupilListConnection,
  ),
);

builder.prismaObjectField("Form", "pupilList", (t) =>
  t.connection(
    {
      type: PupilListRowRef,
      description: `The form's working list: ${LIST_DESCRIPTION}`,
      args: argsFor,
      select: { academyId: true },
      resolve: (form, args, ctx, info) => resolveList({ kind: "FORM", formId: form.id }, [form.academyId], args as ListArgs, ctx, info) as never,
    },
    PupilListConnection,
  ),
);
