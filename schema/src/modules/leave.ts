// Leave of absence: a request on the academy's own form (its fields from the
// policy, validated), pre-assessed by every layer's rules with reasons, decided
// by the headteacher with a reason. A decision amends the sessions already
// marked N inside the request (and later registers are amended as they are
// taken): C when authorised; G or O when refused and the pupil was absent.
// Every step is in the audit log (packages/server/src/plugins/audit.ts).
import {
  dateOfIso,
  attendanceRate,
  percent,
  can,
  daysInPeriod,
  isoDateOf,
  leaveAnswersSchema,
  possibleSessions,
  runHook,
  schoolYearOf,
  type LabelledDecision,
  type LeaveFormField,
} from "@attendance/core";
import type { Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { MAX_PERIOD_DAYS, badInput, conflict, forbidden, requiredText, type InputProblem } from "../errors.ts";
import { academyCalendar } from "../workflows/calendar.ts";
import { enqueueEvent } from "../workflows/events.ts";
import { applyDecidedLeave } from "../workflows/leave-marks.ts";
import { SessionEnum } from "./enums.ts";

const LeaveFieldRef = builder.objectRef<LeaveFormField>("LeaveFormField");
LeaveFieldRef.implement({
  description: "A question on an academy's leave-of-absence form.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    name: t.exposeString("name", { description: "The answer's key in `answers`." }),
    label: t.exposeString("label", { description: "The question as the form asks it." }),
    type: t.exposeString("type", { description: "TEXT, BOOLEAN, DATE (yyyy-mm-dd) or CHOICE." }),
    required: t.exposeBoolean("required", { description: "Whether an answer is needed." }),
    options: t.exposeStringList("options", { nullable: true, description: "The choices, for a CHOICE field." }),
    maxLength: t.exposeInt("maxLength", { description: "The longest answer, for a TEXT field." }),
  }),
});

export const DecisionRef = builder.objectRef<LabelledDecision>("PolicyDecision");
DecisionRef.implement({
  description: "One rule's say on a case, from one plugin of the academy's policy.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    verdict: t.exposeString("verdict", { description: "AGAINST, FOR or NOTE." }),
    rule: t.exposeString("rule", { description: "The rule's stable name, e.g. \"leave.inAdvance\"." }),
    reason: t.exposeString("reason", { description: "Why, for this case." }),
    passage: t.exposeString("passage", { description: "The passage of the policy or the law the rule comes from." }),
    plugin: t.exposeString("plugin", { description: "The plugin whose rule it is." }),
    layer: t.exposeString("layer", { description: "That plugin's layer." }),
  }),
});

interface Assessment {
  outcome: "LIKELY_REFUSED" | "FOR_DECISION";
  sessions: number;
  attendanceRate: number | null;
  earlierRequestsThisYear: number;
  decisions: LabelledDecision[];
}

const AssessmentRef = builder.objectRef<Assessment>("LeaveAssessment");
AssessmentRef.implement({
  description: "The pre-assessment of a leave request by the academy's policy, for the headteacher: the decision stays theirs.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    outcome: t.exposeString("outcome", { description: "LIKELY_REFUSED when any rule speaks against it; otherwise FOR_DECISION." }),
    sessions: t.exposeInt("sessions", { description: "School sessions the leave would miss." }),
    attendanceRate: t.exposeFloat("attendanceRate", { nullable: true, description: "The pupil's attendance this school year up to the request (0–1)." }),
    attendancePercent: t.string({
      nullable: true,
      description: 'attendanceRate as the DfE publishes it: a percentage to one decimal place, fives rounded up, without the % sign ("94.7"); null when attendanceRate is null.',
      resolve: (a) => percent(a.attendanceRate),
    }),
    earlierRequestsThisYear: t.exposeInt("earlierRequestsThisYear", { description: "Earlier requests for the pupil this school year." }),
    decisions: t.field({ type: [DecisionRef], description: "Every rule's say, national first.", resolve: (a) => a.decisions }),
  }),
});

const LeaveStatusEnum = builder.enumType("LeaveStatus", {
  description: "Where a leave request stands.",
  values: {
    REQUESTED: { description: "Awaiting the headteacher's decision." },
    AUTHORISED: { description: "Authorised: its sessions are marked C." },
    REFUSED: { description: "Refused: absence in its sessions is unauthorised (G for a holiday, otherwise O)." },
    WITHDRAWN: { description: "Withdrawn by the parents." },
  },
});

