// Transfers within a trust (issue 15, item 2). A pupil moving between two
// academies of one trust keeps one record, its UPN (unique per trust), every
// enrolment and every mark: the leaving academy's entry is closed the day
// before the transfer date on the ground that the pupil is registered at
// another school (The School Attendance (Pupil Registration) (England)
// Regulations 2024, reg. 9(1), DeletionGround.REGISTERED_ELSEWHERE), the
// receiving academy's is opened on it (reg. 8), the pupil's carers move with
// them, and each academy's local authority gets its return (a deletion, a new entry) as deleteFromRoll and
// admitPupil queue them. The rules on dates are packages/core's planTransfer.
//
// Who: a trust admin (the trust is the proprietor of both academies and keeps
// both registers), or the receiving academy's headteacher or academy admin
// (they admit the pupil; the leaving academy's deletion follows from that
// admission and cannot be made on any other ground here). The leaving
// academy's staff cannot move a pupil into another academy.
import { can, canInTrust, dateOfIso, isoDateOf, planTransfer } from "@attendance/core";
import { builder } from "../builder.ts";
import { badInput, conflict, forbidden, isUniqueViolation, type InputProblem } from "../errors.ts";
import { actorTrustId } from "../tenancy.ts";
import { queueReturn } from "./roll.ts";

const NOTE_MAX = 1000;
const UPN = /^[A-Z]\d{11}[0-9A-Z]$/;

