// Trusts: the tenant boundary for trust-wide users.
import { builder } from "../builder.ts";

builder.prismaNode("Trust", {
  id: { field: "id" },
  description: "A multi-academy trust and its academies.",
  fields: (t) => ({
    slug: t.exposeString("slug", { description: "Stable short name, e.g. \"vale-academy-trust\"." }),
    name: t.exposeString("name", { description: "The trust's name." }),
    academies: t.relatedConnection("academies", {
      description: "The trust's academies, by name.",
      cursor: "id",
      totalCount: true,
      query: () => ({ orderBy: [{ name: "asc" }, { id: "asc" }] }),
    }),
  }),
});

builder.queryFields((t) => ({
  trusts: t.prismaConnection({
    type: "Trust",
    description: "Trusts, by name.",
    cursor: "id",
    totalCount: (_parent, _args, ctx) => ctx.prisma.trust.count(),
    resolve: (query, _parent, _args, ctx) =>
      ctx.prisma.trust.findMany({ ...query, orderBy: [{ name: "asc" }, { id: "asc" }] }),
  }),
}));
