// Forms (tutor groups, classes): the unit a register is taken for.
import { builder } from "../builder.ts";

builder.prismaNode("Form", {
  id: { field: "id" },
  description: "A form, tutor group or class.",
  authScopes: (form) => ({ form: { academyId: form.academyId, formId: form.id, capability: "read" } }),
  fields: (t) => ({
    name: t.exposeString("name", { description: "The form's name, e.g. \"7B\"." }),
    yearGroup: t.exposeInt("yearGroup", { description: "National Curriculum year: -1 nursery, 0 Reception, 1–13." }),
    academy: t.relation("academy", { description: "The academy the form belongs to." }),
    pupils: t.relatedConnection("pupils", {
      description: "Pupils in the form, by surname and forename.",
      cursor: "id",
      totalCount: true,
      query: () => ({ orderBy: [{ legalSurname: "asc" }, { legalForename: "asc" }, { id: "asc" }] }),
    }),
  }),
});
