// Attendance statistics with the same shape on Pupil, Form, YearGroup, Academy
// and Trust, over any date range and cohort, computed in SQL (statistics/sql.ts)
// and batched per request; plus register completion and, per pupil, how many
// more absences would make them persistently absent this year.
import {
  registerRefusal,
  dateOfIso,
  absenceRate,
  absencesUntilPersistentAbsence,
  attendanceRate,
  bestGroups,
  can,
  individualReward,
  isoDateOf,
  percent,
  schoolYearOf,
  settingValue,
  type GroupFigures,
} from "@attendance/core";
import { builder } from "../builder.ts";
import { MAX_PERIOD_DAYS, badInput, forbidden, requirePeriod } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";
import type { StatisticsKey } from "../loaders.ts";
import { academyPolicy } from "../policy.ts";
import { academyCalendar } from "../workflows/calendar.ts";
import { visibleFormsWhere, visiblePupilsWhere } from "../visibility.ts";
import { zeroFigures, type Breakdown, type Cohort, type GroupKind } from "../statistics/sql.ts";
import { GenderEnum, SenProvisionEnum, SessionEnum } from "./enums.ts";

export const CohortInput = builder.inputType("CohortFilter", {
  description: "Only pupils with all of these characteristics. Safeguarding flags need a role that may read them.",
  fields: (t) => ({
    gender: t.field({ type: GenderEnum, required: false, description: "Only this gender." }),
    senProvision: t.field({ type: [SenProvisionEnum], required: false, description: "Only these kinds of SEN provision." }),
    yearGroups: t.intList({ required: false, description: "Only these year groups." }),
    freeSchoolMeals: t.boolean({ required: false, description: "Eligible (true) or not (false) for free school meals." }),
    pupilPremium: t.boolean({ required: false, description: "Attracting pupil premium (true) or not (false)." }),
    englishAdditionalLanguage: t.boolean({ required: false, description: "With English as an additional language (true) or not." }),
    lookedAfter: t.boolean({ required: false, description: "Looked-after (true) or not (false)." }),
    hasSocialWorker: t.boolean({ required: false, description: "With a social worker (true) or not (false)." }),
  }),
});

/** A date range, the arguments of every attendance field. */
const periodArgs = builder.args((t) => ({
  from: t.field({ type: "Date", required: true, description: "First date (inclusive)." }),
  to: t.field({ type: "Date", required: true, description: "Last date (inclusive)." }),
}));

const periodAndCohortArgs = builder.args((t) => ({
  ...periodArgs,
  cohort: t.field({ type: CohortInput, required: false, description: "Only pupils with these characteristics." }),
}));

/** One register: a date and a session. */
const sessionArgs = builder.args((t) => ({
  date: t.field({ type: "Date", required: true, description: "The date." }),
  session: t.field({ type: SessionEnum, required: true, description: "The session." }),
}));

/** Cohort flags that only roles that may read safeguarding flags may filter by (packages/core access/roles.ts: readSensitive). */
export const SENSITIVE: (keyof Cohort)[] = ["freeSchoolMeals", "pupilPremium", "lookedAfter", "hasSocialWorker"];

interface SummaryParent {
  kind: GroupKind;
  id: string;
  from: string;
  to: string;
  cohort: Cohort;
}

/**
 * A rate as people read it (issue 16, item 3): the DfE's published form, a
 * percentage to one decimal place with fives rounded up (core's percent(),
 * as the DfE's round_five_up), as a string so that "90.0" keeps its digit.
 * The exact rate stays beside it for sums and charts.
 */
export const PERCENT = (rate: string, example: string) =>
  `${rate} as the DfE publishes it: a percentage to one decimal place, fives rounded up, without the % sign ("${example}"); null when ${rate} is null.`;

