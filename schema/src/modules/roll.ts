// Roll changes: admissions and deletions from the admission register, only on
// a lawful ground of regulation 9(1) (anything else is off-rolling and cannot
// be expressed), each queued as a return to the local authority within five
// school days (DESIGN.md §8) in an outbox a front end reads and marks sent.
import { addSchoolDays, can, canForForm, dateOfIso, isoDateOf, unexplainedAbsenceRun, type IsoDate } from "@attendance/core";
import { DeletionGround, NotificationKind, type Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, conflict, forbidden, isUniqueViolation, requiredText, type InputProblem } from "../errors.ts";
import { academyCalendar } from "../workflows/calendar.ts";
import { enqueueEvent } from "../workflows/events.ts";
import { GenderEnum } from "./enums.ts";

/** Returns are due within 5 school days (DESIGN.md §8, "Returns to the local authority"). */
const RETURN_WITHIN_SCHOOL_DAYS = 5;

export const DeletionGroundEnum = builder.enumType(DeletionGround, {
  name: "DeletionGround",
  description: "A lawful ground for deleting a pupil from the admission register: regulation 9(1) of the 2024 Regulations. There is no other.",
  values: {
    REGISTERED_ELSEWHERE: { description: "(a) Registered at another school." },
    NURSERY_NOT_CONTINUING: { description: "(b) Not continuing after nursery." },
    DUAL_REGISTRATION_ENDED: { description: "(c) Dual registered, and the other school agrees." },
    ATTENDANCE_ORDER_OTHER_SCHOOL: { description: "(d) A school attendance order names another school." },
    ATTENDANCE_ORDER_REVOKED: { description: "(e) A school attendance order was revoked." },
    ELECTIVE_HOME_EDUCATION: { description: "(f) The parent notified in writing of education otherwise than at school." },
    MOVED_AWAY: { description: "(g) No longer lives within reasonable distance." },
    NOT_RETURNED_AFTER_LEAVE: { description: "(h) Did not return within 10 school days after authorised leave ended." },
    CONTINUOUSLY_ABSENT_20_DAYS: { description: "(i) Continuously absent 20 school days, after joint reasonable enquiries with the local authority." },
    DETENTION: { description: "(j) A detention sentence." },
    DIED: { description: "(k) Died." },
    OVER_COMPULSORY_AGE: { description: "(l) Over compulsory school age and not continuing into the sixth form." },
    BOARDING_FEES_UNPAID: { description: "(m) Boarding fees unpaid." },
    LEFT_INDEPENDENT_SPECIAL_SCHOOL: { description: "(n) Left an independent or non-maintained special school." },
    PERMANENTLY_EXCLUDED: { description: "(o) Permanently excluded." },
  },
});

const NotificationKindEnum = builder.enumType(NotificationKind, {
  name: "NotificationKind",
  description: "A return owed to the local authority.",
  values: {
    NEW_ENTRY: { description: "A new pupil, within 5 school days of entry to the admission register." },
    DELETION: { description: "A deletion from the roll." },
    EXTENDED_SICKNESS: { description: "Absent 15 days through sickness." },
    UNEXPLAINED_ABSENCE: { description: "10 consecutive school days of unexplained absence." },
  },
});

builder.prismaObject("Enrolment", {
  description: "A pupil's time on an academy's admission register.",
  // Staff of the academy whose register it is; and whoever reads the pupil at
  // their current academy, so a pupil moved within the trust (transferPupil)
  // shows every enrolment to the receiving academy. The academy they left
  // keeps reading its own enrolment only.
  authScopes: async (e, ctx) => {
    if (can(ctx.actor, "read", e.academyId)) return { academy: { academyId: e.academyId, capability: "read" as const } };
    const place = await ctx.loaders.pupilPlace.load(e.pupilId);
    if (place && place.academyId !== e.academyId && canForForm(ctx.actor, "read", place.academyId, place.formId)) return true;
    return { academy: { academyId: e.academyId, capability: "read" as const } };
  },
  fields: (t) => ({
    onRollFrom: t.expose("onRollFrom", { type: "Date", description: "First day on roll." }),
    onRollTo: t.expose("onRollTo", { type: "Date", nullable: true, description: "Last day on roll; null while on roll." }),
    deletionGround: t.expose("deletionGround", { type: DeletionGroundEnum, nullable: true, description: "The lawful ground of the deletion." }),
    deletionNote: t.exposeString("deletionNote", { nullable: true, description: "The evidence for the ground, in words." }),
  }),
});

