// Policy what-if (issue 16, item 6): a draft of setting changes applied to the
// recorded history of a period, answered beside the policy in force — lates
// and U marks, ladder steps, penalty-notice candidates and rewards, per pupil
// and in total — for one academy or several of a trust. The simulation itself
// is pure (packages/core/src/simulation); this module reads the history in a
// read-only savepoint that is rolled back, so nothing can be written, and in
// the same number of statements whatever the number of academies and pupils.
import {
  academiesWhere,
  addDays,
  arrivalFromMinutesLate,
  can,
  effectiveCalendar,
  isoDateOf,
  dateOfIso,
  parseDraft,
  schoolYearOf,
  simulateAcademy,
  type AcademyHistory,
  type AcademySimulation,
  type Checkpoint,
  type DueAction,
  type HistoryMark,
  type IsoDate,
  type Outcome,
  type PolicyOnDate,
  type PolicySettings,
  type PupilCalendars,
  type PupilHistory,
  type SessionTimes,
  type Totals,
  type AttendanceCategory,
  type EffectiveCalendar,
} from "@attendance/core";
import { resolveArrayConnection } from "@pothos/plugin-relay";
import { builder } from "../builder.ts";
import { badInput, forbidden, requirePeriod } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";
import { closureOf, termOf } from "../workflows/calendar.ts";
import { CaseActionKindEnum, CaseActionSourceEnum } from "./cases.ts";

/** Who may simulate: the staff who work an academy's cases (headteacher, admin, attendance officer, trust attendance lead) or administer it (trust admin). */
const MAY_SIMULATE = ["workCases", "administer"] as const;
/** Most academies in one trust-wide run (comparePolicies allows as many). */
export const MAX_SIMULATED_ACADEMIES = 100;
/** Far enough back for any rolling window of school weeks (52 is the setting's most), as penaltyNoticeCandidates looks back. */
const PENALTY_LOOKBACK_DAYS = 400;

/** A PostgreSQL array literal of UUIDs, sent as one text parameter (typed on the server by uuid_list: = ANY(uuid_list($n::text)) keeps the index and is parsed once). */
const arrayLiteral = (values: readonly string[]) => `{${values.join(",")}}`;

const maySimulate = (ctx: GraphQLContext, academyId: string) => MAY_SIMULATE.some((c) => can(ctx.actor, c, academyId));

interface SimulationShape extends AcademySimulation {
  academyId: string;
  from: IsoDate;
  to: IsoDate;
  changes: PolicySettings;
}

interface TrustSimulationShape {
  academies: SimulationShape[];
  from: IsoDate;
  to: IsoDate;
}

/** The period: at most one school year, inside it (the absence ladder counts from the school year's start). */
function simulationPeriod(fromArg: Date, toArg: Date): { from: IsoDate; to: IsoDate } {
  const { from, to } = requirePeriod(fromArg, toArg, 366);
  const year = schoolYearOf(from);
  if (to > year.end) {
    const message = `The period must lie within one school year (${year.start} to ${year.end}): simulate each school year on its own.`;
    throw badInput(message, [{ field: "to", message }]);
  }
  return { from, to };
}

/** The draft, or BAD_USER_INPUT naming each setting that is wrong (the settings' own zod schemas). */
function draftOf(changes: unknown): PolicySettings {
  const { draft, problems } = parseDraft(changes);
  if (problems.length > 0) {
    throw badInput(`The draft was not simulated: ${problems.map((p) => `${p.field}: ${p.message}`).join("; ")}`, problems.map((p) => ({ field: `changes.${p.field}`, message: p.message })));
  }
  return draft;
}

/**
 * Runs `fn` in a savepoint made read-only (`transaction_read_only`), then
 * rolls the savepoint back: a simulation writes nothing, and the database
 * refuses it if anything tried.
 */
async function readOnly<T>(ctx: GraphQLContext, fn: () => Promise<T>): Promise<T> {
  const done = Symbol("read-only run finished");
  let result: T | undefined;
  try {
    await ctx.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL transaction_read_only = on");
      result = await fn();
      throw done;
    });
  } catch (error) {
    if (error !== done) throw error;
  }
  return result as T;
}