const FiguresRef = builder.objectRef<GroupFigures>("AttendanceFigures");
FiguresRef.implement({
  description:
    "Attendance as the Department for Education counts it: the best mark of each session, over possible sessions (not-possible codes excluded).",
  authScopes: { authenticated: true },
  fields: (t) => ({
    pupils: t.exposeInt("pupils", { description: "Pupils with at least one possible session." }),
    possibleSessions: t.exposeInt("possibleSessions", { description: "Sessions the pupils could have attended." }),
    present: t.exposeInt("present", { description: "Present, including late before the register closed (/, \\, L)." }),
    approvedActivity: t.exposeInt("approvedActivity", { description: "Attending an approved educational activity (counts as attending)." }),
    authorisedAbsence: t.exposeInt("authorisedAbsence", { description: "Authorised absences." }),
    unauthorisedAbsence: t.exposeInt("unauthorisedAbsence", { description: "Unauthorised absences (including U)." }),
    lateBeforeClose: t.exposeInt("lateBeforeClose", { description: "Sessions arrived late before the register closed (L)." }),
    lateAfterClose: t.exposeInt("lateAfterClose", { description: "Sessions arrived after the register closed (U)." }),
    attendanceRate: t.float({
      nullable: true,
      description: "Present or in approved activity, over possible sessions (0–1); null with none possible.",
      resolve: (f) => attendanceRate(f),
    }),
    attendancePercent: t.string({
      nullable: true,
      description: PERCENT("attendanceRate", "95.5"),
      resolve: (f) => percent(attendanceRate(f)),
    }),
    absenceRate: t.float({
      nullable: true,
      description: "Authorised and unauthorised absence over possible sessions (0–1); null with none possible.",
      resolve: (f) => absenceRate(f),
    }),
    absencePercent: t.string({
      nullable: true,
      description: PERCENT("absenceRate", "4.5"),
      resolve: (f) => percent(absenceRate(f)),
    }),
    persistentlyAbsent: t.exposeInt("persistentlyAbsent", { description: "Pupils absent for 10% or more of their possible sessions." }),
    severelyAbsent: t.exposeInt("severelyAbsent", { description: "Pupils absent for 50% or more of their possible sessions." }),
    persistentAbsenceRate: t.float({
      nullable: true,
      description: "Persistently absent pupils over pupils (0–1); null with no pupils.",
      resolve: (f) => (f.pupils === 0 ? null : f.persistentlyAbsent / f.pupils),
    }),
    persistentAbsencePercent: t.string({
      nullable: true,
      description: PERCENT("persistentAbsenceRate", "18.1"),
      resolve: (f) => percent(f.pupils === 0 ? null : f.persistentlyAbsent / f.pupils),
    }),
  }),
});

const BucketRef = builder.objectRef<{ key: string; figures: GroupFigures }>("AttendanceBucket");
BucketRef.implement({
  description: "Figures for one day of the week or one week.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "ISO weekday 1 (Monday) to 5 (Friday), or the Monday starting the week (yyyy-mm-dd)." }),
    figures: t.field({ type: FiguresRef, description: "The figures.", resolve: (b) => b.figures }),
  }),
});

async function load(ctx: GraphQLContext, p: SummaryParent, by: Breakdown) {
  const key: StatisticsKey = { kind: p.kind, id: p.id, from: p.from, to: p.to, cohort: p.cohort, by };
  return ctx.loaders.statistics.load(key);
}

const SummaryRef = builder.objectRef<SummaryParent>("AttendanceSummary");
SummaryRef.implement({
  description: "Attendance over a date range: the totals, by day of the week, and week by week (a trend).",
  authScopes: { authenticated: true },
  fields: (t) => ({
    from: t.field({ type: "Date", description: "First date (inclusive).", resolve: (p) => dateOfIso(p.from) }),
    to: t.field({ type: "Date", description: "Last date (inclusive).", resolve: (p) => dateOfIso(p.to) }),
    total: t.field({
      type: FiguresRef,
      description: "The totals.",
      resolve: async (p, _args, ctx) => (await load(ctx, p, "TOTAL"))[0] ?? zeroFigures(),
    }),
    byDayOfWeek: t.field({
      type: [BucketRef],
      description: "Monday to Friday: which days pupils miss.",
      resolve: async (p, _args, ctx) => (await load(ctx, p, "DAY_OF_WEEK")).map((r) => ({ key: r.bucket, figures: r })),
    }),
    byWeek: t.field({
      type: [BucketRef],
      description: "Week by week, oldest first: the trend.",
      resolve: async (p, _args, ctx) => (await load(ctx, p, "WEEK")).map((r) => ({ key: r.bucket, figures: r })),
    }),
  }),
});

