// Local authorities: their codes of conduct apply to the academies in their area.
import { builder } from "../builder.ts";

builder.prismaObject("LocalAuthority", {
  description: "An English local authority.",
  // Public information; signing in is enough.
  authScopes: { authenticated: true },
  fields: (t) => ({
    code: t.exposeInt("code", { description: "The Department for Education's three-digit LA code, e.g. 203 for Greenwich." }),
    name: t.exposeString("name", { description: "The local authority's name." }),
  }),
});
