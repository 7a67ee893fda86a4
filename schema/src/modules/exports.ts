// Exports: the termly school census attendance figures per pupil, attendance
// lists as CSV and the Common Transfer File of a leaving pupil. Each has the
// access rule of what it exports, decided before anything is read:
// - census figures and attendance lists: who may read the academy's
//   attendance statistics (a teacher: the pupils of their own forms);
// - a CTF: who may read the pupil's full record (the headteacher and academy
//   admins of the pupil's academy, and trust admins), and it is audited as a
//   read of personal data (packages/server/src/plugins/read-audit.ts).
import { resolveOffsetConnection } from "@pothos/plugin-relay";
import {
  can,
  canInTrust,
  censusFromCounts,
  censusReasonCodes,
  censusTermPeriod,
  dateOfIso,
  isoDateOf,
  schoolYearStart,
  type AttendanceCategory,
  type CensusFigures,
  type GroupFigures,
} from "@attendance/core";
import { Prisma } from "@attendance/db";
import { writeCtf } from "@attendance/exchange";
import { builder } from "../builder.ts";
import type { GraphQLContext } from "../context.ts";
import { MAX_PERIOD_DAYS, badInput, forbidden, notFound, requirePeriod } from "../errors.ts";
import { table } from "../privacy-export.ts";
import { readableScope } from "../visibility.ts";
import type { GroupKind } from "../statistics/sql.ts";

/** The most rows one CSV export holds: a large secondary's roll, or a term of its marks (OWASP API4:2023). */
export const MAX_CSV_ROWS = { pupils: 5_000, marks: 200_000 } as const;
/** A census term is at most five months; any other period for census figures at most a school year. */
const MAX_CENSUS_DAYS = 366;

// ─── Who may read what ─────────────────────────────────────────────────────────

interface AcademyScope {
  academyId: string;
  urn: number;
  name: string;
  /** Null: every pupil; otherwise only pupils of these forms (a teacher). */
  formIds: string[] | null;
}

/**
 * The academy named by URN, if the caller may read its attendance statistics.
 * Another trust's academy and an unknown URN are refused alike (FORBIDDEN, as
 * evaluateEscalations does), so the answer says nothing about which URNs exist.
 */
async function readableAcademy(ctx: GraphQLContext, urn: number): Promise<AcademyScope> {
  const academy = await ctx.prisma.academy.findUnique({ where: { urn }, select: { id: true, urn: true, name: true, trustId: true } });
  if (!academy || academy.trustId !== ctx.actor?.trustId || !can(ctx.actor, "read", academy.id)) {
    throw forbidden("You may not read this academy's attendance.", { capabilities: ["read"] });
  }
  const scope = readableScope(ctx.actor);
  const full = scope.academyIds.includes(academy.id);
  return { academyId: academy.id, urn: academy.urn, name: academy.name, formIds: full ? null : [...(ctx.actor.academies.get(academy.id)?.formIds ?? [])] };
}

/** Pupils on the academy's roll at any time in the period (SI 2024/208 regs 8–9), that the caller may see. */
function pupilsInPeriodWhere(scope: AcademyScope, from: string, to: string): Prisma.PupilWhereInput {
  return {
    enrolments: { some: { academyId: scope.academyId, onRollFrom: { lte: dateOfIso(to) }, OR: [{ onRollTo: null }, { onRollTo: { gte: dateOfIso(from) } }] } },
    ...(scope.formIds ? { formId: { in: scope.formIds } } : {}),
  };
}

// ─── Census figures ───────────────────────────────────────────────────────────

const CensusTermEnum = builder.enumType("CensusTerm", {
  description: "A school census term, as the Department for Education's census guide divides the school year for attendance.",
  values: {
    AUTUMN: { description: "1 August to 31 December (collected in the spring census)." },
    SPRING: { description: "1 January to Easter Sunday (collected in the summer census)." },
    SUMMER: { description: "Easter Monday to 31 July (collected in the autumn census)." },
  },
});

const censusArgs = builder.args((t) => ({
  academyUrn: t.int({ required: true, description: "The academy's URN." }),
  academicYear: t.string({ required: false, description: 'The school year, e.g. "2025/26" (with term).' }),
  term: t.field({ type: CensusTermEnum, required: false, description: "The census term (with academicYear)." }),
  from: t.field({ type: "Date", required: false, description: "Or: the first date (inclusive), with `to`." }),
  to: t.field({ type: "Date", required: false, description: "Or: the last date (inclusive), with `from`." }),
}));