interface MarkRow {
  pupil_id: string;
  here: boolean;
  urn: number;
  date: Date;
  session: "AM" | "PM";
  code: string;
  category: AttendanceCategory;
  arrival: string | null;
  minutes_late: number | null;
}

/** The recorded history of each academy's pupils for the period, in a fixed number of statements. */
async function histories(ctx: GraphQLContext, academies: readonly { id: string; trustId: string }[], from: IsoDate, to: IsoDate): Promise<Map<string, Omit<AcademyHistory, "policyOn">>> {
  const ids = academies.map((a) => a.id);
  const yearStart = schoolYearOf(from).start;
  const since = addDays(to, -PENALTY_LOOKBACK_DAYS);
  // Pupils of each academy on its roll on a day of the period (as the ladders
  // and penaltyNoticeCandidates take them), with every spell on roll (their
  // school weeks: packages/core/src/calendar/school-weeks.ts).
  const pupils = await ctx.prisma.pupil.findMany({
    where: { academyId: { in: ids }, enrolments: { some: { academyId: { in: ids }, onRollFrom: { lte: dateOfIso(to) }, OR: [{ onRollTo: null }, { onRollTo: { gte: dateOfIso(from) } }] } } },
    select: { id: true, academyId: true, formId: true, enrolments: { select: { academyId: true, onRollFrom: true, onRollTo: true } } },
    orderBy: [{ legalSurname: "asc" }, { legalForename: "asc" }, { id: "asc" }],
  });
  const pupilIds = pupils.map((p) => p.id);
  const trustIds = [...new Set(academies.map((a) => a.trustId))];
  const [marks, checkpoints, periods, terms, closures, trustAcademies] = await Promise.all([
    // The marks that can change or that count: late arrivals, unauthorised
    // absence, and present marks with an arrival time. Local clock time in
    // each register's academy's time zone.
    ctx.prisma.$queryRawUnsafe<MarkRow[]>(
      `SELECT cm.pupil_id, cm.academy_id = p.academy_id AS here, a.urn, cm.date, cm.session::text AS session, cm.code, cm.category::text AS category,
              to_char(m.arrived_at AT TIME ZONE a.timezone, 'HH24:MI') AS arrival, m.minutes_late
       FROM current_mark cm JOIN pupil p ON p.id = cm.pupil_id JOIN academy a ON a.id = cm.academy_id JOIN mark m ON m.id = cm.mark_id
       WHERE cm.pupil_id = ANY(uuid_list($1::text)) AND cm.date BETWEEN $2::date AND $3::date
         AND (cm.code IN ('L', 'U', 'G', 'N', 'O') OR (cm.code IN ('/', '\\') AND (m.arrived_at IS NOT NULL OR m.minutes_late IS NOT NULL)))
       ORDER BY cm.pupil_id, cm.date, cm.session`,
      arrayLiteral(pupilIds), since < yearStart ? since : yearStart, to,
    ),
    // Cumulative possible and attended sessions from the school year's start
    // (best mark of each session, as the statistics count them), on the
    // days of the period the rate can fall — a session missed, a late
    // arrival — and each pupil's first: on other days it can only rise.
    ctx.prisma.$queryRawUnsafe<{ pupil_id: string; date: Date; possible: number; attending: number }[]>(
      `WITH s AS (
         SELECT cm.pupil_id, cm.date, cm.session,
                min(CASE cm.category WHEN 'PRESENT' THEN 1 WHEN 'APPROVED_ACTIVITY' THEN 2 WHEN 'AUTHORISED_ABSENCE' THEN 3 WHEN 'UNAUTHORISED_ABSENCE' THEN 4 ELSE 5 END) AS rank,
                bool_or(cm.code IN ('L', 'U') OR m.arrived_at IS NOT NULL OR m.minutes_late IS NOT NULL) AS arrival
         FROM current_mark cm JOIN mark m ON m.id = cm.mark_id
         WHERE cm.pupil_id = ANY(uuid_list($1::text)) AND cm.date BETWEEN $2::date AND $4::date
         GROUP BY 1, 2, 3
       ), d AS (
         SELECT pupil_id, date, count(*) FILTER (WHERE rank < 5) AS possible, count(*) FILTER (WHERE rank <= 2) AS attending, bool_or(arrival) AS arrival
         FROM s GROUP BY 1, 2
       ), c AS (
         SELECT pupil_id, date, possible, attending, arrival,
                sum(possible) OVER w AS cum_possible, sum(attending) OVER w AS cum_attending,
                min(date) FILTER (WHERE date >= $3::date) OVER (PARTITION BY pupil_id) AS first_day
         FROM d WINDOW w AS (PARTITION BY pupil_id ORDER BY date)
       )
       SELECT pupil_id, date, cum_possible::int AS possible, cum_attending::int AS attending
       FROM c WHERE date >= $3::date AND (attending < possible OR arrival OR date = first_day)
       ORDER BY pupil_id, date`,
      arrayLiteral(pupilIds), yearStart, from, to,
    ),
    ctx.prisma.$queryRawUnsafe<{ pupil_id: string; possible: number; attending: number }[]>(
      `WITH s AS (
         SELECT cm.pupil_id, cm.date, cm.session,
                min(CASE cm.category WHEN 'PRESENT' THEN 1 WHEN 'APPROVED_ACTIVITY' THEN 2 WHEN 'AUTHORISED_ABSENCE' THEN 3 WHEN 'UNAUTHORISED_ABSENCE' THEN 4 ELSE 5 END) AS rank
         FROM current_mark cm WHERE cm.pupil_id = ANY(uuid_list($1::text)) AND cm.date BETWEEN $2::date AND $3::date GROUP BY 1, 2, 3
       )
       SELECT pupil_id, (count(*) FILTER (WHERE rank < 5))::int AS possible, (count(*) FILTER (WHERE rank <= 2))::int AS attending FROM s GROUP BY 1`,
      arrayLiteral(pupilIds), from, to,
    ),
    ctx.prisma.schoolTerm.findMany({ where: { trustId: { in: trustIds }, replacedAt: null }, orderBy: { startDate: "asc" } }),
    ctx.prisma.schoolClosure.findMany({ where: { trustId: { in: trustIds }, withdrawnAt: null }, orderBy: [{ startDate: "asc" }, { id: "asc" }] }),
    ctx.prisma.academy.findMany({ where: { trustId: { in: trustIds } }, select: { id: true, trustId: true } }),
  ]);

  // Each academy's calendar: its own half terms for a year it has any, else its trust's (calendar.ts, effectiveCalendar).
  const calendars = new Map<string, EffectiveCalendar>();
  for (const a of trustAcademies) {
    const layer = (academyId: string | null) => ({
      terms: terms.filter((t) => t.trustId === a.trustId && t.academyId === academyId).map(termOf),
      closures: closures.filter((c) => c.trustId === a.trustId && c.academyId === academyId).map(closureOf),
    });
    calendars.set(a.id, effectiveCalendar(layer(null), layer(a.id)));
  }

  const by = <T extends { pupil_id: string }>(rows: readonly T[]) => {
    const out = new Map<string, T[]>();
    for (const r of rows) out.set(r.pupil_id, [...(out.get(r.pupil_id) ?? []), r]);
    return out;
  };
  const marksOf = by(marks);
  const checkpointsOf = by(checkpoints);
  const periodOf = new Map(periods.map((p) => [p.pupil_id, p]));

  const out = new Map<string, Omit<AcademyHistory, "policyOn"> & { raw: Map<string, MarkRow[]> }>();
  for (const a of academies) {
    out.set(a.id, { from, to, halfTerms: calendars.get(a.id)?.terms ?? [], pupils: [], raw: marksOf });
  }
  for (const p of pupils) {
    const history = out.get(p.academyId)!;
    const spells = p.enrolments.filter((e) => calendars.has(e.academyId));
    const pupilCalendars: PupilCalendars = spells.length === 0
      ? [calendars.get(p.academyId)!]
      : spells.map((e) => ({ calendar: calendars.get(e.academyId)!, from: isoDateOf(e.onRollFrom), ...(e.onRollTo ? { to: isoDateOf(e.onRollTo) } : {}) }));
    (history.pupils as PupilHistory[]).push({
      pupilId: p.id,
      formId: p.formId,
      // Arrivals are filled in by simulate(), which knows the times in force.
      marks: [],
      checkpoints: (checkpointsOf.get(p.id) ?? []).map((c): Checkpoint => ({ date: isoDateOf(c.date), possible: c.possible, attending: c.attending })),
      period: { possible: periodOf.get(p.id)?.possible ?? 0, attending: periodOf.get(p.id)?.attending ?? 0 },
      calendars: pupilCalendars,
    });
  }
  return out;
}

