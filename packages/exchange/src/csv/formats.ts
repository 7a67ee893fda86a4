// The CSV import formats, one per kind of data (docs/import-formats.md): the
// columns of each, how a record becomes a row of an ImportBatch, and how a
// batch is written back as a file of that kind.
import { z } from "zod";
import { emptyBatch, type CalendarRow, type CarerRow, type FormRow, type ImportBatch, type ImportProblem, type MarkRow, type PupilRow, type StaffRow, type TelephoneKind } from "../rows.ts";
import { bool, date, email, instant, int, list, oneOf, text, upn } from "./cells.ts";
import { csvText, readCsv, type Column, type CsvRecord } from "./read.ts";

export type CsvKind = "pupils" | "carers" | "staff" | "forms" | "calendar" | "marks";
export const CSV_KINDS: readonly CsvKind[] = ["forms", "staff", "pupils", "carers", "calendar", "marks"];

const col = (name: string, required: boolean, schema: z.ZodType, description: string, example: string, code?: string): Column => ({
  name, required, schema, description, example, ...(code ? { code } : {}),
});

const UPN = col("upn", true, upn, "Unique Pupil Number, 13 characters, check letter verified", "K999000125001", "BAD_UPN");
const ACADEMY_ROLES = ["HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER", "TEACHER"] as const;
const TELEPHONE = z.string().transform((s, ctx) => {
  const m = /^(HOME|MOBILE|WORK|OTHER):\s*([0-9 +()-]{6,20})$/i.exec(s);
  if (!m) {
    ctx.addIssue({ code: "custom", message: "give KIND:number, KIND one of HOME, MOBILE, WORK, OTHER" });
    return z.NEVER;
  }
  return { kind: m[1]!.toUpperCase() as TelephoneKind, number: m[2]!.trim() };
});

/** The columns of each format, in the order a written file has them. */
export const CSV_COLUMNS: Record<CsvKind, readonly Column[]> = {
  pupils: [
    UPN,
    col("legal_forename", true, text(100), "Legal forename", "Robin"),
    col("legal_surname", true, text(100), "Legal surname", "Example"),
    col("preferred_forename", false, text(100), "Preferred forename", "Rob"),
    col("date_of_birth", true, date, "Date of birth", "2013-05-01"),
    col("gender", true, oneOf(["MALE", "FEMALE", "OTHER"]), "MALE, FEMALE or OTHER", "OTHER"),
    col("year_group", true, int(-1, 13), "National Curriculum year: -1 nursery, 0 reception, 1–13", "7"),
    col("form", false, text(50), "Form name (in the academy, or in a forms file imported first)", "7A"),
    col("on_roll_from", true, date, "First day on the academy's admission register", "2025-09-03"),
    col("sen_provision", false, oneOf(["NONE", "SEN_SUPPORT", "EHCP"]), "NONE, SEN_SUPPORT or EHCP (default NONE)", "NONE"),
    col("free_school_meals", false, bool, "FSM eligible in the last six years (default false)", "false"),
    col("pupil_premium", false, bool, "Pupil premium (default false)", "false"),
    col("english_additional_language", false, bool, "English as an additional language (default false)", "false"),
    col("looked_after", false, bool, "Looked after by a local authority (default false)", "false"),
    col("has_social_worker", false, bool, "Has a social worker (default false)", "false"),
    col("registration_type", false, oneOf(["SINGLE", "DUAL_MAIN", "DUAL_SUBSIDIARY"]), "SINGLE, DUAL_MAIN or DUAL_SUBSIDIARY (census enrolment status C, M, S; default SINGLE), read when the pupil is admitted", "SINGLE"),
  ],
  carers: [
    UPN,
    col("contact_order", true, int(1, 9), "1 for the first contact", "1"),
    col("salutation", true, text(100), "How a letter addresses them", "Ms Example"),
    col("forename", true, text(100), "Forename", "Alex"),
    col("surname", true, text(100), "Surname", "Example"),
    col("relationship", false, text(10), "CBDS relationship code (PAM mother, PAF father, CAR carer, OTH other)", "PAM"),
    col("parental_responsibility", false, bool, "Holds parental responsibility (default true)", "true"),
    col("address", false, list(text(200), 8), "Address lines separated by |", "1 Example Street|Exampleton|EX1 1AA"),
    col("telephones", false, list(TELEPHONE, 6), "KIND:number separated by |, first to try first", "MOBILE:07700 900123|HOME:01632 960123"),
    col("email", false, email, "E-mail address", "alex@example.org"),
    col("no_contact", false, bool, "The school must not contact them (default false)", "false"),
  ],
  staff: [
    col("email", true, email, "E-mail address: the member of staff's key", "r.teacher@example.org"),
    col("display_name", true, text(200), "Name as shown", "R Teacher"),
    col("subject", false, text(200), "Identity provider subject (sub), when tokens do not carry the user's id", "auth0|123"),
    col("role", true, oneOf(ACADEMY_ROLES), "HEADTEACHER, ACADEMY_ADMIN, ATTENDANCE_OFFICER or TEACHER in the import's academy", "TEACHER"),
  ],
  forms: [
    col("name", true, text(50), "Form name, unique in the academy", "7A"),
    col("year_group", true, int(-1, 13), "National Curriculum year", "7"),
    col("tutor_emails", false, list(email, 10), "Tutors' e-mail addresses separated by | (staff that exist or are in a staff file)", "r.teacher@example.org"),
  ],
  calendar: [
    col("kind", true, oneOf(["TERM", "CLOSURE"]), "TERM (a half term) or CLOSURE", "TERM"),
    col("academic_year", false, z.string().regex(/^\d{4}\/\d{2}$/, "give the school year as 2025/26"), "School year (default: the start date's)", "2025/26"),
    col("name", true, text(200), "Half-term name, or the closure's reason", "Autumn 1"),
    col("start_date", true, date, "First day", "2025-09-03"),
    col("end_date", true, date, "Last day", "2025-10-24"),
    col("closure_kind", false, oneOf(["INSET", "BANK_HOLIDAY", "PLANNED", "UNEXPECTED"]), "For a closure: INSET, BANK_HOLIDAY, PLANNED or UNEXPECTED", "INSET"),
    col("session", false, oneOf(["AM", "PM"]), "For a half-day closure: AM or PM", ""),
  ],
  marks: [
    UPN,
    col("date", true, date, "The register's date", "2025-09-03"),
    col("session", true, oneOf(["AM", "PM"]), "AM or PM", "AM"),
    col("code", true, text(3), "National attendance code in force on the date (/ \\ L U I M …)", "/"),
    col("minutes_late", false, int(0, 300), "Minutes late, for L or U", ""),
    col("note", false, text(500), "A note with the mark", ""),
    col("arrived_at", false, instant, "When a late pupil arrived, with its offset (for L or U)", ""),
    col("recorded_by", false, email, "E-mail of the member of staff who recorded it (staff of the academy or in a staff file)", "r.teacher@example.org"),
    col("recorded_at", false, instant, "When it was recorded, with its offset (default: the time of the import)", "2025-09-03T07:55:00Z"),
    col("amendment_reason", false, text(500), "Why a recorded mark was changed, for a row that amends one (default: Imported from <file> line <n>)", ""),
  ],
};