function summaryFor(kind: GroupKind, id: string, args: { from: Date; to: Date; cohort?: Cohort | null }, ctx: GraphQLContext): SummaryParent {
  // The same arguments on a thousand pupils (an officer's forms) are checked
  // once a request; a refusal is not kept, so it is thrown for each field.
  const key = `${args.from.getTime()}|${args.to.getTime()}|${JSON.stringify(args.cohort ?? null)}`;
  const checked = ctx.loaders.summaries.get(key);
  if (checked) return { kind, id, ...checked };
  const summary = checkSummary(kind, id, args, ctx);
  ctx.loaders.summaries.set(key, { from: summary.from, to: summary.to, cohort: summary.cohort });
  return summary;
}

function checkSummary(kind: GroupKind, id: string, args: { from: Date; to: Date; cohort?: Cohort | null }, ctx: GraphQLContext): SummaryParent {
  const { from, to } = requirePeriod(args.from, args.to, MAX_PERIOD_DAYS.statistics);
  const cohort: Cohort = { ...(args.cohort ?? {}) };
  for (const flag of SENSITIVE) {
    if (cohort[flag] == null) continue;
    // Filtering by a flag reveals it: only for actors who may read it everywhere they look.
    const allowed = [...(ctx.actor?.academies.values() ?? [])].every((g) => !g.capabilities.has("read") || g.capabilities.has("readSensitive"));
    if (!allowed) throw forbidden(`Filtering by ${flag} needs permission to read safeguarding flags in every academy you see.`, { capabilities: ["readSensitive"] });
  }
  return { kind, id, from, to, cohort: JSON.parse(JSON.stringify(cohort)) as Cohort };
}

builder.prismaObjectField("Pupil", "attendance", (t) =>
  t.field({
    type: SummaryRef,
    description: "The pupil's attendance from `from` to `to` (inclusive), across every academy they attended (best mark of each session).",
    args: periodArgs,
    resolve: (pupil, args, ctx) => summaryFor("PUPIL", pupil.id, args, ctx),
  }),
);

for (const [type, kind] of [["Form", "FORM"], ["Academy", "ACADEMY"], ["Trust", "TRUST"]] as const) {
  builder.prismaObjectField(type, "attendance", (t) =>
    t.field({
      type: SummaryRef,
      description: `The ${type.toLowerCase()}'s attendance from \`from\` to \`to\` (inclusive), over the pupils you may see, optionally for a cohort.`,
      args: periodAndCohortArgs,
      resolve: (parent, args, ctx) => summaryFor(kind, parent.id, args, ctx),
    }),
  );
}

export interface YearGroupShape {
  academyId: string;
  yearGroup: number;
}

export const YearGroupRef = builder.objectRef<YearGroupShape>("YearGroup");
YearGroupRef.implement({
  description: "A year group of an academy.",
  authScopes: (y) => ({ academy: { academyId: y.academyId, capability: "read" } }),
  fields: (t) => ({
    yearGroup: t.exposeInt("yearGroup", { description: "National Curriculum year: -1 nursery, 0 Reception, 1–13." }),
    attendance: t.field({
      type: SummaryRef,
      description: "The year group's attendance from `from` to `to` (inclusive), over the pupils you may see, optionally for a cohort.",
      args: periodAndCohortArgs,
      resolve: (y, args, ctx) => summaryFor("YEAR_GROUP", `${y.academyId}:${y.yearGroup}`, args, ctx),
    }),
  }),
});

