// Registers and marks: take a whole register in one mutation and one
// transaction, amend a mark lawfully, and read a mark's history.
//
// Marks are append-only (DESIGN.md §3; seed 003, amending the register): an
// amendment is a new version with its reason, who and when; the original is
// kept. current_mark (kept by a trigger) says which version is current.
import { DateTime } from "luxon";
import {
  can,
  canForForm,
  classifyArrival,
  CLOCK_TIME,
  codeOn,
  codeProblem,
  DEFAULT_MAX_DAYS_AHEAD,
  registerRefusal,
  rollRefusal,
  isoDateOf,
  minutesOf,
  settingValue,
  type ArrivalDecision,
  type Capability,
} from "@attendance/core";
import { bulkInsert } from "@attendance/db";
import { queueEscalations } from "../workflows/escalation-queue.ts";
import { followAmendedMark } from "../workflows/follow-marks.ts";
import { applyDecidedLeave } from "../workflows/leave-marks.ts";
import { enqueueEvent, type MarkAmendedData } from "../workflows/events.ts";
import { academyCalendar } from "../workflows/calendar.ts";
import { builder } from "../builder.ts";
import { TOTAL_COUNT_DESCRIPTION } from "../describe-total-count.ts";
import { MAX_PERIOD_DAYS, badInput, conflict, forbidden, isUniqueViolation, requiredText, requirePeriod, type InputProblem } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";
import { visiblePupilsWhere } from "../visibility.ts";
import { academyPolicy } from "../policy.ts";
import { AttendanceCategoryEnum, SessionEnum } from "./enums.ts";

/**
 * The scopes for an object of an academy that belongs to one pupil: a teacher
 * only for the pupils of their own forms (the form is looked up, batched, only
 * for actors limited to some forms).
 */
async function pupilScopes(ctx: GraphQLContext, academyId: string, pupilId: string, capability: Capability) {
  const grant = ctx.actor?.academies.get(academyId);
  if (grant?.formIds === undefined) return { academy: { academyId, capability } };
  const formId = await ctx.loaders.pupilForm.load(pupilId);
  return { form: { academyId, formId, capability } };
}

export const MarkNode = builder.prismaNode("Mark", {
  id: { field: "id" },
  description:
    "An entry in a register: one version of a pupil's mark for a session. Amendments are new versions; none is ever changed or deleted.",
  // Staff of the academy whose register it is; and, for a pupil who moved
  // within the trust, whoever reads the pupil at their current academy (the
  // pupil's whole record travels with them: issue 15). The academy they left
  // reads its own marks, never the ones taken after.
  authScopes: async (mark, ctx) => {
    const grant = ctx.actor?.academies.get(mark.academyId);
    // Staff reading the whole academy: decided without a lookup.
    if (grant?.formIds === undefined && grant?.capabilities.has("read")) return { academy: { academyId: mark.academyId, capability: "read" as const } };
    const place = await ctx.loaders.pupilPlace.load(mark.pupilId);
    if (place && place.academyId !== mark.academyId && canForForm(ctx.actor, "read", place.academyId, place.formId)) return true;
    return pupilScopes(ctx, mark.academyId, mark.pupilId, "read");
  },
  fields: (t) => ({
    code: t.exposeString("code", { description: "The attendance code, e.g. \"/\", \"L\", \"I\", \"Y2\"." }),
    meaning: t.string({
      description: "What the code means on the mark's date (the national code set in force then).",
      resolve: (mark) => codeOn(mark.code, isoDateOf(mark.date))?.meaning ?? "",
    }),
    category: t.expose("category", { type: AttendanceCategoryEnum, description: "How the Department for Education counts it." }),
    date: t.expose("date", { type: "Date", description: "The register's date." }),
    session: t.expose("session", { type: SessionEnum, description: "The register's session." }),
    version: t.exposeInt("version", { description: "1 for the original entry, n+1 for the amendment of version n." }),
    isCurrent: t.boolean({
      description: "Whether this is the current version.",
      select: { current: { select: { markId: true } } },
      resolve: (mark) => mark.current !== null,
    }),
    minutesLate: t.exposeInt("minutesLate", { nullable: true, description: "Minutes after the session started, for a late arrival." }),
    arrivedAt: t.expose("arrivedAt", { type: "DateTime", nullable: true, description: "When a late pupil arrived." }),
    note: t.exposeString("note", { nullable: true, description: "A note with the mark." }),
    amendmentReason: t.exposeString("amendmentReason", { nullable: true, description: "Why this version amends the one before (null for the original)." }),
    recordedAt: t.expose("recordedAt", { type: "DateTime", description: "When this version was recorded." }),
    recordedBy: t.string({
      nullable: true,
      description: "The name of who recorded this version, as it was then: a member of staff, or an API client's name (null for entries loaded without an author).",
      select: { recordedByName: true, recordedBy: { select: { displayName: true } } },
      resolve: (mark) => mark.recordedByName ?? mark.recordedBy?.displayName ?? null,
    }),
    pupil: t.relation("pupil", { description: "The pupil." }),
    register: t.relation("register", { description: "The register." }),
    academyUrn: t.int({
      description:
        "The URN of the academy whose register this is: for a pupil who moved within the trust, their earlier academy's for marks taken there (whose register itself only its own staff read).",
      select: { academy: { select: { urn: true } } },
      resolve: (mark) => mark.academy.urn,
    }),
  }),
});