interface CensusArgs {
  academyUrn: number;
  academicYear?: string | null;
  term?: "AUTUMN" | "SPRING" | "SUMMER" | null;
  from?: Date | null;
  to?: Date | null;
}

function censusPeriod(args: CensusArgs): { from: string; to: string } {
  if (args.term != null || args.academicYear != null) {
    if (args.from != null || args.to != null) throw badInput("Give academicYear and term, or from and to, not both.", [{ field: "from", message: "Not with a term." }]);
    const start = args.academicYear == null || args.academicYear.length > 7 ? undefined : schoolYearStart(args.academicYear);
    if (start === undefined) throw badInput("academicYear must be a school year such as 2025/26.", [{ field: "academicYear", message: "A school year such as 2025/26." }]);
    if (args.term == null) throw badInput("Give the census term with the school year.", [{ field: "term", message: "Required with academicYear." }]);
    return censusTermPeriod(start, args.term);
  }
  if (args.from == null || args.to == null) throw badInput("Give academicYear and term, or from and to.", [{ field: "from", message: "Required without a term." }]);
  return requirePeriod(args.from, args.to, MAX_CENSUS_DAYS);
}

interface CensusRow extends CensusFigures {
  pupilId: string;
  upn: string;
  legalSurname: string;
  legalForename: string;
  yearGroup: number;
}

const ReasonCount = builder.objectRef<{ code: string; sessions: number }>("CensusReasonCount");
ReasonCount.implement({
  description: "Sessions with one attendance code.",
  fields: (t) => ({
    code: t.exposeString("code", { description: "The attendance code (SI 2024/208 reg. 10)." }),
    sessions: t.exposeInt("sessions", { description: "How many sessions." }),
  }),
});

const counts = (record: Record<string, number>) => Object.entries(record).map(([code, sessions]) => ({ code, sessions })).sort((a, b) => a.code.localeCompare(b.code));

const CensusRowRef = builder.objectRef<CensusRow>("CensusAttendance");
CensusRowRef.implement({
  description:
    "One pupil's school census attendance at one academy for a period: possible sessions and the sessions missed for each absence reason, counted from the current version of each mark at that academy.",
  fields: (t) => ({
    pupil: t.prismaField({
      type: "Pupil",
      description: "The pupil.",
      resolve: (query, r, _a, ctx) => ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: r.pupilId } }),
    }),
    upn: t.exposeString("upn", { description: "The pupil's Unique Pupil Number." }),
    sessionsPossible: t.exposeInt("sessionsPossible", { description: "Sessions possible: every marked session whose code is not a not-possible code." }),
    sessionsAttended: t.exposeInt("sessionsAttended", { description: "Sessions present or at an approved educational activity." }),
    sessionsAuthorised: t.exposeInt("sessionsAuthorised", { description: "Sessions of authorised absence." }),
    sessionsUnauthorised: t.exposeInt("sessionsUnauthorised", { description: "Sessions of unauthorised absence (G, N, O, U)." }),
    reasons: t.field({ type: [ReasonCount], description: "Sessions missed, per absence reason code, codes with none left out.", resolve: (r) => counts(r.byReason) }),
    notCounted: t.field({ type: [ReasonCount], description: "Sessions with a not-possible code (X, Y1–Y7, Z, #, D, Q...), per code: outside every figure above.", resolve: (r) => counts(r.notCounted) }),
  }),
});

/** The census figures of these pupils at the academy: one SQL aggregate over their current marks. */
async function censusRows(ctx: GraphQLContext, academyId: string, from: string, to: string, pupils: { id: string; upn: string; legalSurname: string; legalForename: string; yearGroup: number }[]): Promise<CensusRow[]> {
  if (pupils.length === 0) return [];
  const rows = await ctx.prisma.$queryRaw<{ pupil_id: string; code: string; category: AttendanceCategory; sessions: number }[]>`
    SELECT pupil_id::text AS pupil_id, code, category::text AS category, count(*)::int AS sessions
    FROM current_mark
    WHERE academy_id = ${academyId}::uuid AND date BETWEEN ${from}::date AND ${to}::date AND pupil_id = ANY(${pupils.map((p) => p.id)}::uuid[])
    GROUP BY pupil_id, code, category`;
  const byPupil = new Map<string, typeof rows>();
  for (const row of rows) byPupil.set(row.pupil_id, [...(byPupil.get(row.pupil_id) ?? []), row]);
  return pupils.map((p) => ({ pupilId: p.id, upn: p.upn, legalSurname: p.legalSurname, legalForename: p.legalForename, yearGroup: p.yearGroup, ...censusFromCounts(byPupil.get(p.id) ?? []) }));
}