builder.prismaObjectField("Academy", "yearGroups", (t) =>
  t.field({
    type: [YearGroupRef],
    description: "The academy's year groups, youngest first.",
    select: { forms: { select: { yearGroup: true }, distinct: ["yearGroup"], orderBy: { yearGroup: "asc" } } },
    resolve: (academy) => academy.forms.map((f) => ({ academyId: academy.id, yearGroup: f.yearGroup })),
  }),
);

// ─── Register completion ──────────────────────────────────────────────────────

interface CompletionShape {
  academyId: string;
  date: string;
  session: "AM" | "PM";
}

const FormStatusRef = builder.objectRef<{ formId: string; takenAt: Date | null }>("FormRegisterStatus");
FormStatusRef.implement({
  description: "Whether a form's part of a register has been taken.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    form: t.prismaField({
      type: "Form",
      description: "The form.",
      resolve: (query, s, _args, ctx) => ctx.prisma.form.findUniqueOrThrow({ ...query, where: { id: s.formId } }),
    }),
    taken: t.boolean({ description: "Whether it has been taken.", resolve: (s) => s.takenAt !== null }),
    takenAt: t.field({ type: "DateTime", nullable: true, description: "When it was first taken.", resolve: (s) => s.takenAt }),
  }),
});

const CompletionRef = builder.objectRef<CompletionShape>("RegisterCompletion");
CompletionRef.implement({
  description: "Which forms have taken a session's register, and which have not yet.",
  authScopes: (c) => ({ academy: { academyId: c.academyId, capability: "read" } }),
  fields: (t) => ({
    academy: t.prismaField({
      type: "Academy",
      description: "The academy.",
      resolve: (query, c, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: c.academyId } }),
    }),
    date: t.field({ type: "Date", description: "The date.", resolve: (c) => dateOfIso(c.date) }),
    session: t.field({ type: SessionEnum, description: "The session.", resolve: (c) => c.session }),
    forms: t.field({ type: [FormStatusRef], description: "Every form you may see, youngest first.", resolve: (c, _a, ctx) => ctx.loaders.completion.load(c) }),
    formsTotal: t.int({ description: "How many forms.", resolve: async (c, _a, ctx) => (await ctx.loaders.completion.load(c)).length }),
    formsTaken: t.int({
      description: "How many have taken the register.",
      resolve: async (c, _a, ctx) => (await ctx.loaders.completion.load(c)).filter((f) => f.takenAt !== null).length,
    }),
    complete: t.boolean({
      description: "Whether every form has taken it.",
      resolve: async (c, _a, ctx) => (await ctx.loaders.completion.load(c)).every((f) => f.takenAt !== null),
    }),
    meets: t.boolean({
      description: "Whether the academy meets for this session by its calendar (not a weekend, holiday or closure, and within a school year it has terms for). Only such a session has a register.",
      resolve: async (c, _a, ctx) => (await notMet(ctx, c)) === null,
    }),
    notMetReason: t.string({
      nullable: true,
      description: "Why the academy does not meet for this session (null when it does), e.g. a weekend, a holiday or an INSET day.",
      resolve: (c, _a, ctx) => notMet(ctx, c),
    }),
    missingMarks: t.prismaField({
      type: ["Pupil"],
      description:
        "Pupils you may see who were on the academy's roll on this date and have no mark in this session's register, by surname: missing marks. None when the academy does not meet. A missing mark counts in no statistic, neither as attendance nor as absence, until it is entered.",
      resolve: async (query, c, _a, ctx) =>
        (await notMet(ctx, c)) === null
          ? ctx.prisma.pupil.findMany({ ...query, where: missingMarksWhere(ctx, c), orderBy: [{ legalSurname: "asc" }, { legalForename: "asc" }, { id: "asc" }] })
          : [],
    }),
    missingMarkCount: t.int({
      description: "How many missing marks (see missingMarks).",
      resolve: async (c, _a, ctx) => ((await notMet(ctx, c)) === null ? ctx.prisma.pupil.count({ where: missingMarksWhere(ctx, c) }) : 0),
    }),
  }),
});

/**
 * Why the academy does not meet for a session, or null if it does: its
 * calendar decides (SI 2024/208, reg. 10(1)), not the marks. A future session
 * the academy will meet counts as met (its register is not yet due).
 */
