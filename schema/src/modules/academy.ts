// Academies: the schools of a trust.
import { builder } from "../builder.ts";
import { PhaseEnum } from "./enums.ts";
import { visibleAcademyIds, visibleFormsWhere, visiblePupilsWhere } from "../visibility.ts";
import { actorTrustId } from "../tenancy.ts";

export const AcademyNode = builder.prismaNode("Academy", {
  id: { field: "id" },
  description: "An academy (a school) in a trust.",
  // Its staff, and the trust admins who manage the trust's academies (one they
  // have just created is not yet in their sign-in's list).
  authScopes: (academy) => ({ $any: { academy: { academyId: academy.id, capability: "read" }, trust: { trustId: academy.trustId, capability: "manageAcademies" } } }),
  fields: (t) => ({
    urn: t.exposeInt("urn", { description: "Unique Reference Number (Get Information About Schools)." }),
    name: t.exposeString("name", { description: "The academy's name." }),
    phase: t.expose("phase", { type: PhaseEnum, description: "The phase of education it provides." }),
    timezone: t.exposeString("timezone", { description: "IANA time zone in which its register dates and times are read." }),
    trust: t.relation("trust", { description: "The trust the academy belongs to." }),
    localAuthority: t.relation("localAuthority", { description: "The local authority it is in." }),
    forms: t.relatedConnection("forms", {
      description: "Forms, tutor groups or classes, by year group and name.",
      cursor: "id",
      totalCount: true,
      args: { yearGroup: t.arg.int({ required: false, description: "Only forms of this year group." }) },
      query: (args, ctx) => ({
        where: { AND: [visibleFormsWhere(ctx.actor), args.yearGroup == null ? {} : { yearGroup: args.yearGroup }] },
        orderBy: [{ yearGroup: "asc" }, { name: "asc" }, { id: "asc" }],
      }),
    }),
    pupils: t.relatedConnection("pupils", {
      description: "Pupils whose current academy this is and whom you may see (a teacher: their own forms), by surname and forename.",
      cursor: "id",
      totalCount: true,
      args: { yearGroup: t.arg.int({ required: false, description: "Only pupils in this year group." }) },
      query: (args, ctx) => ({
        where: { AND: [visiblePupilsWhere(ctx.actor), args.yearGroup == null ? {} : { yearGroup: args.yearGroup }] },
        orderBy: [{ legalSurname: "asc" }, { legalForename: "asc" }, { id: "asc" }],
      }),
    }),
  }),
});

builder.queryFields((t) => ({
  academies: t.prismaConnection({
    type: "Academy",
    description: "The academies you may see, by name: all of your trust's for a trust role, your own for an academy role, an API client's own.",
    cursor: "id",
    totalCount: (_parent, _args, ctx) => ctx.prisma.academy.count({ where: { id: { in: visibleAcademyIds(ctx.actor) } } }),
    resolve: (query, _parent, _args, ctx) =>
      ctx.prisma.academy.findMany({
        ...query,
        where: { id: { in: visibleAcademyIds(ctx.actor) } },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      }),
  }),
  academy: t.prismaField({
    type: "Academy",
    nullable: true,
    description: "An academy of your trust by its URN: null if your trust has none with it, FORBIDDEN if it is one you may not see.",
    args: { urn: t.arg.int({ required: true, description: "The academy's Unique Reference Number." }) },
    // Another trust's academy is answered as an unknown URN is (tenancy.ts).
    resolve: (query, _parent, args, ctx) => {
      const trustId = actorTrustId(ctx);
      return trustId ? ctx.prisma.academy.findUnique({ ...query, where: { urn: args.urn, trustId } }) : null;
    },
  }),
}));
