// Penalty notices: candidates for referral under the national framework from
// August 2024 (10 unauthorised sessions in a rolling 10 school weeks, across
// terms and years, as each local authority's code restates it) plus each
// local authority's extra triggers (plugin hooks), with the sessions as
// evidence, per child and per parent; and the notices issued, so that a third
// within three years is never offered (packages/core/src/workflows).
import {
  addDays,
  dateOfIso,
  can,
  isoDateOf,
  nextNotice,
  penaltyNoticeThreshold,
  type PupilCalendars,
  runHook,
  type EarlierNotice,
  type IsoDate,
  type LabelledDecision,
  type NoticeOffer,
  type ThresholdResult,
  type UnauthorisedSession,
  type CitingNotice,
  type UsedSession,
  offerOnFreshEvidence,
  partitionUsedSessions,
} from "@attendance/core";
import type { Carer, Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, forbidden } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";
import { academyCalendar } from "../workflows/calendar.ts";
import { SessionEnum } from "./enums.ts";
import { DecisionRef } from "./leave.ts";

/** Far enough back for any window of school weeks (52 is the setting's most). */
const LOOKBACK_DAYS = 400;

interface ParentOffer {
  carer: Carer;
  offer: NoticeOffer;
  /** The threshold on the sessions no standing notice to this parent cites: what a notice to them may rest on. */
  threshold: ThresholdResult;
  triggers: LabelledDecision[];
  /** The sessions already cited by a standing notice to this parent for this child. */
  used: UsedSession[];
}

interface Candidate {
  academyId: string;
  pupilId: string;
  threshold: ThresholdResult;
  triggers: LabelledDecision[];
  improvementPeriodSchoolWeeks: number | null;
  parents: ParentOffer[];
  /** Sessions of the evidence already cited by a standing notice to one of the parents. */
  used: UsedSession[];
}