builder.prismaObjectField("Mark", "history", (t) =>
  t.field({
    type: [MarkNode],
    description: "Every version of this pupil's entry in this register, oldest first: the original, then each amendment.",
    resolve: (mark, _args, ctx) => ctx.loaders.markHistory.load(`${mark.registerId}/${mark.pupilId}`),
  }),
);

builder.prismaNode("Register", {
  id: { field: "id" },
  description: "An academy's register for one date and session (AM or PM).",
  authScopes: (register) => ({ academy: { academyId: register.academyId, capability: "read" } }),
  fields: (t) => ({
    date: t.expose("date", { type: "Date", description: "The date." }),
    session: t.expose("session", { type: SessionEnum, description: "The session." }),
    academy: t.relation("academy", { description: "The academy." }),
    marks: t.relatedConnection("marks", {
      description: "The current mark of each pupil you may see, by pupil surname.",
      cursor: "id",
      query: (_args, ctx) => ({
        where: { current: { isNot: null }, pupil: visiblePupilsWhere(ctx.actor) },
        orderBy: [{ pupil: { legalSurname: "asc" } }, { pupil: { legalForename: "asc" } }, { id: "asc" }],
      }),
    }, {
      fields: (c) => ({
        totalCount: c.int({
          description: TOTAL_COUNT_DESCRIPTION,
          resolve: (connection, _args, ctx) => ctx.loaders.registerMarkCount.load(connection.parent.id),
        }),
      }),
    }),
    formsTaken: t.field({
      type: ["String"],
      description: "The names of the forms whose part of this register has been taken: a tutor sees only the forms they hold.",
      select: { submissions: { select: { form: { select: { id: true, name: true } } } } },
      resolve: (register, _args, ctx) =>
        [...new Set(register.submissions.filter((s) => canForForm(ctx.actor, "read", register.academyId, s.form.id)).map((s) => s.form.name))].sort(),
    }),
  }),
});

builder.prismaObjectField("Pupil", "marks", (t) =>
  t.relatedConnection("marks", {
    description: "The pupil's current marks in a date range, newest first.",
    cursor: "id",
    args: {
      from: t.arg({ type: "Date", required: true, description: "First date (inclusive)." }),
      to: t.arg({ type: "Date", required: true, description: "Last date (inclusive)." }),
    },
    query: (args) => {
      requirePeriod(args.from, args.to, MAX_PERIOD_DAYS.marks);
      return {
      where: { current: { isNot: null }, date: { gte: args.from, lte: args.to } },
      orderBy: [{ date: "desc" }, { session: "desc" }, { id: "asc" }],
      };
    },
  }, {
    fields: (c) => ({
      totalCount: c.int({
        description: TOTAL_COUNT_DESCRIPTION,
        resolve: (connection, _args, ctx) =>
          ctx.loaders.pupilMarkCount.load(`${connection.parent.id}|${isoDateOf(connection.args.from)}|${isoDateOf(connection.args.to)}`),
      }),
    }),
  }),
);