/** Runs the draft over each academy: history read once for all, the policy in force per academy and day from the request's policy loader. */
async function simulate(ctx: GraphQLContext, academies: readonly { id: string; trustId: string }[], draft: PolicySettings, from: IsoDate, to: IsoDate): Promise<SimulationShape[]> {
  const loaded = await readOnly(ctx, async () => {
    const found = await histories(ctx, academies, from, to);
    // The policy in force on every day of the period, for every academy (the
    // loader reads each academy's layers once: two statements for all).
    const days: IsoDate[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
    const policies = new Map<string, PolicyOnDate>();
    await Promise.all(academies.flatMap((a) => days.map(async (d) => {
      const p = await ctx.loaders.policy.load({ academyId: a.id, date: d });
      policies.set(`${a.id}/${d}`, { view: p.view, plugins: p.plugins });
    })));
    return { found, policies };
  });
  return academies.map((a) => {
    const history = loaded.found.get(a.id)! as Omit<AcademyHistory, "policyOn"> & { raw: Map<string, MarkRow[]> };
    const policyOn = (date: IsoDate): PolicyOnDate => loaded.policies.get(`${a.id}/${date < from ? from : date > to ? to : date}`)!;
    const pupils = history.pupils.map((p): PupilHistory => ({
      ...p,
      marks: (history.raw.get(p.pupilId) ?? []).map((m): HistoryMark => {
        const date = isoDateOf(m.date);
        let arrival = m.arrival;
        // A late mark that kept only its minutes late: minutes after the session started by the times in force that day (register.ts).
        if (arrival === null && m.minutes_late !== null && m.here) {
          const times = policyOn(date).view.get(`registerTimes.${m.session}`) as SessionTimes | undefined;
          if (times) arrival = arrivalFromMinutesLate(times, m.minutes_late);
        }
        return { date, session: m.session, code: m.code, category: m.category, arrival, here: m.here, academyUrn: m.urn };
      }),
    }));
    const result = simulateAcademy({ from, to, halfTerms: history.halfTerms, pupils, policyOn }, draft);
    return { ...result, academyId: a.id, from, to, changes: draft };
  });
}

// ─── Types ────────────────────────────────────────────────────────────────────

const LadderStepRef = builder.objectRef<DueAction>("SimulatedLadderStep");
LadderStepRef.implement({
  description: "A ladder step the pupil would reach in the period, as the case action it raises (once per trigger key, on the first day reached).",
  authScopes: { authenticated: true },
  fields: (t) => ({
    source: t.field({ type: CaseActionSourceEnum, description: "The ladder: lateness or absence.", resolve: (s) => s.source }),
    kind: t.field({ type: CaseActionKindEnum, description: "What kind of work it is, read from the policy's words.", resolve: (s) => s.kind }),
    action: t.exposeString("action", { description: "The action, in the policy's words." }),
    triggerKey: t.exposeString("triggerKey", { description: "The step and its period, as a case action records it (e.g. lateness:WEEK:3:2025-09-08)." }),
    raisedOn: t.field({ type: "Date", description: "The first day of the period it is reached.", resolve: (s) => dateOfIso(s.raisedOn) }),
    reason: t.exposeString("reason", { description: "Why, in words." }),
  }),
});

const OutcomeRef = builder.objectRef<Outcome>("SimulatedOutcome");
OutcomeRef.implement({
  description: "What a policy makes of a pupil's recorded period.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    lates: t.exposeInt("lates", { description: "L marks: arrived late, before the register closed (SI 2024/208, reg. 10(2), table 1)." }),
    afterClose: t.exposeInt("afterClose", { description: "U marks: arrived after the register closed (unauthorised absence)." }),
    attendanceRate: t.float({ nullable: true, description: "Attendance over the period (0–1; null: no possible sessions).", resolve: (o) => o.attendanceRate }),
    ladderSteps: t.field({ type: [LadderStepRef], description: "Ladder steps reached on a day of the period.", resolve: (o) => o.ladderSteps }),
    penaltyCandidate: t.exposeBoolean("penaltyCandidate", { description: "Whether a penalty notice must be considered on the period's last day (the threshold, or a local authority's trigger)." }),
    penaltyReason: t.string({ description: "The threshold's window and count, in words.", resolve: (o) => o.penaltyThreshold.reason }),
    rewarded: t.exposeBoolean("rewarded", { description: "Whether the pupil is rewarded individually for the period." }),
    rewardReason: t.exposeString("rewardReason", { description: "Why or why not." }),
  }),
});