async function notMet(ctx: GraphQLContext, c: CompletionShape): Promise<string | null> {
  const refusal = registerRefusal(await academyCalendar(ctx.prisma, c.academyId), c.date, c.session, c.date, 0);
  return refusal?.message ?? null;
}

/** Pupils on roll on the date (regs 8 and 9 of SI 2024/208) with no mark in the session's register. */
function missingMarksWhere(ctx: GraphQLContext, c: CompletionShape) {
  const day = dateOfIso(c.date);
  return {
    AND: [
      visiblePupilsWhere(ctx.actor),
      { enrolments: { some: { academyId: c.academyId, onRollFrom: { lte: day }, OR: [{ onRollTo: null }, { onRollTo: { gte: day } }] } } },
      { marks: { none: { academyId: c.academyId, date: day, session: c.session } } },
    ],
  };
}

builder.prismaObjectField("Academy", "registerCompletion", (t) =>
  t.field({
    type: CompletionRef,
    description: "Which forms have taken this session's register, and which have not yet (live).",
    args: sessionArgs,
    resolve: (academy, args) => ({ academyId: academy.id, date: isoDateOf(args.date), session: args.session }),
  }),
);

builder.prismaObjectField("Trust", "registerCompletion", (t) =>
  t.field({
    type: [CompletionRef],
    description: "Register completion for every academy of the trust you may see, by academy name.",
    args: sessionArgs,
    select: { academies: { select: { id: true, name: true }, orderBy: { name: "asc" } } },
    resolve: (trust, args, ctx) =>
      trust.academies
        .filter((a) => can(ctx.actor, "read", a.id))
        .map((a) => ({ academyId: a.id, date: isoDateOf(args.date), session: args.session })),
  }),
);

// ─── Persistent-absence early warning ─────────────────────────────────────────

builder.prismaObjectField("Pupil", "absencesUntilPersistentAbsence", (t) =>
  t.int({
    nullable: true,
    description:
      "How many more absences this school year (1 September to 31 August) would make the pupil persistently absent, if they attend every other session: 0 if they will be whatever happens, null if they cannot be. Counted at the pupil's current academy, from its calendar.",
    args: { asOf: t.arg({ type: "Date", required: false, description: "The day to count from (default: today)." }) },
    select: { academyId: true },
    resolve: async (pupil, args, ctx) => {
      const asOf = isoDateOf(args.asOf ?? new Date());
      const year = schoolYearOf(asOf);
      const [figures] = await load(ctx, { kind: "PUPIL", id: pupil.id, from: year.start, to: asOf, cohort: {} }, "TOTAL");
      const remaining = await ctx.loaders.remainingSessions.load({ academyId: pupil.academyId, after: asOf, yearEnd: year.end });
      return absencesUntilPersistentAbsence(figures ?? zeroFigures(), remaining);
    },
  }),
);

// ─── Rewards ──────────────────────────────────────────────────────────────────

interface RewardsShape {
  academyId: string;
  from: string;
  to: string;
  /** The academy's reward settings on the period's last day. */
  groupOnly: boolean | undefined;
  individualExpectation: number | undefined;
}

const RewardedPupilRef = builder.objectRef<{ pupilId: string; attendanceRate: number; reason: string }>("RewardedPupil");
RewardedPupilRef.implement({
  description: "A pupil rewarded for their attendance in the period.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    pupil: t.prismaField({
      type: "Pupil",
      description: "The pupil.",
      resolve: (query, r, _args, ctx) => ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: r.pupilId } }),
    }),
    attendanceRate: t.exposeFloat("attendanceRate", { description: "Their attendance in the period (0–1)." }),
    attendancePercent: t.string({
      description: 'attendanceRate as the DfE publishes it: a percentage to one decimal place, fives rounded up, without the % sign ("97.4").',
      resolve: (r) => percent(r.attendanceRate),
    }),
    reason: t.exposeString("reason", { description: "Why they are rewarded." }),
  }),
});

