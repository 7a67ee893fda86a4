// Case actions: the ladders' steps a pupil reached, as work with an assignee
// and a due date, the rule (with its settings version) and the marks behind
// it. Evaluated after every register write and on demand; never twice for one
// trigger. Staff complete, waive (with a reason) or escalate them.
import { ACTION_KINDS, can, isoDateOf } from "@attendance/core";
import type { Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, conflict, forbidden, requiredText, type InputProblem } from "../errors.ts";
import { enqueueEvent } from "../workflows/events.ts";
import { evaluateEscalations } from "../workflows/escalations.ts";

const KIND_DESCRIPTIONS: Record<(typeof ACTION_KINDS)[number], string> = {
  DETENTION: "A detention.",
  LETTER: "A letter or message to parents.",
  MEETING: "A meeting with parents.",
  TARGETS: "Attendance targets set with the family.",
  PARENTING_CONTRACT: "A parenting contract.",
  REFERRAL: "A referral or notification to the local authority or another service.",
  HOME_VISIT: "A home visit or safe and well check.",
  CONTACT: "A telephone call or message to the family.",
  OTHER: "Anything else the policy names.",
};

export const CaseActionKindEnum = builder.enumType("CaseActionKind", {
  description: "What kind of work a case action is (read from the policy's own words).",
  values: Object.fromEntries(ACTION_KINDS.map((k) => [k, { description: KIND_DESCRIPTIONS[k] }])) as Record<(typeof ACTION_KINDS)[number], { description: string }>,
});

export const CaseActionSourceEnum = builder.enumType("CaseActionSource", {
  description: "The rule that raised a case action.",
  values: {
    LATENESS_LADDER: { description: "A step of the academy's lateness ladder." },
    ABSENCE_LADDER: { description: "A step of the absence (escalation) ladder." },
    MISSING_EDUCATION: { description: "A day of the unexplained-absence (children missing education) steps." },
  },
});

export const CaseActionStatusEnum = builder.enumType("CaseActionStatus", {
  description: "Where a case action stands.",
  values: {
    OPEN: { description: "To do." },
    DONE: { description: "Done." },
    WAIVED: { description: "Not done, with a reason." },
    ESCALATED: { description: "Replaced by a further action, with a reason." },
    WITHDRAWN: { description: "Closed because an amended mark means its trigger no longer holds; the amendment is its reason. Kept, never deleted." },
  },
});