export const LeaveRequestNode = builder.prismaNode("LeaveRequest", {
  id: { field: "id" },
  description: "A leave-of-absence request, its pre-assessment and the headteacher's decision.",
  authScopes: (l) => ({ academy: { academyId: l.academyId, capability: "workCases" } }),
  fields: (t) => ({
    pupil: t.relation("pupil", { description: "The pupil." }),
    from: t.expose("fromDate", { type: "Date", description: "First day of the leave." }),
    fromSession: t.expose("fromSession", { type: SessionEnum, description: "First session (AM: the whole first day)." }),
    to: t.expose("toDate", { type: "Date", description: "Last day of the leave." }),
    toSession: t.expose("toSession", { type: SessionEnum, description: "Last session (PM: the whole last day)." }),
    answers: t.expose("answers", { type: "JSON", description: "The answers to the academy's form." }),
    requestedOn: t.expose("requestedOn", { type: "Date", description: "When the parents asked." }),
    assessment: t.field({ type: AssessmentRef, description: "The pre-assessment made when the request was recorded.", resolve: (l) => l.assessment as unknown as Assessment }),
    status: t.expose("status", { type: LeaveStatusEnum, description: "Where it stands." }),
    decidedAt: t.expose("decidedAt", { type: "DateTime", nullable: true, description: "When it was decided." }),
    decisionReason: t.exposeString("decisionReason", { nullable: true, description: "The headteacher's reason." }),
    decidedBy: t.string({
      nullable: true,
      description: "Who decided.",
      select: { decidedBy: { select: { displayName: true } } },
      resolve: (l) => l.decidedBy?.displayName ?? null,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was recorded." }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  leaveForm: t.field({
    type: [LeaveFieldRef],
    description: "The academy's leave-of-absence form on a date (default today): what `requestLeave` asks.",
    args: { date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }) },
    resolve: async (academy, args, ctx) =>
      (await ctx.loaders.policy.load({ academyId: academy.id, date: isoDateOf(args.date ?? new Date()) })).view.get("leave.form") ?? [],
  }),
  leaveRequests: t.relatedConnection("leaveRequests", {
    description: "Leave requests, soonest first, optionally by status. Staff who work cases only: null, with FORBIDDEN, for others.",
    nullable: true,
    authScopes: (academy) => ({ academy: { academyId: academy.id, capability: "workCases" } }),
    cursor: "id",
    totalCount: true,
    args: { status: t.arg({ type: LeaveStatusEnum, required: false, description: "Only requests with this status." }) },
    query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: [{ fromDate: "asc" }, { id: "asc" }] }),
  }),
}));

const RequestLeaveInput = builder.inputType("RequestLeaveInput", {
  description: "A parent's request, as the academy's form records it.",
  fields: (f) => ({
    pupilId: f.globalID({ required: true, description: "The pupil." }),
    from: f.field({ type: "Date", required: true, description: "First day." }),
    fromSession: f.field({ type: SessionEnum, required: false, defaultValue: "AM", description: "First session (default AM)." }),
    to: f.field({ type: "Date", required: true, description: "Last day." }),
    toSession: f.field({ type: SessionEnum, required: false, defaultValue: "PM", description: "Last session (default PM)." }),
    answers: f.field({ type: "JSON", required: true, description: "Answers to the academy's form (`Academy.leaveForm`), by field name." }),
    requestedOn: f.field({ type: "Date", required: false, description: "When the parents asked (default today)." }),
  }),
});

const DecideLeaveInput = builder.inputType("DecideLeaveInput", {
  description: "The headteacher's decision.",
  fields: (f) => ({
    leaveRequestId: f.globalID({ required: true, description: "The request." }),
    decision: f.field({
      type: builder.enumType("LeaveDecision", {
        description: "Authorise or refuse.",
        values: { AUTHORISED: { description: "Authorise the leave." }, REFUSED: { description: "Refuse it." } },
      }),
      required: true,
      description: "The decision.",
    }),
    reason: f.string({ required: true, description: "Why (1 to 1000 characters), kept with the decision and the amended marks." }),
  }),
});