builder.mutationFields((t) => ({
  transferPupil: t.prismaField({
    type: "Pupil",
    description:
      "Moves a pupil from their academy to another academy of the same trust from a date, keeping their record, UPN, enrolments and marks: the leaving academy's enrolment is closed the day before on the ground that the pupil is registered at another school (2024 Regulations, reg. 9(1)), a new one opens at the receiving academy, the form is cleared (or set to formId), and both local authorities' returns are queued. Refused, changing nothing, if the leaving academy has marks on or after the date or the receiving one before it. Trust admins, and the receiving academy's headteachers and academy admins.",
    args: {
      input: t.arg({
        type: builder.inputType("TransferPupilInput", {
          description: "The transfer.",
          fields: (f) => ({
            upn: f.string({ required: true, description: "The pupil's Unique Pupil Number (13 characters)." }),
            toAcademyUrn: f.int({ required: true, description: "The receiving academy's URN: an academy of the same trust." }),
            date: f.field({ type: "Date", required: true, description: "The first day on the receiving academy's roll; the leaving academy's last day is the day before." }),
            formId: f.globalID({ required: false, description: "A form of the receiving academy to join (default: none)." }),
            note: f.string({ required: false, description: `Evidence for the leaving academy's deletion, up to ${NOTE_MAX} characters (default: the receiving academy and date).` }),
          }),
        }),
        required: true,
        description: "The transfer.",
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const trustId = actorTrustId(ctx);
      // Authorization first, on the receiving academy alone (looked up in the
      // caller's trust only: another trust's URN is answered as an unknown one).
      const mayForTrust = trustId !== null && canInTrust(ctx.actor, "transferPupils", trustId);
      const to = trustId
        ? await ctx.prisma.academy.findFirst({ where: { urn: input.toAcademyUrn, trustId }, select: { id: true, name: true, urn: true, trustId: true, localAuthorityId: true } })
        : null;
      if (!to) {
        if (mayForTrust) {
          throw badInput("The pupil was not transferred.", [{ field: "toAcademyUrn", reason: "NOT_IN_TRUST", message: "No academy of your trust has this URN: a transfer is within one trust." }]);
        }
        throw forbidden("You may not admit pupils to this academy.", { capabilities: ["configureAcademy"], trustCapability: "transferPupils" });
      }
      if (!mayForTrust && !can(ctx.actor, "configureAcademy", to.id)) throw forbidden("You may not admit pupils to this academy.", { capabilities: ["configureAcademy"] });

      const problems: InputProblem[] = [];
      if (!UPN.test(input.upn)) problems.push({ field: "upn", message: "A UPN is a letter, 11 digits and a check character (13 characters)." });
      const note = input.note?.trim() ?? "";
      if (note.length > NOTE_MAX) problems.push({ field: "note", message: `At most ${NOTE_MAX} characters.` });
      let formId: string | null = null;
      if (input.formId) {
        const form = input.formId.typename === "Form" ? await ctx.prisma.form.findUnique({ where: { id: input.formId.id }, select: { academyId: true } }) : null;
        if (form?.academyId !== to.id) problems.push({ field: "formId", message: "Not a form of the receiving academy." });
        else formId = input.formId.id;
      }
      if (problems.length > 0) throw badInput("The pupil was not transferred.", problems);

      // The pupil, in the caller's trust only (UPNs are unique per trust): both
      // academies are then of one trust by construction.
      const pupil = await ctx.prisma.pupil.findUnique({
        where: { trustId_upn: { trustId: to.trustId, upn: input.upn } },
        select: { id: true, academyId: true, trustId: true, enrolments: { select: { id: true, academyId: true, onRollFrom: true, onRollTo: true } } },
      });
      if (!pupil) {
        throw badInput("The pupil was not transferred.", [{ field: "upn", reason: "NOT_IN_TRUST", message: "No pupil of your trust has this UPN: one from another trust is admitted with admitPupil." }]);
      }
      const date = isoDateOf(input.date);
      const day = dateOfIso(date);
      const [laterAtLeaving, earlierAtReceiving] = await Promise.all([
        ctx.prisma.currentMark.findFirst({ where: { pupilId: pupil.id, academyId: pupil.academyId, date: { gte: day } }, orderBy: { date: "asc" }, select: { date: true } }),
        ctx.prisma.currentMark.findFirst({ where: { pupilId: pupil.id, academyId: to.id, date: { lt: day } }, orderBy: { date: "desc" }, select: { date: true } }),
      ]);
      const plan = planTransfer({
        fromAcademyId: pupil.academyId,
        toAcademyId: to.id,
        date,
        spells: pupil.enrolments.map((e) => ({ academyId: e.academyId, from: isoDateOf(e.onRollFrom), to: e.onRollTo ? isoDateOf(e.onRollTo) : null })),
        firstMarkFromDateAtLeaving: laterAtLeaving ? isoDateOf(laterAtLeaving.date) : null,
        lastMarkBeforeDateAtReceiving: earlierAtReceiving ? isoDateOf(earlierAtReceiving.date) : null,
      });
      if (plan.problems.length > 0) throw badInput("The pupil was not transferred.", plan.problems);

      const leaving = plan.closing ? pupil.enrolments.find((e) => e.academyId === pupil.academyId && e.onRollTo === null) ?? null : null;
      const from = await ctx.prisma.academy.findUniqueOrThrow({ where: { id: pupil.academyId }, select: { id: true, localAuthorityId: true } });
      const deletionNote = note || `Registered at ${to.name} (URN ${to.urn}) from ${date}: a transfer within the trust.`;
      const queued = await ctx.prisma
        .$transaction(async (tx) => {
          let events = 0;
          if (leaving) {
            const closed = await tx.enrolment.updateMany({
              where: { id: leaving.id, onRollTo: null },
              data: { onRollTo: dateOfIso(plan.lastDayOnRoll), deletionGround: "REGISTERED_ELSEWHERE", deletionNote },
            });
            if (closed.count === 0) throw conflict("The pupil's roll changed at the same moment: reload.");
            events += await queueReturn(tx, from, pupil.id, leaving.id, "DELETION", plan.lastDayOnRoll);
          }
          // The record moves only if it is still where it was read (a concurrent transfer loses).
          const moved = await tx.pupil.updateMany({ where: { id: pupil.id, academyId: pupil.academyId }, data: { academyId: to.id, formId } });
          if (moved.count === 0) throw conflict("The pupil was moved at the same moment: reload.");
          // The parents come with the child: the receiving academy makes the
          // first-day calls and addresses letters and penalty notices to them.
          // Letters and notices already sent stay the leaving academy's record.
          await tx.carer.updateMany({ where: { pupilId: pupil.id }, data: { academyId: to.id } });
          const joining = await tx.enrolment.create({ data: { pupilId: pupil.id, academyId: to.id, onRollFrom: day } });
          events += await queueReturn(tx, to, pupil.id, joining.id, "NEW_ENTRY", date);
          return events;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw conflict("The pupil was moved at the same moment: reload.");
          throw error;
        });
      ctx.eventsQueued?.(queued);
      return ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: pupil.id } });
    },
  }),
}));