// Readable only by those who work cases (README "Access"): the reasons and
// evidence are about a child's absences and family, and read:sensitive (API
// clients) or a trust admin's oversight is not a need to know them (UK GDPR
// Art. 5(1)(c), data minimisation; OWASP API Security Top 10 (2023) API3).
export const CaseActionNode = builder.prismaNode("CaseAction", {
  id: { field: "id" },
  description: "Work a pupil's case needs: a ladder step or an unexplained-absence step they reached, and why.",
  authScopes: (a) => ({ academy: { academyId: a.academyId, capability: "workCases" } }),
  fields: (t) => ({
    pupil: t.relation("pupil", { description: "The pupil." }),
    academy: t.relation("academy", { description: "The pupil's academy." }),
    source: t.expose("source", { type: CaseActionSourceEnum, description: "The rule that raised it." }),
    kind: t.expose("kind", { type: CaseActionKindEnum, description: "What kind of work it is." }),
    action: t.exposeString("action", { description: "What to do, in the policy's words." }),
    assignee: t.exposeString("assignee", { nullable: true, description: "Who acts (a role), where the policy says." }),
    dueOn: t.expose("dueOn", { type: "Date", description: "When it is due." }),
    reason: t.exposeString("reason", { description: "Why it was raised, for this pupil." }),
    triggerKey: t.exposeString("triggerKey", { description: "The rule and period it was reached in: one action per pupil and key." }),
    rule: t.expose("rule", {
      type: "JSON",
      description: "The setting behind it, as in force when it was raised: key, layer, plugin, document, passage, effective date (the settings version).",
    }),
    evidence: t.expose("evidence", { type: "JSON", description: "What triggered it: the marks (ids, dates, sessions, codes) or the attendance figures." }),
    status: t.expose("status", { type: CaseActionStatusEnum, description: "Where it stands." }),
    statusReason: t.exposeString("statusReason", { nullable: true, description: "Why it was completed, waived, escalated or withdrawn (for WITHDRAWN: the amendment of the mark behind it)." }),
    statusAt: t.expose("statusAt", { type: "DateTime", nullable: true, description: "When its status last changed." }),
    escalatedFromId: t.globalID({
      nullable: true,
      description: "The action this one escalated (fetch it with `node`).",
      resolve: (a) => (a.escalatedFromId ? { type: "CaseAction", id: a.escalatedFromId } : null),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was raised: poll with createdAfter for new ones." }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  caseActions: t.relatedConnection("caseActions", {
    description: "The academy's case actions, by due date, filtered. Null, with FORBIDDEN, for those who do not work cases (API clients and trust admins among them).",
    nullable: true,
    authScopes: (academy) => ({ academy: { academyId: academy.id, capability: "workCases" } }),
    cursor: "id",
    totalCount: true,
    args: {
      status: t.arg({ type: CaseActionStatusEnum, required: false, description: "Only this status." }),
      kind: t.arg({ type: CaseActionKindEnum, required: false, description: "Only this kind." }),
      assignee: t.arg.string({ required: false, description: "Only actions for this role." }),
      dueBefore: t.arg({ type: "Date", required: false, description: "Only actions due on or before this date." }),
      createdAfter: t.arg({ type: "DateTime", required: false, description: "Only actions raised after this instant (for polling)." }),
    },
    query: (args) => ({
      where: {
        ...(args.status ? { status: args.status } : {}),
        ...(args.kind ? { kind: args.kind } : {}),
        ...(args.assignee ? { assignee: args.assignee } : {}),
        ...(args.dueBefore ? { dueOn: { lte: args.dueBefore } } : {}),
        ...(args.createdAfter ? { createdAt: { gt: args.createdAfter } } : {}),
      },
      orderBy: [{ dueOn: "asc" }, { id: "asc" }],
    }),
  }),
}));

builder.prismaObjectFields("Pupil", (t) => ({
  caseActions: t.relation("caseActions", {
    description: "The pupil's case actions, newest first. Null, with FORBIDDEN, for those who do not work cases (API clients and trust admins among them).",
    nullable: true,
    authScopes: (pupil) => ({ academy: { academyId: pupil.academyId, capability: "workCases" } }),
    query: { orderBy: [{ createdAt: "desc" }, { id: "asc" }] },
  }),
}));

const EscalationRun = builder.objectRef<{ created: string[]; existing: number }>("EscalationRun");
EscalationRun.implement({
  description: "What an evaluation found.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    created: t.prismaField({
      type: ["CaseAction"],
      description: "Actions raised by this evaluation.",
      resolve: (query, run, _args, ctx) => ctx.prisma.caseAction.findMany({ ...query, where: { id: { in: run.created } }, orderBy: [{ dueOn: "asc" }, { id: "asc" }] }),
    }),
    existing: t.exposeInt("existing", { description: "Actions due that were already raised (none is raised twice)." }),
  }),
});

async function openAction(ctx: { prisma: Prisma.TransactionClient; actor: Parameters<typeof can>[0] }, id: { typename: string; id: string }) {
  const action = id.typename === "CaseAction" ? await ctx.prisma.caseAction.findUnique({ where: { id: id.id } }) : null;
  if (!action || !can(ctx.actor, "workCases", action.academyId)) throw forbidden("You may not work this case.", { capabilities: ["workCases"] });
  return action;
}

function reasonOf(raw: string, field = "reason"): string {
  const problems: InputProblem[] = [];
  const reason = requiredText(raw, field, 1000, problems);
  if (problems.length > 0) throw badInput("Nothing was changed.", problems);
  return reason;
}

