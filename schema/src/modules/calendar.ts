// School calendars: half terms and closures for any school year, per academy,
// with a trust-wide calendar that academies inherit and override
// (packages/core/src/calendar/inheritance.ts). Holidays are the gaps between
// half terms; possible sessions and school weeks follow from these
// (packages/core/src/calendar). Nothing is deleted: replaced half terms and
// withdrawn closures stay, with who and when.
import {
  can,
  canInTrust,
  closureProblems,
  effectiveCalendar,
  isoDateOf,
  schoolTermsProblems,
  schoolYearBounds,
  strandedClosures,
  type Actor,
} from "@attendance/core";
import type { Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, conflict, forbidden, requiredText, type InputProblem } from "../errors.ts";
import { closureOf, termOf } from "../workflows/calendar.ts";
import { SessionEnum } from "./enums.ts";

type Db = Prisma.TransactionClient;

const ClosureKindEnum = builder.enumType("ClosureKind", {
  description: "Why an academy is closed on a day within a term.",
  values: {
    INSET: { description: "A staff training day: no sessions for pupils." },
    BANK_HOLIDAY: { description: "A bank holiday in term time." },
    PLANNED: { description: "A planned whole-school closure (code #)." },
    UNEXPECTED: { description: "The whole site unexpectedly closed (code Y4)." },
  },
});

const CalendarSourceEnum = builder.enumType("CalendarSource", {
  description: "Where an entry of an academy's calendar comes from.",
  values: {
    TRUST: { description: "The trust's calendar, which every academy of the trust inherits (half terms: for a school year in which the academy has none of its own)." },
    ACADEMY: { description: "The academy's own calendar." },
  },
});

/** Who may read a calendar row: an academy's, whoever reads the academy; the trust's, every member of the trust. */
const readScope = (row: { trustId: string; academyId: string | null }) =>
  row.academyId ? { academy: { academyId: row.academyId, capability: "read" as const } } : { memberOfTrust: row.trustId };

const SchoolTermRef = builder.prismaObject("SchoolTerm", {
  description: "A half term of a school year, the academy's own or its trust's.",
  authScopes: readScope,
  fields: (t) => ({
    academicYear: t.exposeString("academicYear", { description: "The school year, e.g. \"2025/26\"." }),
    name: t.exposeString("name", { description: "e.g. \"Autumn 1\"." }),
    startDate: t.expose("startDate", { type: "Date", description: "First day (inclusive)." }),
    endDate: t.expose("endDate", { type: "Date", description: "Last day (inclusive)." }),
    source: t.field({ type: CalendarSourceEnum, description: "The trust's calendar or the academy's own.", resolve: (r) => (r.academyId ? "ACADEMY" : "TRUST") }),
    setAt: t.expose("createdAt", { type: "DateTime", description: "When it was set." }),
    setBy: t.string({
      nullable: true,
      description: "Who set it (null: loaded with the data, or an API client: see the audit log).",
      select: { createdBy: { select: { displayName: true } } },
      resolve: (r) => r.createdBy?.displayName ?? null,
    }),
    replacedAt: t.expose("replacedAt", { type: "DateTime", nullable: true, description: "When a later change of the year's half terms replaced it (null: in force)." }),
  }),
});

export const SchoolClosureNode = builder.prismaNode("SchoolClosure", {
  id: { field: "id" },
  description: "Days, or one session, within a term when the academy does not meet: the academy's own or its trust's.",
  authScopes: readScope,
  fields: (t) => ({
    kind: t.field({ type: ClosureKindEnum, description: "Why.", resolve: (c) => c.kind }),
    startDate: t.expose("startDate", { type: "Date", description: "First day (inclusive)." }),
    endDate: t.expose("endDate", { type: "Date", description: "Last day (inclusive)." }),
    session: t.expose("session", { type: SessionEnum, nullable: true, description: "Only this session, for a half-day closure." }),
    reason: t.exposeString("reason", { nullable: true, description: "What it is for." }),
    source: t.field({ type: CalendarSourceEnum, description: "The trust's calendar or the academy's own.", resolve: (r) => (r.academyId ? "ACADEMY" : "TRUST") }),
    setAt: t.expose("createdAt", { type: "DateTime", description: "When it was added." }),
    setBy: t.string({
      nullable: true,
      description: "Who added it (null: loaded with the data, or an API client: see the audit log).",
      select: { createdBy: { select: { displayName: true } } },
      resolve: (r) => r.createdBy?.displayName ?? null,
    }),
    withdrawnBy: t.string({
      nullable: true,
      description: "Who withdrew it (null: in force, or withdrawn by an API client: see the audit log).",
      select: { withdrawnBy: { select: { displayName: true } } },
      resolve: (r) => r.withdrawnBy?.displayName ?? null,
    }),
    withdrawnAt: t.expose("withdrawnAt", { type: "DateTime", nullable: true, description: "When it was withdrawn (null: in force)." }),
    withdrawalReason: t.exposeString("withdrawalReason", { nullable: true, description: "Why it was withdrawn." }),
  }),
});