const ReclassifiedRef = builder.objectRef<{ date: IsoDate; session: "AM" | "PM"; from: string; to: string }>("ReclassifiedMark");
ReclassifiedRef.implement({
  description: "A recorded mark whose arrival time the draft's register times classify differently.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    date: t.field({ type: "Date", description: "The date.", resolve: (m) => dateOfIso(m.date) }),
    session: t.exposeString("session", { description: "AM or PM." }),
    from: t.exposeString("from", { description: "The code recorded." }),
    to: t.exposeString("to", { description: "The code under the draft." }),
  }),
});

type PupilRow = AcademySimulation["pupils"][number] & { academyId: string };

const PupilSimulationRef = builder.objectRef<PupilRow>("PupilSimulation");
PupilSimulationRef.implement({
  description: "One pupil's period under the policy in force and under the draft.",
  authScopes: (r) => ({ academyAny: { academyId: r.academyId, capabilities: MAY_SIMULATE } }),
  fields: (t) => ({
    pupil: t.prismaField({
      type: "Pupil",
      description: "The pupil.",
      resolve: (query, r, _args, ctx) => ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: r.pupilId } }),
    }),
    changed: t.exposeBoolean("changed", { description: "Whether the draft changes anything for this pupil." }),
    current: t.field({ type: OutcomeRef, description: "Under the policy in force (the recorded outcome).", resolve: (r) => r.current }),
    draft: t.field({ type: OutcomeRef, description: "Under the draft.", resolve: (r) => r.draft }),
    reclassifiedMarks: t.field({ type: [ReclassifiedRef], description: "Marks in the period the draft's times classify differently.", resolve: (r) => r.reclassified }),
  }),
});

