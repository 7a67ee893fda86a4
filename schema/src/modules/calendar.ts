// An academy's school calendar: half terms and closures. Holidays are the gaps
// between half terms; possible sessions and school weeks follow from these
// (packages/core/src/calendar).
import { builder } from "../builder.ts";
import { SessionEnum } from "./enums.ts";

const ClosureKindEnum = builder.enumType("ClosureKind", {
  description: "Why an academy is closed on a day within a term.",
  values: {
    INSET: { description: "A staff training day: no sessions for pupils." },
    BANK_HOLIDAY: { description: "A bank holiday in term time." },
    PLANNED: { description: "A planned whole-school closure (code #)." },
    UNEXPECTED: { description: "The whole site unexpectedly closed (code Y4)." },
  },
});

builder.prismaObject("SchoolTerm", {
  description: "A half term of an academy's school year.",
  authScopes: (term) => ({ academy: { academyId: term.academyId, capability: "read" } }),
  fields: (t) => ({
    academicYear: t.exposeString("academicYear", { description: "The school year, e.g. \"2025/26\"." }),
    name: t.exposeString("name", { description: "e.g. \"Autumn 1\"." }),
    startDate: t.expose("startDate", { type: "Date", description: "First day (inclusive)." }),
    endDate: t.expose("endDate", { type: "Date", description: "Last day (inclusive)." }),
  }),
});

builder.prismaObject("SchoolClosure", {
  description: "Days, or one session, within a term when the academy does not meet.",
  authScopes: (closure) => ({ academy: { academyId: closure.academyId, capability: "read" } }),
  fields: (t) => ({
    kind: t.field({ type: ClosureKindEnum, description: "Why.", resolve: (c) => c.kind }),
    startDate: t.expose("startDate", { type: "Date", description: "First day (inclusive)." }),
    endDate: t.expose("endDate", { type: "Date", description: "Last day (inclusive)." }),
    session: t.expose("session", { type: SessionEnum, nullable: true, description: "Only this session, for a half-day closure." }),
    reason: t.exposeString("reason", { nullable: true, description: "What it is for." }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  terms: t.relation("terms", {
    description: "The academy's half terms, in date order.",
    query: { orderBy: { startDate: "asc" } },
  }),
  closures: t.relation("closures", {
    description: "Closures within terms (INSET days, bank holidays, closures), in date order.",
    query: { orderBy: { startDate: "asc" } },
  }),
}));