type Reader<R> = (r: CsvRecord, source: { file: string; line: number }, problems: ImportProblem[]) => R | undefined;
const v = <T>(r: CsvRecord, name: string) => r.values[name] as T;
const opt = <T>(r: CsvRecord, name: string) => (name in r.values ? (r.values[name] as T) : undefined);

const rowReaders: { [K in CsvKind]: Reader<unknown> } = {
  pupils: (r, source): PupilRow => ({
    source,
    upn: v(r, "upn"),
    legalForename: v(r, "legal_forename"),
    legalSurname: v(r, "legal_surname"),
    preferredForename: opt(r, "preferred_forename") ?? null,
    dateOfBirth: v(r, "date_of_birth"),
    gender: v(r, "gender"),
    yearGroup: v(r, "year_group"),
    form: opt(r, "form") ?? null,
    onRollFrom: v(r, "on_roll_from"),
    senProvision: opt(r, "sen_provision") ?? "NONE",
    freeSchoolMeals: opt(r, "free_school_meals") ?? false,
    pupilPremium: opt(r, "pupil_premium") ?? false,
    englishAdditionalLanguage: opt(r, "english_additional_language") ?? false,
    lookedAfter: opt(r, "looked_after") ?? false,
    hasSocialWorker: opt(r, "has_social_worker") ?? false,
    registrationType: opt(r, "registration_type") ?? "SINGLE",
  }),
  carers: (r, source): CarerRow => ({
    source,
    upn: v(r, "upn"),
    contactOrder: v(r, "contact_order"),
    salutation: v(r, "salutation"),
    forename: v(r, "forename"),
    surname: v(r, "surname"),
    relationship: opt<string>(r, "relationship")?.toUpperCase() ?? null,
    parentalResponsibility: opt(r, "parental_responsibility") ?? true,
    addressLines: opt(r, "address") ?? [],
    telephones: opt(r, "telephones") ?? [],
    email: opt(r, "email") ?? null,
    noContact: opt(r, "no_contact") ?? false,
  }),
  staff: (r, source): StaffRow => ({ source, email: v(r, "email"), displayName: v(r, "display_name"), subject: opt(r, "subject") ?? null, role: v(r, "role") }),
  forms: (r, source): FormRow => ({ source, name: v(r, "name"), yearGroup: v(r, "year_group"), tutorEmails: opt(r, "tutor_emails") ?? [] }),
  calendar: (r, source, problems): CalendarRow | undefined => {
    const kind = v<"TERM" | "CLOSURE">(r, "kind");
    const row: CalendarRow = {
      source, kind, name: v(r, "name"), startDate: v(r, "start_date"), endDate: v(r, "end_date"),
      ...(opt(r, "academic_year") ? { academicYear: v<string>(r, "academic_year") } : {}),
      ...(opt(r, "closure_kind") ? { closureKind: v<string>(r, "closure_kind") } : {}),
      session: opt(r, "session") ?? null,
    };
    if (row.endDate < row.startDate) problems.push({ source, field: "end_date", code: "BAD_VALUE", message: `end_date ${row.endDate} is before start_date ${row.startDate}.` });
    else if (kind === "CLOSURE" && !row.closureKind) problems.push({ source, field: "closure_kind", code: "MISSING_VALUE", message: "A closure needs its closure_kind." });
    else if (kind === "TERM" && (row.closureKind || row.session)) problems.push({ source, field: "closure_kind", code: "BAD_VALUE", message: "A term has no closure_kind or session." });
    else if (row.session && row.startDate !== row.endDate) problems.push({ source, field: "session", code: "BAD_VALUE", message: "A half-day closure is one day: start_date and end_date must be equal." });
    else return row;
    return undefined;
  },
  marks: (r, source, problems): MarkRow | undefined => {
    const row: MarkRow = {
      source, upn: v(r, "upn"), date: v(r, "date"), session: v(r, "session"), code: v(r, "code"), minutesLate: opt(r, "minutes_late") ?? null, note: opt(r, "note") ?? null,
      arrivedAt: opt(r, "arrived_at") ?? null, recordedBy: opt(r, "recorded_by") ?? null, recordedAt: opt(r, "recorded_at") ?? null, amendmentReason: opt(r, "amendment_reason") ?? null,
    };
    // Minutes late and an arrival time belong with a late code only (SI 2024/208, table 1: L and U).
    for (const field of ["minutes_late", "arrived_at"] as const) {
      if ((field === "minutes_late" ? row.minutesLate : row.arrivedAt) != null && row.code !== "L" && row.code !== "U") {
        problems.push({ source, field, code: "BAD_VALUE", message: `${field} is for the late codes L and U, not "${row.code}".` });
        return undefined;
      }
    }
    return row;
  },
};