const TotalsRef = builder.objectRef<Totals & { academyIds: string[] }>("SimulationTotals");
TotalsRef.implement({
  description: "Totals over the pupils of a simulation.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    lates: t.exposeInt("lates", { description: "L marks in the period." }),
    afterClose: t.exposeInt("afterClose", { description: "U marks in the period." }),
    ladderSteps: t.exposeInt("ladderSteps", { description: "Ladder steps reached (case actions raised)." }),
    latenessSteps: t.exposeInt("latenessSteps", { description: "Of which, on the lateness ladder." }),
    absenceSteps: t.exposeInt("absenceSteps", { description: "Of which, on the absence ladder." }),
    penaltyCandidates: t.exposeInt("penaltyCandidates", { description: "Pupils for whom a penalty notice must be considered on the last day." }),
    rewarded: t.exposeInt("rewarded", { description: "Pupils rewarded individually." }),
    bestForms: t.prismaField({
      type: ["Form"],
      description: "Where rewards are for groups only: the form or forms with the best attendance in the period.",
      resolve: (query, r, _args, ctx) => {
        const selection = { ...query };
        // No statement where no form is named (rewards for individuals): totals stay flat in statements.
        return r.bestForms.length === 0 ? [] : ctx.prisma.form.findMany({ ...selection, where: { id: { in: r.bestForms } }, orderBy: { name: "asc" } });
      },
    }),
  }),
});