builder.prismaObjectFields("Pupil", (t) => ({
  enrolments: t.relation("enrolments", { description: "The pupil's times on roll, earliest first.", query: { orderBy: [{ onRollFrom: "asc" }, { id: "asc" }] } }),
}));

export const NotificationNode = builder.prismaNode("LocalAuthorityNotification", {
  id: { field: "id" },
  name: "LocalAuthorityReturn",
  description: "A return owed to the local authority: the outbox a front end reads, sends and marks sent.",
  authScopes: (n) => ({ academy: { academyId: n.academyId, capability: "workCases" } }),
  fields: (t) => ({
    kind: t.expose("kind", { type: NotificationKindEnum, description: "What it reports." }),
    pupil: t.relation("pupil", { description: "The pupil." }),
    localAuthority: t.relation("localAuthority", { description: "The local authority it goes to." }),
    enrolment: t.relation("enrolment", { nullable: true, description: "The admission or deletion it reports." }),
    dueBy: t.expose("dueBy", { type: "Date", description: "When it must be sent by." }),
    sentAt: t.expose("sentAt", { type: "DateTime", nullable: true, description: "When it was sent (null: not yet)." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was queued." }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  localAuthorityReturns: t.relatedConnection("notifications", {
    description: "Returns owed to the local authority, soonest due first. Null, with FORBIDDEN, for staff who do not work cases.",
    nullable: true,
    authScopes: (academy) => ({ academy: { academyId: academy.id, capability: "workCases" } }),
    cursor: "id",
    totalCount: true,
    args: {
      sent: t.arg.boolean({ required: false, description: "true: only those sent; false: only those still to send." }),
      kind: t.arg({ type: NotificationKindEnum, required: false, description: "Only this kind." }),
    },
    query: (args) => ({
      where: { ...(args.sent === true ? { sentAt: { not: null } } : args.sent === false ? { sentAt: null } : {}), ...(args.kind ? { kind: args.kind } : {}) },
      orderBy: [{ dueBy: "asc" }, { id: "asc" }],
    }),
  }),
}));

export async function queueReturn(
  tx: Prisma.TransactionClient,
  academy: { id: string; localAuthorityId: string },
  pupilId: string,
  enrolmentId: string,
  kind: "NEW_ENTRY" | "DELETION",
  on: IsoDate,
) {
  const dueBy = addSchoolDays(await academyCalendar(tx, academy.id), on, RETURN_WITHIN_SCHOOL_DAYS);
  const row = await tx.localAuthorityNotification.create({
    data: { localAuthorityId: academy.localAuthorityId, academyId: academy.id, pupilId, enrolmentId, kind, dueBy: dateOfIso(dueBy) },
  });
  return enqueueEvent(tx, academy.id, "notification.due", [{ notificationId: row.id, pupilId, kind, dueBy }]);
}

builder.mutationFields((t) => ({
  admitPupil: t.prismaField({
    type: "Pupil",
    description:
      "Enters a new pupil on the academy's admission register and queues the return to the local authority, due within 5 school days (not for the youngest year joining on the first day of the school year). Headteachers and academy admins only.",
    args: {
      input: t.arg({
        type: builder.inputType("AdmitPupilInput", {
          description: "The new pupil.",
          fields: (f) => ({
            academyUrn: f.int({ required: true, description: "The academy's URN." }),
            upn: f.string({ required: true, description: "Unique Pupil Number (13 characters)." }),
            legalForename: f.string({ required: true, description: "Legal forename." }),
            legalSurname: f.string({ required: true, description: "Legal surname." }),
            preferredForename: f.string({ required: false, description: "The forename the pupil is known by." }),
            dateOfBirth: f.field({ type: "Date", required: true, description: "Date of birth." }),
            gender: f.field({ type: GenderEnum, required: true, description: "Gender, for the census." }),
            yearGroup: f.int({ required: true, description: "National Curriculum year: -1 nursery, 0 Reception, 1–13." }),
            formId: f.globalID({ required: false, description: "The form to join." }),
            onRollFrom: f.field({ type: "Date", required: true, description: "First day on roll." }),
          }),
        }),
        required: true,
        description: "The admission.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: input.academyUrn }, select: { id: true, trustId: true, localAuthorityId: true } });
      if (!academy || !can(ctx.actor, "configureAcademy", academy.id)) throw forbidden("You may not admit pupils to this academy.", { capabilities: ["configureAcademy"] });
      const problems: InputProblem[] = [];
      if (!/^[A-Z]\d{11}[0-9A-Z]$/.test(input.upn)) problems.push({ field: "upn", message: "A UPN is a letter, 11 digits and a check character (13 characters)." });
      const legalForename = requiredText(input.legalForename, "legalForename", 100, problems, "1 to 100 characters.");
      const legalSurname = requiredText(input.legalSurname, "legalSurname", 100, problems, "1 to 100 characters.");
      if (!Number.isInteger(input.yearGroup) || input.yearGroup < -1 || input.yearGroup > 13) problems.push({ field: "yearGroup", message: "From -1 (nursery) to 13." });
      let formId: string | null = null;
      if (input.formId) {
        const form = await ctx.prisma.form.findUnique({ where: { id: input.formId.id }, select: { academyId: true } });
        if (input.formId.typename !== "Form" || form?.academyId !== academy.id) problems.push({ field: "formId", message: "Not a form of this academy." });
        else formId = input.formId.id;
      }
      // UPNs are unique per trust: only the academy's own trust is asked, so the
      // answer says nothing about other trusts, and a child moving from another
      // trust is admitted as the receiving academy's new enrolment (a new
      // record here; the sending trust's register entry stays its own).
      // Within the trust a pupil keeps one record and its UPN (issue 15): one
      // known at another academy of the trust moves with transferPupil, which
      // closes the other academy's entry (reg. 9(1), registered at another
      // school) and keeps both enrolments and every mark.
      const existing = await ctx.prisma.pupil.findUnique({ where: { trustId_upn: { trustId: academy.trustId, upn: input.upn } }, select: { academyId: true } });
      if (existing && existing.academyId !== academy.id) {
        problems.push({
          field: "upn",
          reason: "KNOWN_IN_TRUST",
          message: "A pupil with this UPN is known at another academy of your trust: use transferPupil to move them here (their UPN, enrolments and marks are kept).",
        });
      } else if (existing) {
        problems.push({ field: "upn", reason: "ALREADY_ADMITTED", message: "A pupil with this UPN is already on this academy's record." });
      }
      if (problems.length > 0) throw badInput("The pupil was not admitted.", problems);
      const from = isoDateOf(input.onRollFrom);
      let queued = 0;
      const pupil = await ctx.prisma.$transaction(async (tx) => {
        const created = await tx.pupil.create({
          data: {
            academyId: academy.id, trustId: academy.trustId, formId, upn: input.upn, legalForename, legalSurname,
            preferredForename: input.preferredForename?.trim() || null, dateOfBirth: input.dateOfBirth, gender: input.gender, yearGroup: input.yearGroup,
          },
        });
        const enrolment = await tx.enrolment.create({ data: { pupilId: created.id, academyId: academy.id, onRollFrom: input.onRollFrom } });
        // The youngest year starting on the first day of the school year is not returned (DESIGN.md §8).
        const terms = (await academyCalendar(tx, academy.id)).terms;
        const firstTerm = terms.filter((t) => t.start <= from).at(-1);
        const yearStart = firstTerm ? terms.find((t) => t.academicYear === firstTerm.academicYear) : undefined;
        const youngest = await tx.form.aggregate({ where: { academyId: academy.id }, _min: { yearGroup: true } });
        const exempt = yearStart !== undefined && yearStart.start === from && youngest._min.yearGroup === input.yearGroup;
        if (!exempt) queued = await queueReturn(tx, academy, created.id, enrolment.id, "NEW_ENTRY", from);
        return created;
      }).catch((error: unknown) => {
        // Two admissions of one UPN at once: both passed the check above, the
        // unique index (trust_id, upn) let one in.
        if (isUniqueViolation(error)) throw conflict("A pupil with this UPN was admitted at the same moment: reload the roll.");
        throw error;
      });
      ctx.eventsQueued?.(queued);
      return ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: pupil.id } });
    },
  }),

  deleteFromRoll: t.prismaField({
    type: "Enrolment",
    description:
      "Deletes a pupil from the admission register on a lawful ground (regulation 9(1)) from their last day on roll, and queues the return to the local authority. Grounds the record can check are checked: (h) needs authorised leave that ended at least 10 school days before; (i) needs 20 consecutive school days of unexplained absence. Marks are kept. Headteachers and academy admins only.",
    args: {
      input: t.arg({
        type: builder.inputType("DeleteFromRollInput", {
          description: "The deletion.",
          fields: (f) => ({
            pupilId: f.globalID({ required: true, description: "The pupil." }),
            lastDayOnRoll: f.field({ type: "Date", required: true, description: "The last day on roll." }),
            ground: f.field({ type: DeletionGroundEnum, required: true, description: "The lawful ground." }),
            note: f.string({ required: true, description: "The evidence for the ground (1 to 1000 characters)." }),
          }),
        }),
        required: true,
        description: "The deletion.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const pupil = input.pupilId.typename === "Pupil" ? await ctx.prisma.pupil.findUnique({ where: { id: input.pupilId.id }, select: { id: true, academyId: true } }) : null;
      if (!pupil || !can(ctx.actor, "configureAcademy", pupil.academyId)) throw forbidden("You may not change this academy's roll.", { capabilities: ["configureAcademy"] });
      const academy = await ctx.prisma.academy.findUniqueOrThrow({ where: { id: pupil.academyId }, select: { id: true, localAuthorityId: true } });
      const last = isoDateOf(input.lastDayOnRoll);
      const problems: InputProblem[] = [];
      const note = requiredText(input.note, "note", 1000, problems, "Give the evidence in 1 to 1000 characters.");
      const enrolment = await ctx.prisma.enrolment.findFirst({ where: { pupilId: pupil.id, academyId: academy.id, onRollTo: null }, orderBy: { onRollFrom: "desc" } });
      if (!enrolment) throw conflict("The pupil is not on roll.");
      if (last < isoDateOf(enrolment.onRollFrom)) problems.push({ field: "lastDayOnRoll", message: "Before the pupil joined." });
      const calendar = await academyCalendar(ctx.prisma, academy.id);
      if (input.ground === "CONTINUOUSLY_ABSENT_20_DAYS") {
        const marks = await ctx.prisma.currentMark.findMany({ where: { pupilId: pupil.id, date: { lte: input.lastDayOnRoll } }, select: { date: true, code: true } });
        const days = new Map<string, string[]>();
        for (const m of marks) days.set(isoDateOf(m.date), [...(days.get(isoDateOf(m.date)) ?? []), m.code]);
        const run = unexplainedAbsenceRun([...days].map(([date, codes]) => ({ date, codes })), last);
        if ((run?.schoolDays ?? 0) < 20) {
          problems.push({ field: "ground", message: `Ground (i) needs 20 consecutive school days of unexplained absence; the register shows ${run?.schoolDays ?? 0}.` });
        }
      }
      if (input.ground === "NOT_RETURNED_AFTER_LEAVE") {
        const leave = await ctx.prisma.leaveRequest.findFirst({ where: { pupilId: pupil.id, status: "AUTHORISED", toDate: { lt: input.lastDayOnRoll } }, orderBy: { toDate: "desc" } });
        if (!leave || addSchoolDays(calendar, isoDateOf(leave.toDate), 10) > last) {
          problems.push({ field: "ground", message: "Ground (h) needs authorised leave that ended at least 10 school days before the last day on roll." });
        }
      }
      if (problems.length > 0) throw badInput("The pupil was not deleted from the roll.", problems);
      const queued = await ctx.prisma.$transaction(async (tx) => {
        const updated = await tx.enrolment.updateMany({
          where: { id: enrolment.id, onRollTo: null },
          data: { onRollTo: input.lastDayOnRoll, deletionGround: input.ground, deletionNote: note },
        });
        if (updated.count === 0) throw conflict("The pupil was deleted from the roll at the same moment: reload.");
        return queueReturn(tx, academy, pupil.id, enrolment.id, "DELETION", last);
      });
      ctx.eventsQueued?.(queued);
      return ctx.prisma.enrolment.findUniqueOrThrow({ ...query, where: { id: enrolment.id } });
    },
  }),

  markReturnSent: t.prismaField({
    type: "LocalAuthorityNotification",
    description: "Records that a return was sent to the local authority. CONFLICT if it already was. Staff who work cases only.",
    args: { returnId: t.arg.globalID({ required: true, description: "The return." }) },
    resolve: async (query, _root, args, ctx) => {
      const row = args.returnId.typename === "LocalAuthorityReturn" ? await ctx.prisma.localAuthorityNotification.findUnique({ where: { id: args.returnId.id } }) : null;
      if (!row || !can(ctx.actor, "workCases", row.academyId)) throw forbidden("You may not send this academy's returns.", { capabilities: ["workCases"] });
      const updated = await ctx.prisma.localAuthorityNotification.updateMany({ where: { id: row.id, sentAt: null }, data: { sentAt: new Date() } });
      if (updated.count === 0) throw conflict("This return was already recorded as sent.");
      return ctx.prisma.localAuthorityNotification.findUniqueOrThrow({ ...query, where: { id: row.id } });
    },
  }),
}));