const PUPIL_ORDER = [{ legalSurname: "asc" }, { legalForename: "asc" }, { upn: "asc" }] satisfies Prisma.PupilOrderByWithRelationInput[];
const PUPIL_SELECT = { id: true, upn: true, legalSurname: true, legalForename: true, yearGroup: true, formId: true } as const;

/** A file made by an export: its suggested name, rows and text. */
interface ExportFile {
  fileName: string;
  rows: number;
  text: string;
  /** The pupil a CTF is about (for the read audit). */
  pupilId?: string;
}

const CsvExport = builder.objectRef<ExportFile>("CsvExport");
CsvExport.implement({
  description: "A CSV file (RFC 4180, header row first; cells that a spreadsheet would run as formulas are escaped).",
  fields: (t) => ({
    fileName: t.exposeString("fileName", { description: "A name to save it under." }),
    rows: t.exposeInt("rows", { description: "Rows after the header." }),
    csv: t.exposeString("text", { description: "The CSV text." }),
  }),
});

const CommonTransferFile = builder.objectRef<ExportFile>("CommonTransferFile");
CommonTransferFile.implement({
  description: "A DfE Common Transfer File (XML) for one pupil: identity, contacts, school history and attendance.",
  fields: (t) => ({
    fileName: t.exposeString("fileName", { description: "A name to save it under." }),
    xml: t.exposeString("text", { description: "The XML." }),
  }),
});

function censusCsv(rows: CensusRow[], to: string, name: string): ExportFile {
  const reasons = censusReasonCodes(to);
  for (const r of rows) for (const code of Object.keys(r.byReason)) if (!reasons.includes(code)) reasons.push(code);
  const notCounted = [...new Set(rows.flatMap((r) => Object.keys(r.notCounted)))].sort();
  const columns = ["UPN", "Surname", "Forename", "YearGroup", "SessionsPossible", "SessionsAttended", "SessionsAuthorised", "SessionsUnauthorised", ...reasons, ...notCounted.map((c) => `NotCounted_${c}`)];
  const text = table(
    rows.map((r) => ({
      UPN: r.upn, Surname: r.legalSurname, Forename: r.legalForename, YearGroup: r.yearGroup,
      SessionsPossible: r.sessionsPossible, SessionsAttended: r.sessionsAttended, SessionsAuthorised: r.sessionsAuthorised, SessionsUnauthorised: r.sessionsUnauthorised,
      ...Object.fromEntries(reasons.map((c) => [c, r.byReason[c] ?? 0])),
      ...Object.fromEntries(notCounted.map((c) => [`NotCounted_${c}`, r.notCounted[c] ?? 0])),
    })),
    columns,
  );
  return { fileName: name, rows: rows.length, text };
}

// ─── Attendance lists as CSV ───────────────────────────────────────────────────

const AttendanceListEnum = builder.enumType("AttendanceList", {
  description: "Which attendance list to export.",
  values: {
    PUPIL: { description: "One row per pupil: the figures of Pupil.attendance (every academy they attended, best mark of each session)." },
    FORM: { description: "One row per form: the figures of Form.attendance." },
    YEAR_GROUP: { description: "One row per year group: the figures of YearGroup.attendance." },
    MARK: { description: "One row per register entry: the current mark of each session (as Pupil.marks gives them)." },
  },
});

const FIGURE_COLUMNS = ["pupils", "possibleSessions", "present", "approvedActivity", "authorisedAbsence", "unauthorisedAbsence", "lateBeforeClose", "lateAfterClose", "persistentlyAbsent", "severelyAbsent"] as const;

function figureCells(f: GroupFigures | undefined) {
  const rate = (n: number) => (f && f.possibleSessions > 0 ? (n / f.possibleSessions).toFixed(4) : "");
  return {
    ...Object.fromEntries(FIGURE_COLUMNS.map((c) => [c, f?.[c] ?? 0])),
    attendanceRate: rate((f?.present ?? 0) + (f?.approvedActivity ?? 0)),
    absenceRate: rate((f?.authorisedAbsence ?? 0) + (f?.unauthorisedAbsence ?? 0)),
  };
}