const PolicySimulationRef = builder.objectRef<SimulationShape>("PolicySimulation");
PolicySimulationRef.implement({
  description: "A draft of policy settings applied to an academy's recorded period, beside the policy in force. Nothing is written.",
  authScopes: (s) => ({ academyAny: { academyId: s.academyId, capabilities: MAY_SIMULATE } }),
  fields: (t) => ({
    academy: t.prismaField({ type: "Academy", description: "The academy.", resolve: (query, s, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: s.academyId } }) }),
    from: t.field({ type: "Date", description: "The period's first day.", resolve: (s) => dateOfIso(s.from) }),
    to: t.field({ type: "Date", description: "The period's last day.", resolve: (s) => dateOfIso(s.to) }),
    changes: t.field({ type: "JSON", description: "The draft, as validated.", resolve: (s) => s.changes }),
    current: t.field({ type: TotalsRef, description: "Totals under the policy in force: the recorded outcomes.", resolve: (s) => ({ ...s.current, academyIds: [s.academyId] }) }),
    draft: t.field({ type: TotalsRef, description: "Totals under the draft.", resolve: (s) => ({ ...s.draft, academyIds: [s.academyId] }) }),
    pupils: t.connection({
      type: PupilSimulationRef,
      description: "Each pupil on roll in the period, by surname (or only those the draft changes).",
      args: { changedOnly: t.arg.boolean({ required: false, description: "Only pupils for whom the draft changes something (default false)." }) },
      resolve: (s, args) => {
        const rows = s.pupils.filter((p) => !args.changedOnly || p.changed).map((p) => ({ ...p, academyId: s.academyId }));
        return { ...resolveArrayConnection({ args, defaultSize: 20, maxSize: 500 }, rows), totalCount: rows.length };
      },
    }, { fields: (c) => ({ totalCount: c.int({ description: "Pupils in the list.", resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }) }) }),
  }),
});

const sum = (list: readonly Totals[]): Totals & { academyIds: string[] } => ({
  lates: list.reduce((s, x) => s + x.lates, 0),
  afterClose: list.reduce((s, x) => s + x.afterClose, 0),
  ladderSteps: list.reduce((s, x) => s + x.ladderSteps, 0),
  latenessSteps: list.reduce((s, x) => s + x.latenessSteps, 0),
  absenceSteps: list.reduce((s, x) => s + x.absenceSteps, 0),
  penaltyCandidates: list.reduce((s, x) => s + x.penaltyCandidates, 0),
  rewarded: list.reduce((s, x) => s + x.rewarded, 0),
  bestForms: list.flatMap((x) => x.bestForms),
  academyIds: [],
});

const TrustSimulationRef = builder.objectRef<TrustSimulationShape>("TrustPolicySimulation");
TrustSimulationRef.implement({
  description: "The same draft over several academies of a trust, each under its own policy. Nothing is written.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    from: t.field({ type: "Date", description: "The period's first day.", resolve: (s) => dateOfIso(s.from) }),
    to: t.field({ type: "Date", description: "The period's last day.", resolve: (s) => dateOfIso(s.to) }),
    academies: t.field({ type: [PolicySimulationRef], description: "Each academy's simulation, by URN as asked.", resolve: (s) => s.academies }),
    current: t.field({ type: TotalsRef, description: "Totals over the academies under the policies in force (each form reward is its academy's).", resolve: (s) => sum(s.academies.map((a) => a.current)) }),
    draft: t.field({ type: TotalsRef, description: "Totals over the academies under the draft.", resolve: (s) => sum(s.academies.map((a) => a.draft)) }),
  }),
});

const simulationArgs = (t: Parameters<Parameters<typeof builder.queryFields>[0]>[0]) => ({
  changes: t.arg({
    type: "JSON",
    required: true,
    description: `The draft: settings by key, checked like saved settings, e.g. {"registerTimes.AM": {"starts": "08:45", "lateAfter": "09:00", "closes": "09:15"}}. {} simulates the policy in force.`,
  }),
  from: t.arg({ type: "Date", required: true, description: "The period's first day." }),
  to: t.arg({ type: "Date", required: true, description: "The period's last day (within the same school year)." }),
});