const RewardedFormRef = builder.objectRef<{ formId: string; attendanceRate: number | null }>("RewardedForm");
RewardedFormRef.implement({
  description: "A form with the best attendance in the period (group reward).",
  authScopes: { authenticated: true },
  fields: (t) => ({
    form: t.prismaField({
      type: "Form",
      description: "The form.",
      resolve: (query, r, _args, ctx) => ctx.prisma.form.findUniqueOrThrow({ ...query, where: { id: r.formId } }),
    }),
    attendanceRate: t.float({ nullable: true, description: "Its attendance in the period (0–1).", resolve: (r) => r.attendanceRate }),
    attendancePercent: t.string({ nullable: true, description: PERCENT("attendanceRate", "96.2"), resolve: (r) => percent(r.attendanceRate) }),
  }),
});

const rateOf = (f: GroupFigures | undefined) => (f ? attendanceRate(f) : null);

const RewardsRef = builder.objectRef<RewardsShape>("AttendanceRewards");
RewardsRef.implement({
  description: "Who the academy's policy rewards for attendance over a period: individual pupils, or groups only.",
  authScopes: (r) => ({ academy: { academyId: r.academyId, capability: "read" } }),
  fields: (t) => ({
    groupOnly: t.boolean({
      description: "Whether the policy rewards groups only (no individual rewards).",
      resolve: (r) => r.groupOnly ?? false,
    }),
    pupils: t.field({
      type: [RewardedPupilRef],
      description: "Pupils you may see who are rewarded individually, best first (none where rewards are for groups only).",
      resolve: async (r, _a, ctx) => {
        const settings = { groupOnly: r.groupOnly, individualExpectation: r.individualExpectation };
        if (settings.groupOnly || settings.individualExpectation === undefined) return [];
        const pupils = await ctx.prisma.pupil.findMany({ where: { AND: [{ academyId: r.academyId }, visiblePupilsWhere(ctx.actor)] }, select: { id: true } });
        const figures = await Promise.all(pupils.map((p) => ctx.loaders.statistics.load({ kind: "PUPIL", id: p.id, from: r.from, to: r.to, cohort: {}, by: "TOTAL" })));
        return pupils
          .map((p, i) => ({ pupilId: p.id, rate: rateOf(figures[i]![0]) }))
          .map((p) => ({ ...p, decision: individualReward(settings, p.rate) }))
          .filter((p) => p.decision.eligible)
          .sort((a, b) => b.rate! - a.rate!)
          .map((p) => ({ pupilId: p.pupilId, attendanceRate: p.rate!, reason: p.decision.reason }));
      },
    }),
    bestForms: t.field({
      type: [RewardedFormRef],
      description: "The form or forms (on a tie) with the best attendance: the group reward.",
      resolve: async (r, _a, ctx) => {
        const forms = await ctx.prisma.form.findMany({ where: { AND: [{ academyId: r.academyId }, visibleFormsWhere(ctx.actor)] }, select: { id: true } });
        const figures = await Promise.all(forms.map((f) => ctx.loaders.statistics.load({ kind: "FORM", id: f.id, from: r.from, to: r.to, cohort: {}, by: "TOTAL" })));
        return bestGroups(forms.map((f, i) => ({ formId: f.id, attendanceRate: rateOf(figures[i]![0]) })));
      },
    }),
  }),
});

builder.prismaObjectField("Academy", "rewards", (t) =>
  t.field({
    type: RewardsRef,
    description: "Attendance rewards for a period under the academy's policy on its last day: eligible pupils, or the best forms where rewards are for groups only.",
    args: periodArgs,
    resolve: async (academy, args, ctx) => {
      const { from, to } = requirePeriod(args.from, args.to, MAX_PERIOD_DAYS.statistics);
      const policy = await academyPolicy(ctx, academy.id, to);
      return {
        academyId: academy.id,
        from,
        to,
        groupOnly: settingValue(policy, "rewards.groupOnly"),
        individualExpectation: settingValue(policy, "rewards.individualExpectation"),
      };
    },
  }),
);