async function figuresOf(ctx: GraphQLContext, kind: GroupKind, ids: string[], from: string, to: string) {
  const loaded = await Promise.all(ids.map((id) => ctx.loaders.statistics.load({ kind, id, from, to, cohort: {}, by: "TOTAL" })));
  return loaded.map((rows) => rows[0]);
}

async function attendanceCsv(ctx: GraphQLContext, scope: AcademyScope, list: "PUPIL" | "FORM" | "YEAR_GROUP" | "MARK", from: string, to: string): Promise<ExportFile> {
  const fileName = `${scope.urn}-${list.toLowerCase()}-${from}-${to}.csv`;
  const pupilsWhere = pupilsInPeriodWhere(scope, from, to);
  switch (list) {
    case "PUPIL": {
      const pupils = await ctx.prisma.pupil.findMany({ where: pupilsWhere, select: { ...PUPIL_SELECT, form: { select: { name: true } } }, orderBy: PUPIL_ORDER, take: MAX_CSV_ROWS.pupils + 1 });
      if (pupils.length > MAX_CSV_ROWS.pupils) throw badInput(`More than ${MAX_CSV_ROWS.pupils} rows: export a shorter list.`);
      const figures = await figuresOf(ctx, "PUPIL", pupils.map((p) => p.id), from, to);
      const rows = pupils.map((p, i) => ({ upn: p.upn, surname: p.legalSurname, forename: p.legalForename, yearGroup: p.yearGroup, form: p.form?.name ?? "", ...figureCells(figures[i]) }));
      return { fileName, rows: rows.length, text: table(rows, ["upn", "surname", "forename", "yearGroup", "form", ...FIGURE_COLUMNS, "attendanceRate", "absenceRate"]) };
    }
    case "FORM": {
      const forms = await ctx.prisma.form.findMany({
        where: { academyId: scope.academyId, ...(scope.formIds ? { id: { in: scope.formIds } } : {}) },
        select: { id: true, name: true, yearGroup: true },
        orderBy: [{ yearGroup: "asc" }, { name: "asc" }],
        take: MAX_CSV_ROWS.pupils,
      });
      const figures = await figuresOf(ctx, "FORM", forms.map((f) => f.id), from, to);
      const rows = forms.map((f, i) => ({ form: f.name, yearGroup: f.yearGroup, ...figureCells(figures[i]) }));
      return { fileName, rows: rows.length, text: table(rows, ["form", "yearGroup", ...FIGURE_COLUMNS, "attendanceRate", "absenceRate"]) };
    }
    case "YEAR_GROUP": {
      // Year-group figures cover a whole academy: a teacher limited to forms exports forms instead.
      if (scope.formIds) throw forbidden("Year-group figures are for staff who read the whole academy: export your forms (list FORM).", { capabilities: ["read"], formsOnly: true });
      const groups = await ctx.prisma.form.findMany({ where: { academyId: scope.academyId }, select: { yearGroup: true }, distinct: ["yearGroup"], orderBy: { yearGroup: "asc" } });
      const figures = await figuresOf(ctx, "YEAR_GROUP", groups.map((g) => `${scope.academyId}:${g.yearGroup}`), from, to);
      const rows = groups.map((g, i) => ({ yearGroup: g.yearGroup, ...figureCells(figures[i]) }));
      return { fileName, rows: rows.length, text: table(rows, ["yearGroup", ...FIGURE_COLUMNS, "attendanceRate", "absenceRate"]) };
    }
    case "MARK": {
      const marks = await ctx.prisma.currentMark.findMany({
        where: { academyId: scope.academyId, date: { gte: dateOfIso(from), lte: dateOfIso(to) }, pupil: scope.formIds ? { formId: { in: scope.formIds } } : {} },
        select: { date: true, session: true, code: true, category: true, minutesLate: true, version: true, pupil: { select: { upn: true, legalSurname: true, legalForename: true } } },
        orderBy: [{ date: "asc" }, { session: "asc" }, { pupilId: "asc" }],
        take: MAX_CSV_ROWS.marks + 1,
      });
      if (marks.length > MAX_CSV_ROWS.marks) throw badInput(`More than ${MAX_CSV_ROWS.marks} rows: export a shorter period.`);
      const rows = marks.map((m) => ({
        date: isoDateOf(m.date), session: m.session, upn: m.pupil.upn, surname: m.pupil.legalSurname, forename: m.pupil.legalForename,
        code: m.code, category: m.category, minutesLate: m.minutesLate, version: m.version,
      }));
      return { fileName, rows: rows.length, text: table(rows, ["date", "session", "upn", "surname", "forename", "code", "category", "minutesLate", "version"]) };
    }
  }
}