/** The academy's candidates on `asOf`, or one pupil's assessment (candidate or not). */
async function assess(ctx: GraphQLContext, academyId: string, asOf: IsoDate, onlyPupilId?: string): Promise<Candidate[]> {
  const policy = await ctx.loaders.policy.load({ academyId, date: asOf });
  const get = policy.view.get;
  const rule = {
    thresholdSessions: get("penaltyNotice.thresholdSessions") ?? 10,
    windowSchoolWeeks: get("penaltyNotice.windowSchoolWeeks") ?? 10,
    countsLateness: get("penaltyNotice.countsLateness") ?? true,
  };
  const since = dateOfIso(addDays(asOf, -LOOKBACK_DAYS));
  const [calendar, marks] = await Promise.all([
    academyCalendar(ctx.prisma, academyId),
    // The pupils on this academy's record, with their sessions at every
    // academy of the trust they were on roll at: the national framework for
    // penalty notices counts unauthorised sessions in the window "within one
    // or more schools" (DfE, "Working together to improve school attendance",
    // August 2024, national framework for penalty notices). A pupil who moved
    // away is the receiving academy's to assess, on both rolls, not this one's.
    ctx.prisma.currentMark.findMany({
      where: { pupil: { academyId }, ...(onlyPupilId ? { pupilId: onlyPupilId } : {}), code: { in: ["G", "N", "O", "U"] }, date: { gte: since, lte: dateOfIso(asOf) } },
      select: { pupilId: true, date: true, session: true, code: true, academy: { select: { urn: true } } },
      orderBy: [{ date: "asc" }, { session: "asc" }],
    }),
  ]);
  const byPupil = new Map<string, UnauthorisedSession[]>();
  for (const m of marks) byPupil.set(m.pupilId, [...(byPupil.get(m.pupilId) ?? []), { date: isoDateOf(m.date), session: m.session, code: m.code, academyUrn: m.academy.urn }]);
  if (onlyPupilId && !byPupil.has(onlyPupilId)) byPupil.set(onlyPupilId, []);

  // A school week counts only while the pupil was on the academy's roll (the
  // national framework's "school week"; school-weeks.ts): a window must not
  // reach back into weeks before their admission.
  // Each spell on roll, at this or another academy of the trust, brings that
  // academy's calendar for its own dates (school-weeks.ts: a school week is
  // one with a session at the school the pupil was on roll at then).
  const enrolments = await ctx.prisma.enrolment.findMany({
    where: { pupilId: { in: [...byPupil.keys()] } },
    select: { pupilId: true, academyId: true, onRollFrom: true, onRollTo: true },
  });
  const calendars = new Map([[academyId, calendar]]);
  for (const other of new Set(enrolments.map((e) => e.academyId))) {
    if (!calendars.has(other)) calendars.set(other, await academyCalendar(ctx.prisma, other));
  }
  const calendarsOf = (pupilId: string): PupilCalendars => {
    const spells = enrolments.filter((e) => e.pupilId === pupilId);
    if (spells.length === 0) return [calendar];
    return spells.map((e) => ({ calendar: calendars.get(e.academyId)!, from: isoDateOf(e.onRollFrom), ...(e.onRollTo ? { to: isoDateOf(e.onRollTo) } : {}) }));
  };

  const found: Omit<Candidate, "parents" | "used">[] = [];
  const sessionsOf = new Map<string, UnauthorisedSession[]>();
  for (const [pupilId, sessions] of byPupil) {
    sessionsOf.set(pupilId, sessions);
    const threshold = penaltyNoticeThreshold(calendarsOf(pupilId), sessions, rule, asOf);
    const triggers = runHook(policy.plugins, "penaltyNoticeTriggers", policy.view, { unauthorised: sessions });
    if (!onlyPupilId && !threshold.reached && triggers.length === 0) continue;
    found.push({ academyId, pupilId, threshold, triggers, improvementPeriodSchoolWeeks: get("penaltyNotice.improvementPeriodSchoolWeeks") ?? null });
  }
  const pupilIds = found.map((c) => c.pupilId);
  const [carers, notices] = await Promise.all([
    ctx.prisma.carer.findMany({ where: { pupilId: { in: pupilIds }, parentalResponsibility: true }, orderBy: [{ contactOrder: "asc" }, { id: "asc" }] }),
    ctx.prisma.penaltyNotice.findMany({ where: { pupilId: { in: pupilIds } }, select: { id: true, pupilId: true, carerId: true, issuedOn: true, status: true, citedSessions: true } }),
  ]);
  const amounts = {
    firstAmountWithin21Days: get("penaltyNotice.firstAmountWithin21Days") ?? 80,
    firstAmountWithin28Days: get("penaltyNotice.firstAmountWithin28Days") ?? 160,
    secondAmount: get("penaltyNotice.secondAmount") ?? 160,
    maxInThreeYears: get("penaltyNotice.maxInThreeYears") ?? 2,
  };
  return found.map((c) => {
    const sessions = sessionsOf.get(c.pupilId) ?? [];
    const parents = carers
      .filter((carer) => carer.pupilId === c.pupilId)
      .map((carer): ParentOffer => {
        const theirs = notices.filter((n) => n.carerId === carer.id && n.pupilId === c.pupilId);
        const earlier: EarlierNotice[] = theirs.map((n) => ({ issuedOn: isoDateOf(n.issuedOn), status: n.status }));
        // Evidence is used once (issue 14, item 4): sessions a standing notice to this parent cites are set aside.
        const citing: CitingNotice[] = theirs.map((n) => ({ id: n.id, issuedOn: isoDateOf(n.issuedOn), status: n.status, sessions: citedSessionsOf(n.citedSessions) }));
        const { fresh, used } = partitionUsedSessions(sessions, citing);
        if (used.length === 0) return { carer, offer: nextNotice(earlier, amounts, asOf), threshold: c.threshold, triggers: c.triggers, used };
        const threshold = penaltyNoticeThreshold(calendarsOf(c.pupilId), fresh, rule, asOf);
        const triggers = runHook(policy.plugins, "penaltyNoticeTriggers", policy.view, { unauthorised: fresh });
        return { carer, offer: offerOnFreshEvidence(nextNotice(earlier, amounts, asOf), threshold, triggers.length, used), threshold, triggers, used };
      });
    const seen = new Set<string>();
    const used = parents.flatMap((p) => p.used).filter((u) => !seen.has(`${u.date}/${u.session}/${u.noticeId}`) && seen.add(`${u.date}/${u.session}/${u.noticeId}`))
      .sort((a, b) => a.date.localeCompare(b.date) || a.session.localeCompare(b.session) || a.noticeIssuedOn.localeCompare(b.noticeIssuedOn));
    return { ...c, parents, used };
  });
}

