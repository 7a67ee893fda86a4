// Subject access: the trust's data-protection officer (through a trust admin)
// exports everything held about one pupil (UK GDPR Art. 15). Audited by the
// read audit (packages/server/src/plugins/read-audit.ts) and never cached.
import { canInTrust } from "@attendance/core";
import { pupilRecords } from "@attendance/db";
import { builder } from "../builder.ts";
import { forbidden, notFound } from "../errors.ts";
import { subjectAccessDocument, type SubjectAccessDocument } from "../privacy-export.ts";

const CsvSection = builder.objectRef<SubjectAccessDocument["csv"][number]>("SubjectAccessCsv");
CsvSection.implement({
  description: "One kind of record about the pupil as a CSV table (header row first; cells that look like formulas are escaped).",
  fields: (t) => ({
    name: t.exposeString("name", { description: "The kind of record: pupil, enrolments, marks, leaveRequests, caseActions, letters, penaltyNotices, carers, notifications, auditEntries." }),
    rows: t.exposeInt("rows", { description: "How many records (rows after the header)." }),
    csv: t.exposeString("csv", { description: "The table as CSV (RFC 4180)." }),
  }),
});

const SubjectAccessExport = builder.objectRef<SubjectAccessDocument>("SubjectAccessExport");
SubjectAccessExport.implement({
  description: "Everything held about one pupil, for a subject access request (UK GDPR Art. 15): the pupil, enrolments, every mark with its amendments, leave requests, case actions, letters, penalty notices, carers, notifications to the local authority and the audit rows that name them.",
  fields: (t) => ({
    generatedAt: t.expose("generatedAt", { type: "DateTime", description: "When the export was made." }),
    json: t.expose("json", { type: "JSON", description: "Every record, by kind, as JSON." }),
    csv: t.field({ type: [CsvSection], description: "The same records, one CSV table per kind.", resolve: (d) => d.csv }),
  }),
});

builder.queryFields((t) => ({
  subjectAccessExport: t.field({
    type: SubjectAccessExport,
    description:
      "Everything held about the pupil with this UPN, for the trust's data-protection officer. Trust admins only (FORBIDDEN otherwise); NOT_FOUND alike for a UPN unknown and one on another trust's roll. Every call is audited.",
    args: { upn: t.arg.string({ required: true, description: "The pupil's Unique Pupil Number." }) },
    resolve: async (_root, { upn }, ctx) => {
      const actor = ctx.actor;
      // Decided before any look-up, so a refusal says nothing about the UPN.
      if (!actor || !canInTrust(actor, "exportPersonalData", actor.trustId)) throw forbidden("Only a trust admin may export a pupil's personal data.", { trustCapability: "exportPersonalData" });
      const pupil = await ctx.prisma.pupil.findFirst({ where: { upn, academy: { trustId: actor.trustId } }, select: { id: true } });
      const records = pupil && (await pupilRecords(ctx.prisma, pupil.id));
      if (!records) throw notFound("No pupil with that UPN in your trust.");
      return subjectAccessDocument(records);
    },
  }),
}));