builder.queryFields((t) => ({
  register: t.prismaField({
    type: "Register",
    nullable: true,
    description: "An academy's register for a date and session; null if it has not been taken.",
    args: {
      academyUrn: t.arg.int({ required: true, description: "The academy's URN." }),
      date: t.arg({ type: "Date", required: true, description: "The date." }),
      session: t.arg({ type: SessionEnum, required: true, description: "The session." }),
    },
    resolve: async (query, _root, args, ctx) => {
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: args.academyUrn }, select: { id: true } });
      if (!academy || !can(ctx.actor, "read", academy.id)) throw forbidden("You are not allowed to see or change this.", { capabilities: ["read"] });
      return ctx.prisma.register.findUnique({
        ...query,
        where: { academyId_date_session: { academyId: academy.id, date: args.date, session: args.session } },
      });
    },
  }),
}));

// ─── Taking a register ────────────────────────────────────────────────────────

const RegisterMarkInput = builder.inputType("RegisterMarkInput", {
  description: "One pupil's mark: a code, or an arrival time from which the academy's register times decide the code.",
  fields: (t) => ({
    pupilId: t.globalID({ required: true, description: "The pupil's global ID." }),
    code: t.string({ required: false, description: "The attendance code. Omit it to decide from arrivedAt." }),
    arrivedAt: t.string({ required: false, description: "Arrival time, hh:mm in the academy's time zone." }),
    note: t.string({ required: false, description: "A note with the mark (at most 500 characters)." }),
  }),
});

const TakeRegisterInput = builder.inputType("TakeRegisterInput", {
  description: "A register, or a form's part of it, for one date and session.",
  fields: (t) => ({
    academyUrn: t.int({ required: true, description: "The academy's URN." }),
    date: t.field({ type: "Date", required: true, description: "The date." }),
    session: t.field({ type: SessionEnum, required: true, description: "The session." }),
    formId: t.globalID({ required: false, description: "The form this is the register of, to record that it has been taken." }),
    marks: t.field({ type: [RegisterMarkInput], required: true, description: "The pupils' marks (at most 2,000)." }),
  }),
});

interface ArrivalShape extends ArrivalDecision {
  pupilId: string;
  /** What the academy's policy says follows (e.g. a detention). */
  actions: string[];
}

const ArrivalDecisionRef = builder.objectRef<ArrivalShape>("ArrivalDecision");
ArrivalDecisionRef.implement({
  description: "How an arrival time was turned into a code, and why.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    pupilId: t.id({ description: "The pupil's global ID.", resolve: (d) => Buffer.from(`Pupil:${d.pupilId}`).toString("base64") }),
    code: t.exposeString("code", { description: "The code decided." }),
    minutesLate: t.exposeInt("minutesLate", { description: "Minutes after the session started." }),
    reason: t.exposeString("reason", { description: "Why, in terms of the academy's register times." }),
    actions: t.exposeStringList("actions", { description: "What the academy's policy says follows this arrival (e.g. a detention)." }),
  }),
});