/** The sessions a stored notice cites (the column holds [{date, session, code}]). */
function citedSessionsOf(json: unknown): UnauthorisedSession[] {
  if (!Array.isArray(json)) return [];
  return json.filter((s): s is UnauthorisedSession =>
    typeof s === "object" && s !== null && typeof (s as UnauthorisedSession).date === "string" && ((s as UnauthorisedSession).session === "AM" || (s as UnauthorisedSession).session === "PM"));
}

const SessionRef = builder.objectRef<UnauthorisedSession>("UnauthorisedSession");
SessionRef.implement({
  description: "A session of unauthorised absence: evidence for a penalty notice.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    date: t.field({ type: "Date", description: "The date.", resolve: (s) => dateOfIso(s.date) }),
    session: t.field({ type: SessionEnum, description: "The session.", resolve: (s) => s.session }),
    code: t.exposeString("code", { description: "G, N, O or U." }),
    academyUrn: t.int({
      nullable: true,
      description: "The URN of the academy whose register holds it: a pupil who moved within the trust brings sessions from both (null where not recorded).",
      resolve: (s) => s.academyUrn ?? null,
    }),
  }),
});

const UsedSessionRef = builder.objectRef<UsedSession>("UsedPenaltySession");
UsedSessionRef.implement({
  description: "A session of unauthorised absence already cited by a penalty notice that stands (not withdrawn) to the same parent for the same child: it cannot count towards another notice to that parent.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    date: t.field({ type: "Date", description: "The date.", resolve: (s) => dateOfIso(s.date) }),
    session: t.field({ type: SessionEnum, description: "The session.", resolve: (s) => s.session }),
    code: t.exposeString("code", { description: "G, N, O or U." }),
    penaltyNotice: t.prismaField({
      type: "PenaltyNotice",
      description: "The notice that cites it.",
      resolve: (query, s, _args, ctx) => ctx.prisma.penaltyNotice.findUniqueOrThrow({ ...query, where: { id: s.noticeId } }),
    }),
    reason: t.exposeString("reason", { description: "Why it cannot count again, in words, with the rule." }),
  }),
});

const ThresholdRef = builder.objectRef<ThresholdResult>("PenaltyThreshold");
ThresholdRef.implement({
  description: "The rolling window of school weeks with the most unauthorised sessions, and whether it reaches the threshold.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    reached: t.exposeBoolean("reached", { description: "Whether the sessions reach the threshold in the window." }),
    from: t.field({ type: "Date", nullable: true, description: "The window's first day.", resolve: (r) => (r.window ? dateOfIso(r.window.from) : null) }),
    to: t.field({ type: "Date", nullable: true, description: "The window's last day.", resolve: (r) => (r.window ? dateOfIso(r.window.to) : null) }),
    schoolWeeks: t.int({ nullable: true, description: "School weeks in the window (holiday weeks are skipped).", resolve: (r) => r.window?.schoolWeeks ?? null }),
    sessions: t.field({ type: [SessionRef], description: "The sessions counted: the evidence.", resolve: (r) => r.sessions }),
    reason: t.exposeString("reason", { description: "In words." }),
  }),
});

const OfferRef = builder.objectRef<ParentOffer>("PenaltyNoticeOffer");
OfferRef.implement({
  description: "Whether a notice may go to one parent for this child, and which.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    carer: t.prismaField({ type: "Carer", description: "The parent.", resolve: (query, o, _args, ctx) => ctx.prisma.carer.findUniqueOrThrow({ ...query, where: { id: o.carer.id } }) }),
    offered: t.boolean({ description: "False for a third notice within three years: refer for prosecution instead.", resolve: (o) => o.offer.offered }),
    nth: t.int({ description: "1 for a first notice, 2 for a second.", resolve: (o) => o.offer.nth }),
    amountWithin21Days: t.int({ nullable: true, description: "£ if paid within 21 days.", resolve: (o) => o.offer.amountWithin21Days }),
    amountWithin28Days: t.int({ nullable: true, description: "£ if paid within 28 days.", resolve: (o) => o.offer.amountWithin28Days }),
    reason: t.string({ description: "In words.", resolve: (o) => o.offer.reason }),
    threshold: t.field({
      type: ThresholdRef,
      description: "The threshold on the sessions a notice to this parent may rest on: those no standing notice to them cites.",
      resolve: (o) => o.threshold,
    }),
    usedSessions: t.field({
      type: [UsedSessionRef],
      description: "Sessions already cited by a standing notice to this parent for this child, and by which.",
      resolve: (o) => o.used,
    }),
  }),
});