type TermRow = Prisma.SchoolTermGetPayload<object>;
type ClosureRow = Prisma.SchoolClosureGetPayload<object>;

interface YearCalendar {
  trustId: string;
  /** null: the trust's own calendar. */
  academyId: string | null;
  schoolYear: string;
  terms: TermRow[];
  closures: ClosureRow[];
}

const YearCalendarRef = builder.objectRef<YearCalendar>("SchoolYearCalendar");
YearCalendarRef.implement({
  description: "One school year of a calendar: an academy's (the trust's with the academy's own on top, each entry with its source) or the trust's.",
  authScopes: readScope,
  fields: (t) => ({
    schoolYear: t.exposeString("schoolYear", { description: "The school year, e.g. \"2026/27\" (1 September to 31 August)." }),
    terms: t.field({
      type: [SchoolTermRef],
      description: "The half terms in force, in date order: an academy's own for this year if it has any, else its trust's. Empty: no calendar for this year, so no sessions.",
      resolve: (c) => c.terms,
    }),
    closures: t.field({
      type: [SchoolClosureNode],
      description: "Closures in force within these half terms (the trust's and the academy's own), in date order.",
      resolve: (c) => c.closures,
    }),
  }),
});

/** A school year's name checked, or BAD_USER_INPUT naming `field`. */
function requireSchoolYear(schoolYear: string, field = "schoolYear"): { start: Date; end: Date } {
  const bounds = schoolYearBounds(schoolYear);
  if (!bounds) throw badInput("That is not a school year.", [{ field, message: 'A school year from 2000/01 to 2098/99, e.g. "2026/27".' }]);
  return { start: new Date(`${bounds.start}T00:00:00Z`), end: new Date(`${bounds.end}T00:00:00Z`) };
}

/** One school year of the trust's calendar (academyId null) or of an academy's effective calendar. */
export async function yearCalendar(db: Db, trustId: string, academyId: string | null, schoolYear: string): Promise<YearCalendar> {
  const year = requireSchoolYear(schoolYear);
  const inYear = { startDate: { lte: year.end }, endDate: { gte: year.start } };
  const [terms, closures] = await Promise.all([
    db.schoolTerm.findMany({ where: { trustId, OR: [{ academyId: null }, ...(academyId ? [{ academyId }] : [])], academicYear: schoolYear, replacedAt: null }, orderBy: { startDate: "asc" } }),
    db.schoolClosure.findMany({ where: { trustId, OR: [{ academyId: null }, ...(academyId ? [{ academyId }] : [])], withdrawnAt: null, ...inYear }, orderBy: [{ startDate: "asc" }, { id: "asc" }] }),
  ]);
  const layer = (own: boolean) => ({
    terms: terms.filter((r) => (r.academyId !== null) === own).map((row) => ({ ...termOf(row), row })),
    closures: closures.filter((r) => (r.academyId !== null) === own).map((row) => ({ ...closureOf(row), row })),
  });
  const merged = effectiveCalendar(layer(false), layer(true));
  return { trustId, academyId, schoolYear, terms: merged.terms.map((t) => t.row), closures: merged.closures.map((c) => c.row) };
}