const BATCH_KEY: Record<CsvKind, keyof ImportBatch> = { pupils: "pupils", carers: "carers", staff: "staff", forms: "forms", calendar: "calendar", marks: "marks" };

/** Reads a CSV file of one kind into a batch holding only that kind's rows. */
export function readCsvBatch(kind: CsvKind, bytes: Uint8Array, file: string): { batch: ImportBatch; problems: ImportProblem[] } {
  const { records, problems } = readCsv(bytes, file, CSV_COLUMNS[kind]);
  const batch = emptyBatch();
  const rows = batch[BATCH_KEY[kind]] as unknown[];
  for (const record of records) {
    const row = rowReaders[kind](record, { file, line: record.line }, problems);
    if (row) rows.push(row);
  }
  // In the file's order, as a reader fixing it goes through it.
  problems.sort((a, b) => (a.source.line ?? 0) - (b.source.line ?? 0));
  return { batch, problems };
}

const yes = (b: boolean | undefined) => (b ? "true" : "false");

/** The cells of each kind's rows, in CSV_COLUMNS order. */
const rowWriters: { [K in CsvKind]: (batch: ImportBatch) => unknown[][] } = {
  pupils: (b) => b.pupils.map((p) => [
    p.upn, p.legalForename, p.legalSurname, p.preferredForename, p.dateOfBirth, p.gender, p.yearGroup, p.form, p.onRollFrom,
    p.senProvision ?? "NONE", yes(p.freeSchoolMeals), yes(p.pupilPremium), yes(p.englishAdditionalLanguage), yes(p.lookedAfter), yes(p.hasSocialWorker),
    p.registrationType ?? "SINGLE",
  ]),
  carers: (b) => b.carers.map((c) => [
    c.upn, c.contactOrder, c.salutation, c.forename, c.surname, c.relationship, yes(c.parentalResponsibility), c.addressLines.join("|"),
    c.telephones.map((t) => `${t.kind}:${t.number}`).join("|"), c.email, yes(c.noContact),
  ]),
  staff: (b) => b.staff.map((s) => [s.email, s.displayName, s.subject, s.role]),
  forms: (b) => b.forms.map((f) => [f.name, f.yearGroup, (f.tutorEmails ?? []).join("|")]),
  calendar: (b) => b.calendar.map((c) => [c.kind, c.academicYear, c.name, c.startDate, c.endDate, c.closureKind, c.session]),
  marks: (b) => b.marks.map((m) => [m.upn, m.date, m.session, m.code, m.minutesLate, m.note, m.arrivedAt, m.recordedBy, m.recordedAt, m.amendmentReason]),
};

/** The batch's rows of `kind` as a CSV file of that format (UTF-8 text, CRLF). */
export function writeCsv(kind: CsvKind, batch: ImportBatch): string {
  return csvText(CSV_COLUMNS[kind].map((c) => c.name), rowWriters[kind](batch));
}
