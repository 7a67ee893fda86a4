// Trusts: the tenant boundary for trust-wide users.
import { builder } from "../builder.ts";
import { visibleAcademyIds } from "../visibility.ts";

builder.prismaNode("Trust", {
  id: { field: "id" },
  description: "A multi-academy trust and its academies.",
  // Members of the trust only: trust roles, academy roles and API clients.
  authScopes: (trust) => ({ memberOfTrust: trust.id }),
  fields: (t) => ({
    slug: t.exposeString("slug", { description: "Stable short name, e.g. \"vale-academy-trust\"." }),
    name: t.exposeString("name", { description: "The trust's name." }),
    academies: t.relatedConnection("academies", {
      description: "The trust's academies that you may see, by name.",
      cursor: "id",
      totalCount: true,
      query: (_args, ctx) => ({
        where: { id: { in: visibleAcademyIds(ctx.actor) } },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      }),
    }),
  }),
});

builder.queryFields((t) => ({
  trusts: t.prismaConnection({
    type: "Trust",
    description: "Your trust (a list, so that the shape holds if one sign-in ever spans trusts).",
    cursor: "id",
    totalCount: (_parent, _args, ctx) => ctx.prisma.trust.count({ where: { id: ctx.actor?.trustId ?? "" } }),
    resolve: (query, _parent, _args, ctx) =>
      ctx.prisma.trust.findMany({ ...query, where: { id: ctx.actor?.trustId ?? "" }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  }),
}));