builder.prismaObjectFields("Academy", (t) => ({
  terms: t.relation("terms", {
    description: "The academy's own half terms in force, of every school year, in date order (not those it inherits from its trust: see calendar).",
    query: { where: { replacedAt: null }, orderBy: { startDate: "asc" } },
  }),
  closures: t.relation("closures", {
    description: "The academy's own closures in force (INSET days, bank holidays, closures), in date order (not its trust's: see calendar).",
    query: { where: { withdrawnAt: null }, orderBy: { startDate: "asc" } },
  }),
  calendar: t.field({
    type: YearCalendarRef,
    description: "The academy's calendar for a school year: the trust's, with the academy's own half terms (if it has any that year) and closures on top, each entry with its source.",
    args: { schoolYear: t.arg.string({ required: true, description: "The school year, e.g. \"2026/27\"." }) },
    select: { id: true, trustId: true },
    resolve: (academy, args, ctx) => yearCalendar(ctx.prisma, academy.trustId, academy.id, args.schoolYear),
  }),
}));

builder.prismaObjectFields("Trust", (t) => ({
  calendar: t.field({
    type: YearCalendarRef,
    description: "The trust's own calendar for a school year, which its academies inherit (an academy's own half terms for a year replace it; closures add to it).",
    args: { schoolYear: t.arg.string({ required: true, description: "The school year, e.g. \"2026/27\"." }) },
    select: { id: true },
    resolve: (trust, args, ctx) => yearCalendar(ctx.prisma, trust.id, null, args.schoolYear),
  }),
}));

// ─── Changing calendars ───────────────────────────────────────────────────────

interface Scope {
  trustId: string;
  academyId: string | null;
}

/**
 * The calendar a change is for, if the actor may change it: an academy's
 * (its headteacher or admin, or an admin of its trust) or, with no academy,
 * the actor's own trust's (its admins). Another trust's academy is as unknown
 * as a missing one (schema/src/tenancy.ts).
 */
async function writableScope(db: Db, actor: Actor | null, academyUrn: number | null | undefined): Promise<Scope> {
  if (academyUrn == null) {
    if (!actor || !canInTrust(actor, "manageCalendar", actor.trustId)) throw forbidden("You may not change your trust's calendar.", { trustCapability: "manageCalendar" });
    return { trustId: actor.trustId, academyId: null };
  }
  const academy = await db.academy.findUnique({ where: { urn: academyUrn }, select: { id: true, trustId: true } });
  if (!academy || !(can(actor, "configureAcademy", academy.id) || canInTrust(actor, "manageCalendar", academy.trustId))) {
    throw forbidden("You may not change this academy's calendar.", { capabilities: ["configureAcademy"], trustCapability: "manageCalendar" });
  }
  return { trustId: academy.trustId, academyId: academy.id };
}