// ─── Fields ───────────────────────────────────────────────────────────────────

builder.queryFields((t) => ({
  censusAttendance: t.connection({
    type: CensusRowRef,
    description:
      "The school census attendance module for an academy: per pupil on its roll in the period, sessions possible and sessions missed per absence reason (DfE school census guide), for a census term or a period of at most a year. Pupils by surname. For who may read the academy's attendance (a teacher: their forms' pupils); FORBIDDEN alike for another trust's academy and an unknown URN.",
    args: censusArgs,
    resolve: async (_root, args, ctx) => {
      const scope = await readableAcademy(ctx, args.academyUrn);
      const { from, to } = censusPeriod(args);
      return resolveOffsetConnection({ args, defaultSize: 20, maxSize: 500 }, async ({ limit, offset }) => {
        const pupils = await ctx.prisma.pupil.findMany({ where: pupilsInPeriodWhere(scope, from, to), select: PUPIL_SELECT, orderBy: PUPIL_ORDER, skip: offset, take: limit });
        return censusRows(ctx, scope.academyId, from, to, pupils);
      });
    },
  }),

  censusAttendanceCsv: t.field({
    type: CsvExport,
    description:
      "censusAttendance as one CSV file: a row per pupil with sessions possible, attended, authorised, unauthorised, then one column per absence reason code in force and one per not-possible code used. Same access as censusAttendance; at most 5,000 pupils.",
    args: censusArgs,
    resolve: async (_root, args, ctx) => {
      const scope = await readableAcademy(ctx, args.academyUrn);
      const { from, to } = censusPeriod(args);
      const pupils = await ctx.prisma.pupil.findMany({ where: pupilsInPeriodWhere(scope, from, to), select: PUPIL_SELECT, orderBy: PUPIL_ORDER, take: MAX_CSV_ROWS.pupils + 1 });
      if (pupils.length > MAX_CSV_ROWS.pupils) throw badInput(`More than ${MAX_CSV_ROWS.pupils} pupils: ask for census figures page by page (censusAttendance).`);
      return censusCsv(await censusRows(ctx, scope.academyId, from, to, pupils), to, `${scope.urn}-census-${from}-${to}.csv`);
    },
  }),

  attendanceCsv: t.field({
    type: CsvExport,
    description:
      "An attendance list of an academy as CSV: per pupil, form or year group (the figures of their `attendance` fields), or every current mark, for a period of up to two school years. For who may read the academy's attendance (a teacher: their own forms); at most 5,000 rows (200,000 marks).",
    args: {
      academyUrn: t.arg.int({ required: true, description: "The academy's URN." }),
      list: t.arg({ type: AttendanceListEnum, required: true, description: "Which list." }),
      from: t.arg({ type: "Date", required: true, description: "First date (inclusive)." }),
      to: t.arg({ type: "Date", required: true, description: "Last date (inclusive)." }),
    },
    resolve: async (_root, args, ctx) => {
      const scope = await readableAcademy(ctx, args.academyUrn);
      const { from, to } = requirePeriod(args.from, args.to, MAX_PERIOD_DAYS.statistics);
      return attendanceCsv(ctx, scope, args.list, from, to);
    },
  }),

  ctfExport: t.field({
    type: CommonTransferFile,
    description:
      "A DfE Common Transfer File for the pupil with this UPN, as a leaving pupil: identity, carers with telephones and e-mail, school history at the trust's academies and every current mark at the pupil's academy. For the headteacher and academy admins of the pupil's academy and trust admins (FORBIDDEN otherwise); NOT_FOUND alike for a UPN unknown and one in another trust. Every call is audited.",
    args: {
      upn: t.arg.string({ required: true, description: "The pupil's Unique Pupil Number." }),
      destinationLea: t.arg.int({ required: false, description: "The receiving school's local authority code (three digits), when known." }),
      destinationEstab: t.arg.string({ required: false, description: "The receiving school's DfE establishment number (four digits), when known." }),
    },
    resolve: async (_root, args, ctx) => {
      const actor = ctx.actor!;
      // Who may read a full record: a trust admin (exportPersonalData), or the
      // headteacher or an academy admin (configureAcademy and readSensitive in
      // the pupil's academy). Refused before any look-up when the caller is
      // none of these anywhere, so that a refusal says nothing about the UPN.
      const fullRecordAt = (academyId: string) => canInTrust(actor, "exportPersonalData", actor.trustId) || (can(actor, "configureAcademy", academyId) && can(actor, "readSensitive", academyId));
      const anywhere = canInTrust(actor, "exportPersonalData", actor.trustId) || [...actor.academies.keys()].some(fullRecordAt);
      if (!anywhere) throw forbidden("Only the headteacher or an admin of the pupil's academy, or a trust admin, may export a pupil's record.", { capabilities: ["configureAcademy"], trustCapability: "exportPersonalData" });
      if (args.upn.length > 13) throw badInput("A UPN has 13 characters.", [{ field: "upn", message: "13 characters." }]);
      if (args.destinationEstab != null && !/^\d{4}$/.test(args.destinationEstab)) throw badInput("An establishment number has four digits.", [{ field: "destinationEstab", message: "Four digits." }]);
      if (args.destinationLea != null && (args.destinationLea < 100 || args.destinationLea > 999)) throw badInput("A local authority code has three digits.", [{ field: "destinationLea", message: "Three digits." }]);
      const pupil = await ctx.prisma.pupil.findFirst({
        where: { upn: args.upn, trustId: actor.trustId, anonymisedAt: null },
        include: {
          academy: { include: { localAuthority: true } },
          carers: { orderBy: { contactOrder: "asc" } },
          enrolments: { include: { academy: { include: { localAuthority: true } } }, orderBy: { onRollFrom: "asc" } },
        },
      });
      if (!pupil) throw notFound("No pupil with that UPN in your trust.");
      if (!fullRecordAt(pupil.academyId)) throw forbidden("Only the headteacher or an admin of the pupil's academy, or a trust admin, may export this pupil's record.", { capabilities: ["configureAcademy"], trustCapability: "exportPersonalData" });
      const marks = await ctx.prisma.currentMark.findMany({ where: { pupilId: pupil.id, academyId: pupil.academyId }, select: { date: true, session: true, code: true }, orderBy: [{ date: "asc" }, { session: "asc" }] });
      const school = (a: typeof pupil.academy) => ({ lea: a.localAuthority.code, urn: a.urn, name: a.name });
      const xml = writeCtf({
        source: school(pupil.academy),
        destination: args.destinationLea != null || args.destinationEstab != null ? { lea: args.destinationLea, estab: args.destinationEstab } : null,
        generatedAt: new Date(),
        pupil: {
          upn: pupil.upn, legalSurname: pupil.legalSurname, legalForename: pupil.legalForename, preferredForename: pupil.preferredForename,
          dateOfBirth: pupil.dateOfBirth ? isoDateOf(pupil.dateOfBirth) : "", gender: pupil.gender, yearGroup: pupil.yearGroup,
        },
        carers: pupil.carers.map((c) => ({
          contactOrder: c.contactOrder, salutation: c.salutation, forename: c.forename, surname: c.surname, relationship: c.relationship,
          parentalResponsibility: c.parentalResponsibility, addressLines: c.addressLines, email: c.email,
          telephones: Array.isArray(c.telephones) ? (c.telephones as { kind: "HOME" | "MOBILE" | "WORK" | "OTHER"; number: string }[]) : [],
        })),
        enrolments: pupil.enrolments.map((e) => ({ school: school(e.academy), entryDate: isoDateOf(e.onRollFrom), leavingDate: e.onRollTo ? isoDateOf(e.onRollTo) : null })),
        marks: marks.map((m) => ({ date: isoDateOf(m.date), session: m.session, code: m.code })),
      });
      return { fileName: `CTF_${pupil.academy.localAuthority.code}_${pupil.academy.urn}_${pupil.upn}.xml`, rows: 1, text: xml, pupilId: pupil.id };
    },
  }),
}));