const CandidateRef = builder.objectRef<Candidate>("PenaltyNoticeCandidate");
CandidateRef.implement({
  description: "A pupil for whom a penalty notice must be considered, with the evidence, each parent's position, and the local authority's other triggers.",
  authScopes: (c) => ({ academy: { academyId: c.academyId, capability: "workCases" } }),
  fields: (t) => ({
    pupil: t.prismaField({ type: "Pupil", description: "The pupil.", resolve: (query, c, _args, ctx) => ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: c.pupilId } }) }),
    threshold: t.field({ type: ThresholdRef, description: "The national (or local authority's) threshold.", resolve: (c) => c.threshold }),
    triggers: t.field({ type: [DecisionRef], description: "The local authority's other triggers that apply (e.g. Greenwich: absence on a published exam day).", resolve: (c) => c.triggers }),
    improvementPeriodSchoolWeeks: t.exposeInt("improvementPeriodSchoolWeeks", {
      nullable: true,
      description: "The notice to improve's period set by the local authority (null: its code sets none in our records).",
    }),
    parents: t.field({ type: [OfferRef], description: "Each parent with parental responsibility, and the notice that may go to them.", resolve: (c) => c.parents }),
    usedSessions: t.field({
      type: [UsedSessionRef],
      description: "Sessions of unauthorised absence already cited by a standing notice to one of the parents, with the notice and why (a session supports one notice to the same parent).",
      resolve: (c) => c.used,
    }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  penaltyNoticeCandidates: t.field({
    type: [CandidateRef],
    nullable: true,
    description: "Pupils for whom a penalty notice must be considered on a date (default today). Null, with FORBIDDEN, for staff who do not work cases.",
    authScopes: (academy) => ({ academy: { academyId: academy.id, capability: "workCases" } }),
    args: { asOf: t.arg({ type: "Date", required: false, description: "The date (default: today)." }) },
    resolve: (academy, args, ctx) => assess(ctx, academy.id, isoDateOf(args.asOf ?? new Date())),
  }),
}));

const NoticeStatusEnum = builder.enumType("PenaltyNoticeStatus", {
  description: "Where a penalty notice stands. All but WITHDRAWN count towards the limit of two in three years.",
  values: {
    ISSUED: { description: "Issued by the local authority." },
    PAID: { description: "Paid." },
    UNPAID: { description: "Not paid in time." },
    PROSECUTED: { description: "Led to prosecution." },
    WITHDRAWN: { description: "Withdrawn: does not count." },
  },
});

builder.prismaNode("PenaltyNotice", {
  id: { field: "id" },
  description: "A penalty notice issued to one parent for one child.",
  authScopes: (n) => ({ academy: { academyId: n.academyId, capability: "workCases" } }),
  fields: (t) => ({
    pupil: t.relation("pupil", { description: "The child." }),
    carer: t.relation("carer", { description: "The parent." }),
    issuedOn: t.expose("issuedOn", { type: "Date", description: "When it was issued." }),
    amountWithin21Days: t.exposeInt("amountWithin21Days", { description: "£ if paid within 21 days." }),
    amountWithin28Days: t.exposeInt("amountWithin28Days", { description: "£ if paid within 28 days." }),
    status: t.expose("status", { type: NoticeStatusEnum, description: "Where it stands." }),
    evidence: t.expose("evidence", { type: "JSON", description: "The window, sessions and triggers it was issued on." }),
    citedSessions: t.field({
      type: [SessionRef],
      description: "The sessions it rests on: while it is not withdrawn, none counts towards another notice to the same parent for the same child.",
      select: { citedSessions: true },
      resolve: (n) => citedSessionsOf(n.citedSessions),
    }),
  }),
});

