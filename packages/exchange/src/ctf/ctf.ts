// The DfE Common Transfer File (CTF): the XML a school sends when a pupil
// leaves, built on the Common Basic Data Set (CBDS). We read and write the
// parts an attendance system holds: the header, the pupil's identity and
// basic details, contacts (carers) with telephones and e-mail, school history
// (enrolment dates) and attendance (per school year, the session totals and
// the marks).
//
// Element names follow the DfE's CTF specification (CTfile / Header /
// CTFpupilData / Pupil ...; Attendance / YearData with SessionsPossible,
// SessionsAuthorised, SessionsAttended, SessionsUnauthorised and
// AttendSessions / AttendanceStartDate + AttendanceMarks: one character per
// session, AM then PM, for every calendar day from the start date, "-" where
// there is no session).
//
// Not certain, flagged rather than invented: the 2024 regulations brought
// codes of two characters (C1, C2, J1, Y1–Y7), which a one-character-per-session
// string cannot hold. Where a school year holds such a code we write its marks
// as SessionAttendance elements (Date, Session, Mark), one per session, and read
// either form; check this against the CTF specification in force before
// exchanging with an MIS that expects only AttendanceMarks.
import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { codeOn } from "@attendance/core";
import { emptyBatch, type CarerRow, type GenderValue, type ImportBatch, type ImportProblem, type MarkRow, type PupilRow, type TelephoneKind } from "../rows.ts";

export const CTF_VERSION = "25.0";

export interface CtfSchool {
  /** The local authority's three-digit DfE code. */
  lea: number | string;
  /** The DfE establishment number (four digits), when known. */
  estab?: string | null;
  urn?: number | null;
  name: string;
}

export interface CtfPupilInput {
  upn: string;
  legalSurname: string;
  legalForename: string;
  preferredSurname?: string | null;
  preferredForename?: string | null;
  /** ISO date. */
  dateOfBirth: string;
  gender: GenderValue;
  yearGroup: number;
}

/** A carer as the import rows hold one, without its pupil and source (the CTF nests contacts in their pupil); "no contact" has no CTF element. */
export type CtfCarerInput = Omit<CarerRow, "source" | "upn" | "noContact">;

export interface CtfEnrolmentInput {
  school: CtfSchool;
  /** ISO dates. */
  entryDate: string;
  leavingDate?: string | null;
}

export interface CtfExportInput {
  source: CtfSchool;
  /** The receiving school, when known; unknown: the DfE's "MAN" (manually transferred / destination not known) is the MIS's business, we leave it out. */
  destination?: { lea?: number | string | null; estab?: string | null } | null;
  generatedAt: Date;
  pupil: CtfPupilInput;
  carers: CtfCarerInput[];
  enrolments: CtfEnrolmentInput[];
  /** The current mark of each session at the source school. */
  marks: { date: string; session: "AM" | "PM"; code: string }[];
}

/** CBDS telephone types: H home, M mobile, W work; A (alternative) for anything else (our OTHER). */
const PHONE_TYPE: Record<TelephoneKind, string> = { HOME: "H", MOBILE: "M", WORK: "W", OTHER: "A" };
const PHONE_KIND: Record<string, TelephoneKind> = { H: "HOME", M: "MOBILE", W: "WORK", A: "OTHER", D: "OTHER", N: "OTHER", F: "OTHER" };

/** CBDS Sex: M, F; U (not known) for our OTHER. */
const SEX: Record<GenderValue, string> = { MALE: "M", FEMALE: "F", OTHER: "U" };
const GENDER: Record<string, GenderValue> = { M: "MALE", F: "FEMALE", U: "OTHER", W: "OTHER", 9: "OTHER" };