const TakeRegisterPayload = builder.objectRef<{
  registerId: string;
  recorded: number;
  arrivals: ArrivalShape[];
  leaveApplied: number;
  /** The escalation job queued with the register. */
  escalationJobId: string;
}>("TakeRegisterPayload");
TakeRegisterPayload.implement({
  description: "The register taken.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    register: t.prismaField({
      type: "Register",
      description: "The register, with every current mark.",
      resolve: (query, payload, _args, ctx) => ctx.prisma.register.findUniqueOrThrow({ ...query, where: { id: payload.registerId } }),
    }),
    recorded: t.exposeInt("recorded", { description: "How many marks were recorded." }),
    arrivals: t.field({ type: [ArrivalDecisionRef], description: "The codes decided from arrival times.", resolve: (p) => p.arrivals }),
    leaveApplied: t.exposeInt("leaveApplied", {
      description: "Marks of N amended because a decided leave request covers the session (C if authorised; G or O if refused), each keeping the original.",
    }),
    // Evaluation left the request (issue 17, item 4): the count is not known
    // when the register commits. Kept, always null, for clients that select
    // it (GraphQL spec, "@deprecated": a field is deprecated, not removed).
    newCaseActions: t.int({
      nullable: true,
      deprecationReason: "Escalations are evaluated after the register commits: always null. Read escalationEvaluation (its status and createdCaseActions), or poll case actions with createdAfter.",
      description: "Always null: escalations are evaluated after the register commits (see escalationEvaluation).",
      resolve: () => null,
    }),
    escalationEvaluation: t.prismaField({
      type: "EscalationJob",
      description:
        "The evaluation of the register's pupils against the ladders and unexplained-absence steps, queued with the register and run within seconds of it: poll it with `node` until DONE.",
      resolve: (query, payload, _args, ctx) => ctx.prisma.escalationJob.findUniqueOrThrow({ ...query, where: { id: payload.escalationJobId } }),
    }),
  }),
});

const MAX_MARKS = 2_000;

/** Today's date in the academy's time zone. */
function localToday(zone: string): string {
  return DateTime.now().setZone(zone).toISODate()!;
}

/** The instant of a local wall-clock time on a date in the academy's time zone. */
function instant(date: string, time: string, zone: string): Date {
  return DateTime.fromISO(`${date}T${time}`, { zone }).toJSDate();
}

