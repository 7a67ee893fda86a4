// Pupils, with the cohort flags that statistics are broken down by.
import { builder } from "../builder.ts";
import { GenderEnum, SenProvisionEnum } from "./enums.ts";
import { actorTrustId } from "../tenancy.ts";

/**
 * Safeguarding and cohort flags: for roles that act on them (issue 4). Null,
 * with a FORBIDDEN error, for a teacher or an API client without read:sensitive.
 */
const sensitive = (pupil: { academyId: string }) => ({ academy: { academyId: pupil.academyId, capability: "readSensitive" as const } });

export const PupilNode = builder.prismaNode("Pupil", {
  id: { field: "id" },
  description: "A pupil on an academy's roll.",
  // Select mode: a pupil row brings only the columns its fields ask for
  // (an exposed field selects its own), not all twenty-two. An officer's
  // forms list a thousand pupils, and mapping every column of each cost
  // about 14 ms of CPU a request against under 2 ms for the four asked for
  // (issue 17, item 1; README, Benchmarks, "The officer's forms"). The
  // academy and form are always loaded: authScopes reads them.
  select: { id: true, academyId: true, formId: true },
  // Staff of the pupil's academy (a teacher: of the pupil's form), trust staff,
  // and API clients for the academy.
  authScopes: (pupil) => ({ form: { academyId: pupil.academyId, formId: pupil.formId, capability: "read" } }),
  fields: (t) => ({
    upn: t.exposeString("upn", { description: "Unique Pupil Number (13 characters)." }),
    legalForename: t.exposeString("legalForename", { description: "Legal forename." }),
    legalSurname: t.exposeString("legalSurname", { description: "Legal surname." }),
    preferredForename: t.exposeString("preferredForename", {
      nullable: true,
      description: "The forename the pupil is known by, if not their legal one.",
    }),
    displayName: t.string({
      description: "Preferred (or legal) forename and surname, for lists and letters.",
      select: { preferredForename: true, legalForename: true, legalSurname: true },
      resolve: (p) => `${p.preferredForename ?? p.legalForename} ${p.legalSurname}`,
    }),
    dateOfBirth: t.expose("dateOfBirth", { type: "Date", nullable: true, description: "Date of birth; null once the pupil is anonymised." }),
    anonymisedAt: t.expose("anonymisedAt", {
      type: "DateTime",
      nullable: true,
      description:
        "When the pupil was anonymised, six years after the last register entry about them (School Attendance (Pupil Registration) (England) Regulations 2024, reg. 14): names, date of birth, UPN, carers and free text gone, marks kept. Null until then.",
    }),
    gender: t.expose("gender", { type: GenderEnum, description: "Gender as recorded for the census." }),
    yearGroup: t.exposeInt("yearGroup", { description: "National Curriculum year: -1 nursery, 0 Reception, 1–13." }),
    form: t.relation("form", { nullable: true, description: "The pupil's current form, if they have one." }),
    academy: t.relation("academy", { description: "The pupil's current academy." }),
    senProvision: t.expose("senProvision", { type: SenProvisionEnum, description: "Special educational needs provision." }),
    freeSchoolMeals: t.exposeBoolean("freeSchoolMeals", {
      nullable: true,
      authScopes: sensitive,
      description: "Eligible for free school meals (FSM6).",
    }),
    pupilPremium: t.exposeBoolean("pupilPremium", {
      nullable: true,
      authScopes: sensitive,
      description: "Attracts pupil premium funding.",
    }),
    englishAdditionalLanguage: t.exposeBoolean("englishAdditionalLanguage", { description: "English is an additional language." }),
    lookedAfter: t.exposeBoolean("lookedAfter", {
      nullable: true,
      authScopes: sensitive,
      description: "A looked-after child.",
    }),
    hasSocialWorker: t.exposeBoolean("hasSocialWorker", {
      nullable: true,
      authScopes: sensitive,
      description: "Has a social worker (child in need or on a protection plan).",
    }),
  }),
});

builder.queryFields((t) => ({
  pupil: t.prismaField({
    type: "Pupil",
    nullable: true,
    description:
      "A pupil of your trust by Unique Pupil Number: null if your trust has none with it, FORBIDDEN if it is one you may not see.",
    args: { upn: t.arg.string({ required: true, description: "The pupil's Unique Pupil Number." }) },
    // Looked up in the caller's trust only (UPNs are unique per trust): another
    // trust's pupil is answered as an unknown UPN is (tenancy.ts).
    resolve: (query, _parent, args, ctx) => {
      const trustId = actorTrustId(ctx);
      return trustId ? ctx.prisma.pupil.findUnique({ ...query, where: { trustId_upn: { trustId, upn: args.upn } } }) : null;
    },
  }),
}));