builder.prismaObjectFields("Pupil", (t) => ({
  penaltyNotices: t.relation("penaltyNotices", {
    description: "Penalty notices issued for the pupil, newest first. Null, with FORBIDDEN, for staff who do not work cases.",
    nullable: true,
    authScopes: (pupil) => ({ academy: { academyId: pupil.academyId, capability: "workCases" } }),
    query: { orderBy: [{ issuedOn: "desc" }, { id: "asc" }] },
  }),
}));

builder.mutationFields((t) => ({
  recordPenaltyNotice: t.prismaField({
    type: "PenaltyNotice",
    description:
      "Records a notice the local authority issued to one parent for one child, with the evidence. Refused (BAD_USER_INPUT, nothing saved) unless the pupil is a candidate on that date and the notice is one the framework allows (never a third within three years), resting on sessions no standing notice to the same parent for the same child cites (a withdrawn one cites none). The sessions it rests on are stored as citedSessions. Staff who work cases only.",
    args: {
      input: t.arg({
        type: builder.inputType("RecordPenaltyNoticeInput", {
          description: "The notice.",
          fields: (f) => ({
            pupilId: f.globalID({ required: true, description: "The child." }),
            carerId: f.globalID({ required: true, description: "The parent." }),
            issuedOn: f.field({ type: "Date", required: true, description: "When it was issued." }),
          }),
        }),
        required: true,
        description: "The notice.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const pupil = input.pupilId.typename === "Pupil" ? await ctx.prisma.pupil.findUnique({ where: { id: input.pupilId.id }, select: { id: true, academyId: true } }) : null;
      if (!pupil || !can(ctx.actor, "workCases", pupil.academyId)) throw forbidden("You may not record notices for this pupil.", { capabilities: ["workCases"] });
      const issuedOn = isoDateOf(input.issuedOn);
      // One recording at a time per pupil, so two at once cannot both cite the same sessions.
      await ctx.prisma.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`penalty_notice:${pupil.id}`}, 0))::text`;
      const [candidate] = await assess(ctx, pupil.academyId, issuedOn, pupil.id);
      const parent = candidate?.parents.find((p) => input.carerId.typename === "Carer" && p.carer.id === input.carerId.id);
      if (!candidate || (!candidate.threshold.reached && candidate.triggers.length === 0)) {
        throw badInput("The notice was not recorded.", [{ field: "pupilId", message: `Not a penalty-notice candidate on ${issuedOn}: ${candidate?.threshold.reason ?? ""}` }]);
      }
      if (!parent) throw badInput("The notice was not recorded.", [{ field: "carerId", message: "Not a parent with parental responsibility for this pupil." }]);
      if (!parent.offer.offered) throw badInput("The notice was not recorded.", [{ field: "carerId", message: parent.offer.reason }]);
      // It rests on the window that reached the threshold on this parent's unspent sessions.
      const cited = parent.threshold.sessions.map((s) => ({ date: s.date, session: s.session, code: s.code, ...(s.academyUrn === undefined ? {} : { academyUrn: s.academyUrn }) }));
      return ctx.prisma.penaltyNotice.create({
        ...query,
        data: {
          academyId: pupil.academyId, pupilId: pupil.id, carerId: parent.carer.id, issuedOn: input.issuedOn,
          amountWithin21Days: parent.offer.amountWithin21Days!, amountWithin28Days: parent.offer.amountWithin28Days!,
          evidence: { threshold: parent.threshold, triggers: parent.triggers, nth: parent.offer.nth } as unknown as Prisma.InputJsonValue,
          citedSessions: cited,
        },
      });
    },
  }),

  setPenaltyNoticeStatus: t.prismaField({
    type: "PenaltyNotice",
    description: "Records a notice's outcome: paid, unpaid, prosecuted or withdrawn. Staff who work cases only.",
    args: {
      penaltyNoticeId: t.arg.globalID({ required: true, description: "The notice." }),
      status: t.arg({ type: NoticeStatusEnum, required: true, description: "Its status." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const notice = args.penaltyNoticeId.typename === "PenaltyNotice" ? await ctx.prisma.penaltyNotice.findUnique({ where: { id: args.penaltyNoticeId.id } }) : null;
      if (!notice || !can(ctx.actor, "workCases", notice.academyId)) throw forbidden("You may not change this notice.", { capabilities: ["workCases"] });
      return ctx.prisma.penaltyNotice.update({ ...query, where: { id: notice.id }, data: { status: args.status } });
    },
  }),
}));