builder.mutationFields((t) => ({
  takeRegister: t.field({
    type: TakeRegisterPayload,
    description:
      "Takes a register (or a form's part of it) in one transaction: every mark is recorded, or none is. A pupil who already has a mark in this register is refused with CONFLICT: amend it instead.",
    args: { input: t.arg({ type: TakeRegisterInput, required: true, description: "The register." }) },
    resolve: async (_root, { input }, ctx) => {
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: input.academyUrn }, select: { id: true, timezone: true } });
      if (!academy || !can(ctx.actor, "takeRegister", academy.id)) throw forbidden("You may not take registers in this academy.", { capabilities: ["takeRegister"] });
      const date = isoDateOf(input.date);
      if (input.marks.length === 0) throw badInput("Give at least one mark.");
      if (input.marks.length > MAX_MARKS) throw badInput(`At most ${MAX_MARKS} marks in one register.`);

      // The register times and limits in force on the register's date (an
      // override saved for a later date does not change how an earlier
      // register is judged).
      const policy = await academyPolicy(ctx, academy.id, date);
      // Only sessions the academy meets have a register (SI 2024/208, reg.
      // 10(1)): the calendar decides, never which marks happen to exist.
      const refusal = registerRefusal(
        await academyCalendar(ctx.prisma, academy.id),
        date,
        input.session,
        localToday(academy.timezone),
        settingValue(policy, "registers.maxDaysAhead") ?? DEFAULT_MAX_DAYS_AHEAD,
      );
      if (refusal) throw badInput(`The register was not taken: ${refusal.message}`, [{ field: "date", reason: refusal.reason, message: refusal.message }]);

      const pupilIds = input.marks.map((m) => m.pupilId.id);
      const pupils = await ctx.prisma.pupil.findMany({
        where: { id: { in: pupilIds } },
        select: { id: true, formId: true, academyId: true, enrolments: { where: { academyId: academy.id }, select: { onRollFrom: true, onRollTo: true } } },
      });
      const byId = new Map(pupils.map((p) => [p.id, p]));
      const times = settingValue(policy, `registerTimes.${input.session}`);
      const consequences = settingValue(policy, "lateness.consequences") ?? [];

      const problems: InputProblem[] = [];
      const seen = new Set<string>();
      const arrivals: ArrivalShape[] = [];
      const rows: Record<string, unknown>[] = [];
      for (const [i, m] of input.marks.entries()) {
        const field = `marks[${i}]`;
        const pupil = m.pupilId.typename === "Pupil" ? byId.get(m.pupilId.id) : undefined;
        // A pupil has sessions only while on the admission register (SI
        // 2024/208, regs 8 and 9). One never on this academy's roll answers
        // like an unknown one (schema/src/tenancy.ts).
        const offRoll = pupil && rollRefusal(pupil.enrolments.map((e) => ({ from: isoDateOf(e.onRollFrom), to: e.onRollTo && isoDateOf(e.onRollTo) })), date);
        if (!pupil || offRoll?.reason === "NOT_ON_ROLL") {
          problems.push({ field: `${field}.pupilId`, message: `Not a pupil on this academy's roll on ${date}.` });
          continue;
        }
        if (offRoll) {
          problems.push({ field: `${field}.pupilId`, reason: offRoll.reason, message: offRoll.message });
          continue;
        }
        if (!canForForm(ctx.actor, "takeRegister", academy.id, pupil.formId)) throw forbidden("You may take registers for your own forms only.", { capabilities: ["takeRegister"], formsOnly: true });
        if (seen.has(pupil.id)) problems.push({ field: `${field}.pupilId`, message: "This pupil is marked twice." });
        seen.add(pupil.id);
        if (m.arrivedAt != null && !CLOCK_TIME.test(m.arrivedAt)) problems.push({ field: `${field}.arrivedAt`, message: "Give the time as hh:mm." });
        if (m.note != null && m.note.length > 500) problems.push({ field: `${field}.note`, message: "At most 500 characters." });
        let code = m.code ?? undefined;
        let minutesLate: number | null = null;
        if (code === undefined) {
          if (m.arrivedAt == null) {
            problems.push({ field, message: "Give a code or an arrival time." });
            continue;
          }
          if (!times) {
            problems.push({ field, message: `This academy has no register times for the ${input.session} session: give a code.` });
            continue;
          }
          if (!CLOCK_TIME.test(m.arrivedAt)) continue;
          const decision = classifyArrival(times, input.session, m.arrivedAt);
          arrivals.push({
            ...decision,
            pupilId: pupil.id,
            actions: consequences.filter((c) => c.when === decision.outcome).map((c) => c.action),
          });
          code = decision.code;
          minutesLate = decision.minutesLate || null;
        } else {
          const arrival = m.arrivedAt != null && CLOCK_TIME.test(m.arrivedAt) ? m.arrivedAt : undefined;
          // A present or late code must agree with the arrival time given with
          // it, by the academy's times that day (SI 2024/208, reg. 10, table 1).
          const disagrees = codeProblem(code, input.session, arrival, times);
          if (disagrees) {
            problems.push({ field: `${field}.code`, reason: "CODE_DISAGREES", message: disagrees.message });
            continue;
          }
          if (arrival !== undefined && times) minutesLate = Math.max(0, minutesOf(arrival) - minutesOf(times.starts)) || null;
        }
        const national = codeOn(code, date);
        if (!national) {
          problems.push({ field: `${field}.code`, message: `"${code}" is not an attendance code in force on ${date}.` });
          continue;
        }
        rows.push({
          pupilId: pupil.id,
          academyId: academy.id,
          date,
          session: input.session,
          version: 1,
          code,
          category: national.category,
          minutesLate,
          arrivedAt: m.arrivedAt != null && CLOCK_TIME.test(m.arrivedAt) ? instant(date, m.arrivedAt, academy.timezone) : null,
          note: m.note ?? null,
          recordedById: ctx.actor!.kind === "user" ? ctx.actor!.id : null,
          recordedByApiClientId: ctx.actor!.kind === "apiClient" ? ctx.actor!.id : null,
        });
      }
      if (problems.length > 0) throw badInput(`The register was not taken: ${problems.length} problem(s).`, problems);

      let formId: string | null = null;
      if (input.formId) {
        const form = await ctx.prisma.form.findUnique({ where: { id: input.formId.id }, select: { academyId: true } });
        if (input.formId.typename !== "Form" || form?.academyId !== academy.id) throw badInput("formId is not a form of this academy.");
        if (!canForForm(ctx.actor, "takeRegister", academy.id, input.formId.id)) throw forbidden("You may take registers for your own forms only.", { capabilities: ["takeRegister"], formsOnly: true });
        formId = input.formId.id;
      }

      try {
        const registerId = await ctx.prisma.$transaction(async (tx) => {
          // Insert or find the register; DO UPDATE (a no-op) so RETURNING always answers.
          const [register] = await tx.$queryRaw<{ id: string }[]>`
            INSERT INTO register (academy_id, date, session) VALUES (${academy.id}::uuid, ${date}::date, ${input.session}::session)
            ON CONFLICT (academy_id, date, session) DO UPDATE SET academy_id = EXCLUDED.academy_id
            RETURNING id`;
          const existing = await tx.currentMark.findMany({
            where: { registerId: register!.id, pupilId: { in: [...seen] } },
            select: { pupilId: true },
          });
          if (existing.length > 0) {
            throw conflict(`${existing.length} pupil(s) already have a mark in this register: amend those marks instead.`, {
              pupilIds: existing.map((e) => Buffer.from(`Pupil:${e.pupilId}`).toString("base64")),
            });
          }
          await bulkInsert(tx, "mark", rows.map((r) => ({ ...r, registerId: register!.id })));
          if (formId) {
            await tx.registerSubmission.create({
              data: { registerId: register!.id, formId, takenById: ctx.actor!.kind === "user" ? ctx.actor!.id : null },
            });
          }
          const leaveApplied = await applyDecidedLeave(tx, { registerId: register!.id });
          // The escalation evaluation is queued in the register's own
          // transaction and run by the server's worker after the commit
          // (workflows/escalation-queue.ts): the register never waits for it,
          // and a crash in between loses nothing.
          const escalationJobId = await queueEscalations(tx, academy.id, [...seen], date);
          return { id: register!.id, leaveApplied, escalationJobId };
        });
        ctx.escalationsQueued?.();
        return { registerId: registerId.id, recorded: rows.length, arrivals, leaveApplied: registerId.leaveApplied, escalationJobId: registerId.escalationJobId };
      } catch (error) {
        // Two writers took the same pupils' marks at once: the second loses.
        if (isUniqueViolation(error)) throw conflict("Someone else recorded marks in this register at the same moment: reload it.");
        throw error;
      }
    },
  }),

  amendMark: t.prismaField({
    type: "Mark",
    description:
      "Amends a mark: records a new version with its reason, who and when, and keeps the original. Give the ID of the version you are looking at: if it is no longer current, CONFLICT, and nothing changes.",
    args: {
      input: t.arg({
        type: builder.inputType("AmendMarkInput", {
          description: "The amendment.",
          fields: (f) => ({
            markId: f.globalID({ required: true, description: "The version being amended (must be the current one)." }),
            code: f.string({ required: true, description: "The new code." }),
            reason: f.string({ required: true, description: "Why (kept with the amendment; 1 to 500 characters)." }),
            note: f.string({ required: false, description: "A note with the new version." }),
          }),
        }),
        required: true,
        description: "The amendment.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      try {
        // Decided before any write, in the write's own transaction: the mark
        // is read, the actor checked for everything the answer needs (amend,
        // and read the mark back), and only then is the version stored; a
        // refusal anywhere rolls the whole of it back (issue 13, "a refusal
        // that commits"; OWASP API Security Top 10 (2023) API5).
        const amended = await ctx.prisma.$transaction(async (tx) => {
          const mark = input.markId.typename === "Mark"
            ? await tx.mark.findUnique({ where: { id: input.markId.id }, include: { current: true } })
            : null;
          const needs: Capability[] = ["amendRegister", "read"];
          if (!mark || !needs.every((c) => can(ctx.actor, c, mark.academyId))) throw forbidden("You may not amend this mark.", { capabilities: ["amendRegister"] });
          const date = isoDateOf(mark.date);
          const problems: InputProblem[] = [];
          const national = codeOn(input.code, date);
          if (!national) problems.push({ field: "code", message: `"${input.code}" is not an attendance code in force on ${date}.` });
          // The amended code must agree with the arrival time recorded (SI
          // 2024/208, reg. 10, table 1), judged by the times in force that day.
          // The calendar is not checked again: the mark exists, and an
          // amendment is the lawful way to correct it (e.g. to # when a
          // closure is entered after the register was taken; seed 003,
          // amending the register).
          else {
            const [academy, policy] = await Promise.all([
              tx.academy.findUniqueOrThrow({ where: { id: mark.academyId }, select: { timezone: true } }),
              academyPolicy(ctx, mark.academyId, date),
            ]);
            const arrival = mark.arrivedAt ? DateTime.fromJSDate(mark.arrivedAt).setZone(academy.timezone).toFormat("HH:mm") : undefined;
            const disagrees = codeProblem(input.code, mark.session, arrival, settingValue(policy, `registerTimes.${mark.session}`));
            if (disagrees) problems.push({ field: "code", reason: "CODE_DISAGREES", message: disagrees.message });
          }
          const reason = requiredText(input.reason, "reason", 500, problems);
          if (input.note != null && input.note.length > 500) problems.push({ field: "note", message: "At most 500 characters." });
          if (problems.length > 0) throw badInput("The mark was not amended.", problems);
          if (!mark.current) {
            const current = await tx.currentMark.findUniqueOrThrow({ where: { registerId_pupilId: { registerId: mark.registerId, pupilId: mark.pupilId } } });
            throw conflict(`This mark has been amended since you loaded it (version ${current.version} is current): reload it.`, {
              currentMarkId: Buffer.from(`Mark:${current.markId}`).toString("base64"),
            });
          }
          const created = await tx.mark.create({
            ...query,
            data: {
              registerId: mark.registerId,
              pupilId: mark.pupilId,
              academyId: mark.academyId,
              date: mark.date,
              session: mark.session,
              version: mark.version + 1,
              code: input.code,
              category: national!.category,
              minutesLate: input.code === "L" || input.code === "U" ? mark.minutesLate : null,
              arrivedAt: input.code === "L" || input.code === "U" ? mark.arrivedAt : null,
              note: input.note ?? null,
              amendmentReason: reason,
              recordedById: ctx.actor!.kind === "user" ? ctx.actor!.id : null,
              recordedByApiClientId: ctx.actor!.kind === "apiClient" ? ctx.actor!.id : null,
            },
          });
          // The webhook event is queued in the amendment's own transaction
          // (the outbox, workflows/events.ts): both happen, or neither.
          const event: MarkAmendedData = {
            markId: created.id, amendedMarkId: mark.id, pupilId: mark.pupilId, date, session: mark.session,
            version: created.version, code: input.code, previousCode: mark.code, reason,
          };
          const queued = await enqueueEvent(tx, mark.academyId, "mark.amended", [event]);
          return { created, mark, reason, queued };
        });
        ctx.eventsQueued?.(amended.queued);
        // Cases follow the marks (issue 14, item 5), in the operation's transaction: an error undoes the amendment too.
        await followAmendedMark(ctx, amended.mark, amended.created.id, input.code, amended.reason);
        return amended.created;
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict("Someone else amended this mark at the same moment: reload it.");
        throw error;
      }
    },
  }),
}));