builder.queryFields((t) => ({
  simulatePolicy: t.field({
    type: PolicySimulationRef,
    description:
      "Policy what-if: applies a draft of setting changes (register times, lateness and absence ladders, rewards, penalty-notice thresholds) to the academy's recorded period and answers, beside the policy in force, the lates and U marks, ladder steps, penalty-notice candidates and rewards that would have resulted, per pupil and in total. Arrivals recorded with a time are classified again by the draft's times; other marks keep their code. Nothing is written. A bad change is BAD_USER_INPUT naming the setting; the period is at most one school year. Headteachers, academy admins, attendance officers and the trust's attendance leads and admins.",
    args: { academyUrn: t.arg.int({ required: true, description: "The academy's URN." }), ...simulationArgs(t) },
    resolve: async (_root, args, ctx) => {
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: args.academyUrn }, select: { id: true, trustId: true } });
      if (!academy || !maySimulate(ctx, academy.id)) throw forbidden("You may not simulate this academy's policy: it needs a role that works its cases or administers it.", { capabilities: [...MAY_SIMULATE] });
      const { from, to } = simulationPeriod(args.from, args.to);
      const draft = draftOf(args.changes);
      const [result] = await simulate(ctx, [academy], draft, from, to);
      return result!;
    },
  }),

  simulateTrustPolicy: t.field({
    type: TrustSimulationRef,
    description: `simulatePolicy over several academies of your trust at once, each under its own policy (default: every academy you may simulate; at most ${MAX_SIMULATED_ACADEMIES}). Every academy named must be one you may simulate. Nothing is written.`,
    args: {
      academyUrns: t.arg.intList({ required: false, description: `The academies' URNs (default: every academy of your trust you may simulate; at most ${MAX_SIMULATED_ACADEMIES}).` }),
      ...simulationArgs(t),
    },
    resolve: async (_root, args, ctx) => {
      if (args.academyUrns && (args.academyUrns.length === 0 || args.academyUrns.length > MAX_SIMULATED_ACADEMIES)) {
        throw badInput(`Give 1 to ${MAX_SIMULATED_ACADEMIES} academies.`, [{ field: "academyUrns", message: `1 to ${MAX_SIMULATED_ACADEMIES} URNs.` }]);
      }
      const allowed = [...new Set(MAY_SIMULATE.flatMap((c) => academiesWhere(ctx.actor, c)))];
      const academies = args.academyUrns
        ? await ctx.prisma.academy.findMany({ where: { urn: { in: [...new Set(args.academyUrns)] } }, select: { id: true, urn: true, trustId: true } })
        : await ctx.prisma.academy.findMany({ where: { id: { in: allowed }, trustId: ctx.actor?.trustId ?? "" }, select: { id: true, urn: true, trustId: true }, orderBy: { urn: "asc" }, take: MAX_SIMULATED_ACADEMIES + 1 });
      if (args.academyUrns && (academies.length !== new Set(args.academyUrns).size || academies.some((a) => !maySimulate(ctx, a.id)))) {
        throw forbidden("You may not simulate the policy of every academy named: each needs a role that works its cases or administers it.", { capabilities: [...MAY_SIMULATE] });
      }
      if (academies.length === 0) throw forbidden("You may not simulate any academy's policy.", { capabilities: [...MAY_SIMULATE] });
      if (academies.length > MAX_SIMULATED_ACADEMIES) throw badInput(`More than ${MAX_SIMULATED_ACADEMIES} academies: name them with academyUrns.`);
      const { from, to } = simulationPeriod(args.from, args.to);
      const draft = draftOf(args.changes);
      const order = args.academyUrns ?? academies.map((a) => a.urn);
      const sorted = [...new Set(order)].map((urn) => academies.find((a) => a.urn === urn)!);
      return { academies: await simulate(ctx, sorted, draft, from, to), from, to };
    },
  }),
}));