builder.mutationFields((t) => ({
  evaluateEscalations: t.field({
    type: EscalationRun,
    description:
      "Evaluates every pupil on the academy's roll against its lateness ladder, absence ladder and unexplained-absence steps on a date (default today), and raises the actions due that were not raised before. Running it twice raises nothing twice. Staff who work cases only.",
    args: {
      academyUrn: t.arg.int({ required: true, description: "The academy's URN." }),
      asOf: t.arg({ type: "Date", required: false, description: "The date (default: today)." }),
    },
    resolve: async (_root, args, ctx) => {
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: args.academyUrn }, select: { id: true } });
      if (!academy || !can(ctx.actor, "workCases", academy.id)) throw forbidden("You may not work this academy's cases.", { capabilities: ["workCases"] });
      const run = await evaluateEscalations(ctx, academy.id, null, isoDateOf(args.asOf ?? new Date()));
      ctx.eventsQueued?.(run.queued);
      return run;
    },
  }),

  closeCaseAction: t.prismaField({
    type: "CaseAction",
    description: "Marks an open action done, or waives it with a reason. CONFLICT if it is no longer open. Staff who work cases only.",
    args: {
      input: t.arg({
        type: builder.inputType("CloseCaseActionInput", {
          description: "How the action ended.",
          fields: (f) => ({
            caseActionId: f.globalID({ required: true, description: "The action." }),
            outcome: f.field({
              type: builder.enumType("CaseActionOutcome", {
                description: "How an action ended.",
                values: { DONE: { description: "It was done." }, WAIVED: { description: "It will not be done (say why)." } },
              }),
              required: true,
              description: "Done or waived.",
            }),
            reason: f.string({ required: true, description: "What was done, or why not (1 to 1000 characters)." }),
          }),
        }),
        required: true,
        description: "The outcome.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const action = await openAction(ctx, input.caseActionId);
      const reason = reasonOf(input.reason);
      const updated = await ctx.prisma.caseAction.updateMany({
        where: { id: action.id, status: "OPEN" },
        data: { status: input.outcome, statusReason: reason, statusAt: new Date(), statusById: ctx.actor!.kind === "user" ? ctx.actor!.id : null },
      });
      if (updated.count === 0) throw conflict(`This action is already ${action.status.toLowerCase()}: reload it.`);
      return ctx.prisma.caseAction.findUniqueOrThrow({ ...query, where: { id: action.id } });
    },
  }),

  escalateCaseAction: t.prismaField({
    type: "CaseAction",
    description: "Escalates an open action: it is closed as ESCALATED with the reason, and a further action is raised in its place (returned). CONFLICT if it is no longer open.",
    args: {
      input: t.arg({
        type: builder.inputType("EscalateCaseActionInput", {
          description: "The further action.",
          fields: (f) => ({
            caseActionId: f.globalID({ required: true, description: "The action to escalate." }),
            reason: f.string({ required: true, description: "Why (1 to 1000 characters)." }),
            action: f.string({ required: true, description: "What to do next (1 to 300 characters)." }),
            kind: f.field({ type: CaseActionKindEnum, required: true, description: "Its kind." }),
            assignee: f.string({ required: false, description: "Who acts (a role)." }),
            dueOn: f.field({ type: "Date", required: true, description: "When it is due." }),
          }),
        }),
        required: true,
        description: "The escalation.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const action = await openAction(ctx, input.caseActionId);
      const reason = reasonOf(input.reason);
      const next = reasonOf(input.action, "action");
      const by = ctx.actor!.kind === "user" ? ctx.actor!.id : null;
      const created = await ctx.prisma.$transaction(async (tx) => {
        const updated = await tx.caseAction.updateMany({
          where: { id: action.id, status: "OPEN" },
          data: { status: "ESCALATED", statusReason: reason, statusAt: new Date(), statusById: by },
        });
        if (updated.count === 0) throw conflict(`This action is already ${action.status.toLowerCase()}: reload it.`);
        const row = await tx.caseAction.create({
          data: {
            academyId: action.academyId, pupilId: action.pupilId, triggerKey: `escalated:${action.id}`, source: action.source, kind: input.kind,
            action: next, assignee: input.assignee ?? null, dueOn: input.dueOn, reason: `Escalated: ${reason}`,
            rule: action.rule as Prisma.InputJsonValue, evidence: action.evidence as Prisma.InputJsonValue, escalatedFromId: action.id,
          },
        });
        const queued = await enqueueEvent(tx, action.academyId, "case_action.created", [
          { caseActionId: row.id, pupilId: row.pupilId, kind: row.kind, action: row.action, dueOn: isoDateOf(row.dueOn), escalatedFromId: action.id },
        ]);
        return { row, queued };
      });
      ctx.eventsQueued?.(created.queued);
      return ctx.prisma.caseAction.findUniqueOrThrow({ ...query, where: { id: created.row.id } });
    },
  }),
}));