/** National Curriculum year as CBDS writes it: N1/N2 nursery, R reception, 1–14. */
export function ncYearOf(yearGroup: number): string {
  if (yearGroup === 0) return "R";
  if (yearGroup < 0) return "N2";
  return String(yearGroup);
}
function yearGroupOf(ncYear: string): number | undefined {
  if (ncYear === "R") return 0;
  if (ncYear === "N1" || ncYear === "N2") return -1;
  return /^\d{1,2}$/.test(ncYear) && Number(ncYear) <= 14 ? Number(ncYear) : undefined;
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (d: Date) => d.toISOString().slice(0, 10);
const addDays = (iso: string, n: number) => isoOf(new Date(day(iso).getTime() + n * 86_400_000));
const daysBetween = (a: string, b: string) => Math.round((day(b).getTime() - day(a).getTime()) / 86_400_000);

/** The school year (its first calendar year) a date falls in: 1 September to 31 August. */
function schoolYear(date: string): number {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 9 ? y : y - 1;
}

function schoolElement(s: CtfSchool) {
  return { LEA: String(s.lea), ...(s.estab ? { Estab: s.estab } : {}), ...(s.urn ? { URN: String(s.urn) } : {}), SchoolName: s.name };
}

/** Session totals of one school year's marks, by the category each code had on its date (SI 2024/208 reg. 10). */
function yearTotals(marks: CtfExportInput["marks"]) {
  const totals = { possible: 0, attended: 0, authorised: 0, unauthorised: 0 };
  for (const m of marks) {
    const category = codeOn(m.code, m.date)?.category;
    if (!category || category === "NOT_POSSIBLE") continue;
    totals.possible += 1;
    if (category === "PRESENT" || category === "APPROVED_ACTIVITY") totals.attended += 1;
    else if (category === "AUTHORISED_ABSENCE") totals.authorised += 1;
    else totals.unauthorised += 1;
  }
  return totals;
}

/**
 * CBDS carries a title ("Ms"); we keep how a letter addresses the carer
 * ("Ms Example"). The title is the salutation without the surname at its end;
 * reading puts the surname back.
 */
function titleOf(salutation: string, surname: string): string {
  const s = salutation.trim();
  return s.endsWith(` ${surname}`) ? s.slice(0, -surname.length - 1) : s;
}

/** A CTF for one leaving pupil. */
export function writeCtf(input: CtfExportInput): string {
  const { pupil } = input;
  const years = new Map<number, CtfExportInput["marks"]>();
  for (const m of [...input.marks].sort((a, b) => (a.date === b.date ? a.session.localeCompare(b.session) : a.date.localeCompare(b.date)))) {
    const y = schoolYear(m.date);
    years.set(y, [...(years.get(y) ?? []), m]);
  }
  const yearData = [...years].map(([year, marks]) => {
    const totals = yearTotals(marks);
    const common = {
      Year: String(year),
      ...schoolElement(input.source),
      SessionsPossible: String(totals.possible),
      SessionsAuthorised: String(totals.authorised),
      SessionsAttended: String(totals.attended),
      SessionsUnauthorised: String(totals.unauthorised),
    };
    if (marks.every((m) => m.code.length === 1)) {
      const start = marks[0]!.date;
      const chars = Array.from({ length: (daysBetween(start, marks.at(-1)!.date) + 1) * 2 }, () => "-");
      for (const m of marks) chars[daysBetween(start, m.date) * 2 + (m.session === "AM" ? 0 : 1)] = m.code;
      return { ...common, AttendSessions: { AttendanceStartDate: start, AttendanceMarks: chars.join("") } };
    }
    return { ...common, SessionAttendance: marks.map((m) => ({ Date: m.date, Session: m.session, Mark: m.code })) };
  });
  const document = {
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    CTfile: {
      Header: {
        DocumentName: "Common Transfer File",
        CTFversion: CTF_VERSION,
        DateTime: input.generatedAt.toISOString().slice(0, 19),
        DocumentQualifier: "partial",
        SupplierID: "attendance-policy-platform",
        SourceSchool: { ...schoolElement(input.source), AcademicYear: String(schoolYear(isoOf(input.generatedAt))) },
        DestSchool: {
          ...(input.destination?.lea != null ? { LEA: String(input.destination.lea) } : {}),
          ...(input.destination?.estab ? { Estab: input.destination.estab } : {}),
        },
      },
      CTFpupilData: {
        Pupil: [
          {
            UPN: pupil.upn,
            Surname: pupil.legalSurname,
            Forename: pupil.legalForename,
            DOB: pupil.dateOfBirth,
            Sex: SEX[pupil.gender],
            BasicDetails: {
              ...(pupil.preferredSurname ? { PreferredSurname: pupil.preferredSurname } : {}),
              ...(pupil.preferredForename ? { PreferredForename: pupil.preferredForename } : {}),
              NCyearActual: ncYearOf(pupil.yearGroup),
            },
            Contacts: {
              Contact: [...input.carers]
                .sort((a, b) => a.contactOrder - b.contactOrder)
                .map((c) => ({
                  Order: String(c.contactOrder),
                  Title: titleOf(c.salutation, c.surname),
                  Surname: c.surname,
                  Forename: c.forename,
                  ...(c.relationship ? { Relationship: c.relationship } : {}),
                  Responsibility: c.parentalResponsibility ? "true" : "false",
                  ...(c.addressLines.length > 0
                    ? { Address: { AddressLines: Object.fromEntries(c.addressLines.map((line, i) => [`AddressLine${i + 1}`, line])) } }
                    : {}),
                  ...(c.telephones.length > 0 ? { Phones: { Phone: c.telephones.map((p) => ({ TelephoneType: PHONE_TYPE[p.kind], TelephoneNumber: p.number })) } } : {}),
                  ...(c.email ? { Email: c.email } : {}),
                })),
            },
            SchoolHistory: {
              School: input.enrolments.map((e) => ({
                ...schoolElement(e.school),
                EntryDate: e.entryDate,
                ...(e.leavingDate ? { LeavingDate: e.leavingDate } : {}),
              })),
            },
            Attendance: { YearData: yearData },
          },
        ],
      },
    },
  };
  return new XMLBuilder({ format: true, ignoreAttributes: false, suppressEmptyNode: true }).build(document) as string;
}

// ─── Reading ─────────────────────────────────────────────────────────────────

const REPEATED = new Set([
  "CTfile.CTFpupilData.Pupil",
  "CTfile.CTFpupilData.Pupil.Contacts.Contact",
  "CTfile.CTFpupilData.Pupil.Contacts.Contact.Phones.Phone",
  "CTfile.CTFpupilData.Pupil.SchoolHistory.School",
  "CTfile.CTFpupilData.Pupil.Attendance.YearData",
  "CTfile.CTFpupilData.Pupil.Attendance.YearData.SessionAttendance",
]);

type Node = Record<string, unknown>;
const text = (node: unknown, name: string): string | undefined => {
  const value = (node as Node | undefined)?.[name];
  if (value === undefined || value === null || typeof value === "object") return undefined;
  const s = String(value).trim();
  return s === "" ? undefined : s;
};
const children = (node: unknown, name: string): Node[] => {
  const value = (node as Node | undefined)?.[name];
  return Array.isArray(value) ? (value as Node[]) : value && typeof value === "object" ? [value as Node] : [];
};
const isIso = (s: string | undefined): s is string => !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && isoOf(day(s)) === s;

/** The largest file we read: a CTF for a whole year group of a large school is a few megabytes. */
export const MAX_CTF_BYTES = 50 * 1024 * 1024;

/**
 * Reads a CTF into an ImportBatch: one PupilRow per Pupil, a CarerRow per
 * Contact, a MarkRow per session with a mark. Every problem names its element
 * path. The pupil's stay at the importing academy starts on the latest
 * EntryDate of its SchoolHistory (the sending school's), so that the
 * attendance the file carries lies within it (the import writer refuses marks
 * off roll); the academy records the day it really admitted the pupil by
 * admitPupil or a later pupils file. Without a history: the file's date.
 */
export function readCtf(bytes: Uint8Array, file: string): { batch: ImportBatch; problems: ImportProblem[] } {
  const batch = emptyBatch();
  const problems: ImportProblem[] = [];
  const at = (element: string) => ({ file, element });
  const problem = (element: string, code: string, message: string, field?: string) => problems.push({ source: at(element), code, message, ...(field ? { field } : {}) });

  if (bytes.byteLength > MAX_CTF_BYTES) {
    problem("CTfile", "FILE_TOO_LARGE", `The file is larger than ${MAX_CTF_BYTES / 1024 / 1024} MB.`);
    return { batch, problems };
  }
  let xml: string;
  try {
    xml = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    problem("CTfile", "BAD_ENCODING", "The file is not UTF-8 text.");
    return { batch, problems };
  }
  // A CTF has no document type declaration; one could define entities that
  // expand without bound (OWASP XML External Entity Prevention Cheat Sheet).
  if (/<!DOCTYPE/i.test(xml)) {
    problem("CTfile", "BAD_XML", "A Common Transfer File has no DOCTYPE; this file declares one and is not read.");
    return { batch, problems };
  }
  let root: Node;
  try {
    const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: (_name, path) => REPEATED.has(String(path)) });
    root = parser.parse(xml, true) as Node;
  } catch (error) {
    problem("CTfile", "BAD_XML", `The file is not well-formed XML: ${(error as Error).message}`);
    return { batch, problems };
  }
  const ctfile = root.CTfile as Node | undefined;
  if (!ctfile || typeof ctfile !== "object") {
    problem("CTfile", "NOT_A_CTF", "The file has no CTfile root element: it is not a Common Transfer File.");
    return { batch, problems };
  }
  const fileDate = text(ctfile.Header, "DateTime")?.slice(0, 10);

  children(ctfile.CTFpupilData, "Pupil").forEach((pupil, pi) => {
    const path = `CTfile/CTFpupilData/Pupil[${pi + 1}]`;
    const before = problems.length;
    const upn = text(pupil, "UPN")?.toUpperCase();
    if (!upn || !/^[A-Z]\d{11}[0-9A-Z]$/.test(upn)) problem(`${path}/UPN`, "BAD_UPN", `"${upn ?? ""}" is not a Unique Pupil Number (a letter, 11 digits and a digit or letter).`, "UPN");
    const surname = text(pupil, "Surname");
    const forename = text(pupil, "Forename");
    if (!surname) problem(`${path}/Surname`, "MISSING_ELEMENT", "The pupil has no Surname.", "Surname");
    if (!forename) problem(`${path}/Forename`, "MISSING_ELEMENT", "The pupil has no Forename.", "Forename");
    const dob = text(pupil, "DOB");
    if (!isIso(dob)) problem(`${path}/DOB`, "BAD_DATE", `"${dob ?? ""}" is not a date (yyyy-mm-dd).`, "DOB");
    const sex = text(pupil, "Sex") ?? text(pupil, "Gender");
    const gender = sex ? GENDER[sex.toUpperCase()] : undefined;
    if (!gender) problem(`${path}/Sex`, "BAD_VALUE", `"${sex ?? ""}" is not a CBDS sex code (M, F or U).`, "Sex");
    const details = pupil.BasicDetails;
    const ncYear = text(details, "NCyearActual");
    const yearGroup = ncYear === undefined ? undefined : yearGroupOf(ncYear);
    if (yearGroup === undefined) problem(`${path}/BasicDetails/NCyearActual`, "BAD_VALUE", `"${ncYear ?? ""}" is not a National Curriculum year (N1, N2, R, 1–14).`, "NCyearActual");

    const history = children(pupil.SchoolHistory, "School");
    let lastEntry: string | undefined;
    history.forEach((school, si) => {
      const entry = text(school, "EntryDate");
      const left = text(school, "LeavingDate");
      if (entry !== undefined && !isIso(entry)) problem(`${path}/SchoolHistory/School[${si + 1}]/EntryDate`, "BAD_DATE", `"${entry}" is not a date.`, "EntryDate");
      else if (entry && (!lastEntry || entry > lastEntry)) lastEntry = entry;
      if (left !== undefined && !isIso(left)) problem(`${path}/SchoolHistory/School[${si + 1}]/LeavingDate`, "BAD_DATE", `"${left}" is not a date.`, "LeavingDate");
    });
    const onRollFrom = lastEntry ?? (isIso(fileDate) ? fileDate : undefined);
    if (!onRollFrom) problem(`${path}/SchoolHistory`, "MISSING_ELEMENT", "No EntryDate in the school history and no date in the header: the pupil's stay cannot be known.");

    const carers: CarerRow[] = [];
    children(pupil.Contacts, "Contact").forEach((contact, ci) => {
      const cpath = `${path}/Contacts/Contact[${ci + 1}]`;
      const order = Number(text(contact, "Order") ?? ci + 1);
      if (!Number.isInteger(order) || order < 1 || order > 99) problem(`${cpath}/Order`, "BAD_VALUE", `"${text(contact, "Order")}" is not a contact order (1–99).`, "Order");
      const cSurname = text(contact, "Surname");
      const cForename = text(contact, "Forename");
      if (!cSurname) problem(`${cpath}/Surname`, "MISSING_ELEMENT", "The contact has no Surname.", "Surname");
      const responsibility = text(contact, "Responsibility");
      if (responsibility !== undefined && !/^(true|false|1|0)$/i.test(responsibility)) problem(`${cpath}/Responsibility`, "BAD_VALUE", `"${responsibility}" is not true or false.`, "Responsibility");
      const telephones = children(contact.Phones, "Phone").flatMap((phone, phi) => {
        const type = text(phone, "TelephoneType")?.toUpperCase();
        const number = text(phone, "TelephoneNumber");
        if (!number) {
          problem(`${cpath}/Phones/Phone[${phi + 1}]/TelephoneNumber`, "MISSING_ELEMENT", "The telephone has no number.", "TelephoneNumber");
          return [];
        }
        return [{ kind: (type && PHONE_KIND[type]) || "OTHER", number }];
      });
      const lines = contact.Address as Node | undefined;
      const addressLines = Object.entries((lines?.AddressLines as Node | undefined) ?? {})
        .filter(([k]) => /^AddressLine\d$/.test(k))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, v]) => String(v).trim())
        .filter((v) => v !== "");
      const postcode = text(lines, "PostCode") ?? text(lines, "Postcode");
      if (postcode) addressLines.push(postcode);
      const title = text(contact, "Title");
      carers.push({
        source: at(cpath),
        upn: upn ?? "",
        contactOrder: order,
        salutation: title ? `${title} ${cSurname ?? ""}`.trim() : (cSurname ?? ""),
        forename: cForename ?? "",
        surname: cSurname ?? "",
        relationship: text(contact, "Relationship") ?? null,
        parentalResponsibility: responsibility === undefined ? false : /^(true|1)$/i.test(responsibility),
        addressLines,
        telephones,
        email: text(contact, "Email") ?? null,
      });
    });

    const marks: MarkRow[] = [];
    const addMark = (element: string, date: string, session: "AM" | "PM", code: string) => {
      if (!codeOn(code, date)) problem(element, "UNKNOWN_CODE", `"${code}" is not an attendance code in force on ${date}.`, "Mark");
      else marks.push({ source: at(element), upn: upn ?? "", date, session, code });
    };
    children(pupil.Attendance, "YearData").forEach((year, yi) => {
      const ypath = `${path}/Attendance/YearData[${yi + 1}]`;
      const sessions = year.AttendSessions as Node | undefined;
      if (sessions) {
        const start = text(sessions, "AttendanceStartDate");
        const string = String(sessions.AttendanceMarks ?? "");
        if (!isIso(start)) problem(`${ypath}/AttendSessions/AttendanceStartDate`, "BAD_DATE", `"${start ?? ""}" is not a date.`, "AttendanceStartDate");
        else
          [...string].forEach((code, i) => {
            if (code === "-" || code === " ") return;
            addMark(`${ypath}/AttendSessions/AttendanceMarks[${i + 1}]`, addDays(start, Math.floor(i / 2)), i % 2 === 0 ? "AM" : "PM", code);
          });
      }
      children(year, "SessionAttendance").forEach((s, si) => {
        const spath = `${ypath}/SessionAttendance[${si + 1}]`;
        const date = text(s, "Date");
        const session = text(s, "Session")?.toUpperCase();
        const code = text(s, "Mark");
        if (!isIso(date)) problem(`${spath}/Date`, "BAD_DATE", `"${date ?? ""}" is not a date.`, "Date");
        else if (session !== "AM" && session !== "PM") problem(`${spath}/Session`, "BAD_VALUE", `"${session ?? ""}" is not AM or PM.`, "Session");
        else if (!code) problem(`${spath}/Mark`, "MISSING_ELEMENT", "The session has no mark.", "Mark");
        else addMark(spath, date, session, code);
      });
    });

    if (problems.length > before) return;
    const row: PupilRow = {
      source: at(path),
      upn: upn!,
      legalForename: forename!,
      legalSurname: surname!,
      preferredForename: text(details, "PreferredForename") ?? null,
      dateOfBirth: dob!,
      gender: gender!,
      yearGroup: yearGroup!,
      onRollFrom: onRollFrom!,
    };
    batch.pupils.push(row);
    batch.carers.push(...carers);
    batch.marks.push(...marks);
  });
  if (batch.pupils.length === 0 && problems.length === 0) problem("CTfile/CTFpupilData", "NO_PUPILS", "The file holds no Pupil.");
  return { batch, problems };
}