/** One calendar change at a time per trust: two at once could each pass the checks against what the other is replacing. */
async function lockCalendar(db: Db, trustId: string): Promise<void> {
  await db.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`calendar:${trustId}`}, 0))::text`;
}

const userId = (actor: Actor | null) => (actor?.kind === "user" ? actor.id : null);

const TermInput = builder.inputType("SchoolTermInput", {
  description: "A half term.",
  fields: (f) => ({
    name: f.string({ required: true, description: "e.g. \"Autumn 1\" (1 to 60 characters, unique in the year)." }),
    startDate: f.field({ type: "Date", required: true, description: "First day (inclusive), within the school year." }),
    endDate: f.field({ type: "Date", required: true, description: "Last day (inclusive), on or after the first." }),
  }),
});

const SetTermsInput = builder.inputType("SetSchoolTermsInput", {
  description: "The half terms of one school year of an academy's calendar or the trust's.",
  fields: (f) => ({
    academyUrn: f.int({ required: false, description: "The academy's URN; absent: your trust's calendar, which its academies inherit." }),
    schoolYear: f.string({ required: true, description: "The school year, e.g. \"2026/27\" (1 September to 31 August)." }),
    terms: f.field({
      type: [TermInput],
      required: true,
      description: "Every half term of the year, replacing those set before. Empty for an academy: it inherits the trust's half terms again.",
    }),
    reason: f.string({ required: true, description: "Why (kept in the audit log, 1 to 500 characters)." }),
  }),
});

const AddClosureInput = builder.inputType("AddSchoolClosureInput", {
  description: "A closure within a half term.",
  fields: (f) => ({
    academyUrn: f.int({ required: false, description: "The academy's URN; absent: your trust's calendar (a closure of every academy of the trust)." }),
    kind: f.field({ type: ClosureKindEnum, required: true, description: "Why the academy is closed." }),
    startDate: f.field({ type: "Date", required: true, description: "First closed day (inclusive)." }),
    endDate: f.field({ type: "Date", required: true, description: "Last closed day (inclusive): the same as startDate for one day or one session." }),
    session: f.field({ type: SessionEnum, required: false, description: "Only this session of the one day; absent: whole days." }),
    reason: f.string({ required: true, description: "What it is for, e.g. \"Snow: heating failed\" (1 to 500 characters)." }),
  }),
});

const WithdrawClosureInput = builder.inputType("WithdrawSchoolClosureInput", {
  description: "A closure to withdraw, and why.",
  fields: (f) => ({
    closureId: f.globalID({ required: true, description: "The closure's global ID." }),
    reason: f.string({ required: true, description: "Why (kept with the closure, 1 to 500 characters)." }),
  }),
});

builder.mutationFields((t) => ({
  setSchoolTerms: t.field({
    type: YearCalendarRef,
    description:
      "Sets the half terms of one school year of an academy's calendar (its headteacher or admin, or a trust admin) or of the trust's (trust admins), replacing those set before (kept, marked replaced). Refused with BAD_USER_INPUT naming the field, and nothing saved, for a school year that is not one, a half term outside it, ending before it starts or overlapping another, or half terms that would leave a closure in force outside every half term. Answers the academy's (or trust's) calendar for the year.",
    args: { input: t.arg({ type: SetTermsInput, required: true, description: "The half terms." }) },
    resolve: async (_root, { input }, ctx) => {
      const scope = await writableScope(ctx.prisma, ctx.actor, input.academyUrn);
      const terms = input.terms.map((x) => ({ name: x.name.trim(), start: isoDateOf(x.startDate), end: isoDateOf(x.endDate) }));
      const problems: InputProblem[] = schoolTermsProblems(input.schoolYear, terms);
      requiredText(input.reason, "reason", 500, problems);
      if (problems.length > 0) throw badInput("The half terms were not saved.", problems);
      await lockCalendar(ctx.prisma, scope.trustId);
      const year = input.schoolYear;
      const bounds = requireSchoolYear(year);
      const inYear = { withdrawnAt: null, startDate: { lte: bounds.end }, endDate: { gte: bounds.start } };
      // Closures that would be left outside every half term: the academy's
      // own (against its new half terms, or the trust's if it gives none),
      // or, for the trust's, its own and those of each academy inheriting the year.
      const proposed = terms.map((x) => ({ ...x, academicYear: year }));
      const checks: { closures: ClosureRow[]; terms: { name: string; academicYear: string; start: string; end: string }[] }[] = [];
      if (scope.academyId) {
        const inherited = proposed.length > 0 ? proposed : (await ctx.prisma.schoolTerm.findMany({ where: { trustId: scope.trustId, academyId: null, academicYear: year, replacedAt: null } })).map(termOf);
        checks.push({ closures: await ctx.prisma.schoolClosure.findMany({ where: { academyId: scope.academyId, ...inYear } }), terms: inherited });
      } else {
        const own = await ctx.prisma.schoolTerm.findMany({ where: { trustId: scope.trustId, academyId: { not: null }, academicYear: year, replacedAt: null }, select: { academyId: true } });
        const overriding = [...new Set(own.map((r) => r.academyId!))];
        checks.push({
          closures: await ctx.prisma.schoolClosure.findMany({ where: { trustId: scope.trustId, OR: [{ academyId: null }, { academyId: { notIn: overriding } }], ...inYear } }),
          terms: proposed,
        });
      }
      for (const check of checks) {
        const stranded = strandedClosures(check.closures.map(closureOf), check.terms);
        if (stranded.length > 0) {
          const dates = stranded.map((i) => isoDateOf(check.closures[i]!.startDate)).join(", ");
          throw badInput("The half terms were not saved.", [{ field: "terms", message: `Closures in force on ${dates} would be outside every half term: withdraw them first.` }]);
        }
      }
      const who = userId(ctx.actor);
      await ctx.prisma.schoolTerm.updateMany({
        where: { trustId: scope.trustId, academyId: scope.academyId, academicYear: year, replacedAt: null },
        data: { replacedAt: new Date(), replacedById: who },
      });
      if (proposed.length > 0) {
        await ctx.prisma.schoolTerm.createMany({
          data: proposed.map((x) => ({
            trustId: scope.trustId, academyId: scope.academyId, academicYear: year, name: x.name,
            startDate: new Date(`${x.start}T00:00:00Z`), endDate: new Date(`${x.end}T00:00:00Z`), createdById: who,
          })),
        });
      }
      return yearCalendar(ctx.prisma, scope.trustId, scope.academyId, year);
    },
  }),

  addSchoolClosure: t.prismaField({
    type: SchoolClosureNode,
    description:
      "Adds a closure (whole days, or one session of one day) to an academy's calendar (its headteacher or admin, or a trust admin) or to the trust's, which applies to every academy of the trust (trust admins). It must lie within one half term of that calendar: BAD_USER_INPUT naming the field otherwise, and nothing saved. A planned closure is recorded in the register as #, an unexpected one as Y4 (The School Attendance (Pupil Registration) (England) Regulations 2024, reg. 10).",
    args: { input: t.arg({ type: AddClosureInput, required: true, description: "The closure." }) },
    resolve: async (query, _root, { input }, ctx) => {
      const scope = await writableScope(ctx.prisma, ctx.actor, input.academyUrn);
      await lockCalendar(ctx.prisma, scope.trustId);
      const closure = { start: isoDateOf(input.startDate), end: isoDateOf(input.endDate), session: input.session ?? undefined, reason: input.reason };
      // Within a half term of the calendar it is added to: an academy's
      // (inherited or its own), or the trust's own.
      const trustLayer = { terms: (await ctx.prisma.schoolTerm.findMany({ where: { trustId: scope.trustId, academyId: null, replacedAt: null } })).map(termOf), closures: [] };
      const ownLayer = scope.academyId
        ? { terms: (await ctx.prisma.schoolTerm.findMany({ where: { trustId: scope.trustId, academyId: scope.academyId, replacedAt: null } })).map(termOf), closures: [] }
        : { terms: [], closures: [] };
      const problems: InputProblem[] = closureProblems(closure, effectiveCalendar(trustLayer, ownLayer).terms);
      if (problems.length > 0) throw badInput("The closure was not added.", problems);
      const created = await ctx.prisma.schoolClosure.create({
        data: {
          trustId: scope.trustId, academyId: scope.academyId, kind: input.kind, startDate: input.startDate, endDate: input.endDate,
          session: input.session ?? null, reason: input.reason.trim(), createdById: userId(ctx.actor),
        },
        select: { id: true },
      });
      return ctx.prisma.schoolClosure.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),

  withdrawSchoolClosure: t.prismaField({
    type: SchoolClosureNode,
    description:
      "Withdraws a closure (e.g. the snow cleared): it stays, with who withdrew it, when and why, and the academy meets on those days again. Who may add it may withdraw it. CONFLICT if it was already withdrawn.",
    args: { input: t.arg({ type: WithdrawClosureInput, required: true, description: "The closure and why." }) },
    resolve: async (query, _root, { input }, ctx) => {
      const closure = input.closureId.typename === "SchoolClosure"
        ? await ctx.prisma.schoolClosure.findUnique({ where: { id: input.closureId.id }, select: { id: true, trustId: true, academyId: true, withdrawnAt: true } })
        : null;
      const allowed = closure && (closure.academyId
        ? can(ctx.actor, "configureAcademy", closure.academyId) || canInTrust(ctx.actor, "manageCalendar", closure.trustId)
        : canInTrust(ctx.actor, "manageCalendar", closure.trustId));
      if (!closure || !allowed) throw forbidden("You may not withdraw this closure.", { capabilities: ["configureAcademy"], trustCapability: "manageCalendar" });
      const problems: InputProblem[] = [];
      const reason = requiredText(input.reason, "reason", 500, problems);
      if (problems.length > 0) throw badInput("The closure was not withdrawn.", problems);
      await lockCalendar(ctx.prisma, closure.trustId);
      const { count } = await ctx.prisma.schoolClosure.updateMany({
        where: { id: closure.id, withdrawnAt: null },
        data: { withdrawnAt: new Date(), withdrawnById: userId(ctx.actor), withdrawalReason: reason },
      });
      if (count === 0) throw conflict("This closure was already withdrawn.");
      return ctx.prisma.schoolClosure.findUniqueOrThrow({ ...query, where: { id: closure.id } });
    },
  }),
}));