builder.mutationFields((t) => ({
  requestLeave: t.prismaField({
    type: "LeaveRequest",
    description:
      "Records a leave request on the academy's form, checked against the form's fields (BAD_USER_INPUT with every problem; nothing saved), and pre-assesses it by every layer's rules. Staff who work cases only.",
    args: { input: t.arg({ type: RequestLeaveInput, required: true, description: "The request." }) },
    resolve: async (query, _root, { input }, ctx) => {
      const pupil = input.pupilId.typename === "Pupil"
        ? await ctx.prisma.pupil.findUnique({ where: { id: input.pupilId.id }, select: { id: true, academyId: true } })
        : null;
      if (!pupil || !can(ctx.actor, "workCases", pupil.academyId)) throw forbidden("You may not record leave for this pupil.", { capabilities: ["workCases"] });
      const from = isoDateOf(input.from);
      const to = isoDateOf(input.to);
      const requestedOn = isoDateOf(input.requestedOn ?? new Date());
      const fromSession = input.fromSession ?? "AM";
      const toSession = input.toSession ?? "PM";
      const problems: InputProblem[] = [];
      if (to < from || (to === from && fromSession === "PM" && toSession === "AM")) problems.push({ field: "to", message: "The leave must end on or after it starts." });
      else if (daysInPeriod(from, to) > MAX_PERIOD_DAYS.leave) problems.push({ field: "to", message: `Leave is asked for at most ${MAX_PERIOD_DAYS.leave} days at a time.` });
      const policy = await ctx.loaders.policy.load({ academyId: pupil.academyId, date: requestedOn });
      const form = policy.view.get("leave.form") ?? [];
      const parsed = leaveAnswersSchema(form).safeParse(input.answers);
      if (!parsed.success) problems.push(...parsed.error.issues.map((i) => ({ field: ["answers", ...i.path.map(String)].join("."), message: i.message })));
      if (problems.length > 0) throw badInput("The request was not recorded.", problems);

      const year = schoolYearOf(from);
      const [calendar, earlier, figures] = await Promise.all([
        academyCalendar(ctx.prisma, pupil.academyId),
        ctx.prisma.leaveRequest.count({
          where: { pupilId: pupil.id, fromDate: { gte: dateOfIso(year.start), lte: dateOfIso(year.end) }, status: { not: "WITHDRAWN" } },
        }),
        ctx.loaders.statistics.load({ kind: "PUPIL", id: pupil.id, from: year.start, to: requestedOn < from ? requestedOn : from, cohort: {}, by: "TOTAL" }),
      ]);
      const sessions = possibleSessions(calendar, from, to).filter(
        (s) => !(s.date === from && fromSession === "PM" && s.session === "AM") && !(s.date === to && toSession === "AM" && s.session === "PM"),
      ).length;
      const rate = figures[0] ? attendanceRate(figures[0]) : null;
      const answers = parsed.data as Record<string, string | boolean | undefined>;
      const decisions = runHook(policy.plugins, "preAssessLeave", policy.view, {
        requestedOn, from, to, sessions, answers, attendanceRate: rate, earlierRequestsThisYear: earlier,
      });
      const assessment: Assessment = {
        outcome: decisions.some((d) => d.verdict === "AGAINST") ? "LIKELY_REFUSED" : "FOR_DECISION",
        sessions, attendanceRate: rate, earlierRequestsThisYear: earlier, decisions,
      };
      return ctx.prisma.leaveRequest.create({
        ...query,
        data: {
          academyId: pupil.academyId, pupilId: pupil.id, fromDate: input.from, fromSession, toDate: input.to, toSession,
          answers: answers as Prisma.InputJsonValue, form: form as unknown as Prisma.InputJsonValue, assessment: assessment as unknown as Prisma.InputJsonValue,
          requestedOn: dateOfIso(requestedOn), requestedById: ctx.actor!.kind === "user" ? ctx.actor!.id : null,
        },
      });
    },
  }),

  decideLeave: t.prismaField({
    type: "LeaveRequest",
    description:
      "The headteacher's decision on a request awaiting one (CONFLICT if it was already decided). Sessions already marked N inside it are amended, keeping the original: C if authorised; G (a holiday) or O if refused. Headteachers and academy admins only.",
    args: { input: t.arg({ type: DecideLeaveInput, required: true, description: "The decision." }) },
    resolve: async (query, _root, { input }, ctx) => {
      const request = input.leaveRequestId.typename === "LeaveRequest"
        ? await ctx.prisma.leaveRequest.findUnique({ where: { id: input.leaveRequestId.id } })
        : null;
      if (!request || !can(ctx.actor, "decideLeave", request.academyId)) throw forbidden("You may not decide this request.", { capabilities: ["decideLeave"] });
      const problems: InputProblem[] = [];
      const reason = requiredText(input.reason, "reason", 1000, problems);
      if (problems.length > 0) throw badInput("The request was not decided.", problems);
      const decidedById = ctx.actor!.kind === "user" ? ctx.actor!.id : null;
      const queued = await ctx.prisma.$transaction(async (tx) => {
        // Only a request still awaiting a decision: two heads deciding at once, the second loses.
        const updated = await tx.leaveRequest.updateMany({
          where: { id: request.id, status: "REQUESTED" },
          data: { status: input.decision, decisionReason: reason, decidedAt: new Date(), decidedById },
        });
        if (updated.count === 0) throw conflict(`This request was already ${request.status.toLowerCase()}: reload it.`);
        const amended = await applyDecidedLeave(tx, { leaveRequestId: request.id });
        return enqueueEvent(tx, request.academyId, "leave.decided", [
          { leaveRequestId: request.id, pupilId: request.pupilId, decision: input.decision, marksAmended: amended },
        ]);
      });
      ctx.eventsQueued?.(queued);
      return ctx.prisma.leaveRequest.findUniqueOrThrow({ ...query, where: { id: request.id } });
    },
  }),
}));
