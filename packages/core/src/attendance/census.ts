// The school census attendance module, per pupil: possible sessions and the
// sessions missed for each absence reason, as the Department for Education's
// "School census 2025 to 2026: guide" (attendance section) asks for them.
//
// The census counts one school's own register: a dual-registered pupil's
// sessions at the other school are code D here, "not a possible session"
// (The School Attendance (Pupil Registration) (England) Regulations 2024,
// reg. 10 and its table of codes, category "not possible"). Each code is
// categorised by the national code table in force on the mark's date
// (codes/national-codes.ts), so an H from before 19 August 2024 still counts
// as authorised holiday and a T after it as parent travelling for work.
import { codeOn } from "../codes/lookup.ts";
import type { IsoDate } from "../dates.ts";
import type { AttendanceCategory } from "../codes/national-codes.ts";

/** A census term (the census guide: each termly return collects the previous term's attendance). */
export type CensusTerm = "AUTUMN" | "SPRING" | "SUMMER";

export interface CensusMark {
  date: IsoDate;
  session: "AM" | "PM";
  code: string;
}

export interface CensusFigures {
  /** Sessions the pupil could have attended (every mark whose code is not in the "not possible" category). */
  sessionsPossible: number;
  /** Present (/, \, L) or at an approved educational activity (K, V, P, W, B; J before 2024): attended, not missed. */
  sessionsAttended: number;
  /** Sessions missed for an authorised reason. */
  sessionsAuthorised: number;
  /** Sessions missed without authority (G, N, O, U). */
  sessionsUnauthorised: number;
  /** Sessions missed, per absence reason code (authorised and unauthorised), codes with no sessions left out. */
  byReason: Record<string, number>;
  /** Sessions marked with a code that is not a possible session (X, Y1–Y7, Z, #, D, Q), per code; outside the figures above. */
  notCounted: Record<string, number>;
}

/** A mark whose code is not in force on its date: the census cannot count it. */
export class CensusCodeError extends Error {
  override name = "CensusCodeError";
  constructor(readonly mark: CensusMark) {
    super(`"${mark.code}" on ${mark.date} ${mark.session} is not an attendance code in force on that date.`);
  }
}

/**
 * The census figures for one pupil's marks at one school. Expects one mark per
 * session (the current version of each: an amended mark counts once, as amended,
 * SI 2024/208 reg. 13). A second mark for the same session is refused rather
 * than counted twice.
 */
export function censusFigures(marks: readonly CensusMark[]): CensusFigures {
  const seen = new Set<string>();
  const counts: CensusCount[] = [];
  for (const mark of marks) {
    const key = `${mark.date}/${mark.session}`;
    if (seen.has(key)) throw new Error(`Two marks for ${mark.date} ${mark.session}: count the current version of each session once.`);
    seen.add(key);
    const entry = codeOn(mark.code, mark.date);
    if (!entry) throw new CensusCodeError(mark);
    counts.push({ code: mark.code, category: entry.category, sessions: 1 });
  }
  return censusFromCounts(counts);
}

/** Sessions with one code and the category it had on their dates (as the database keeps it with each mark). */
export interface CensusCount {
  code: string;
  category: AttendanceCategory;
  sessions: number;
}

/**
 * The census figures from counts of sessions per code and category: the form
 * SQL aggregates arrive in. Not-possible codes stay out of possible sessions;
 * attended (present or approved activity) is counted but is no reason; each
 * absence is counted under its own code.
 */
export function censusFromCounts(counts: readonly CensusCount[]): CensusFigures {
  const figures: CensusFigures = { sessionsPossible: 0, sessionsAttended: 0, sessionsAuthorised: 0, sessionsUnauthorised: 0, byReason: {}, notCounted: {} };
  for (const { code, category, sessions } of counts) {
    switch (category) {
      case "NOT_POSSIBLE":
        figures.notCounted[code] = (figures.notCounted[code] ?? 0) + sessions;
        continue;
      case "PRESENT":
      case "APPROVED_ACTIVITY":
        figures.sessionsAttended += sessions;
        break;
      case "AUTHORISED_ABSENCE":
        figures.sessionsAuthorised += sessions;
        figures.byReason[code] = (figures.byReason[code] ?? 0) + sessions;
        break;
      case "UNAUTHORISED_ABSENCE":
        figures.sessionsUnauthorised += sessions;
        figures.byReason[code] = (figures.byReason[code] ?? 0) + sessions;
        break;
    }
    figures.sessionsPossible += sessions;
  }
  return figures;
}

/** The absence reason codes in force on a date, in the census guide's order: authorised first, then unauthorised. */
export function censusReasonCodes(date: IsoDate): string[] {
  const order = ["AUTHORISED_ABSENCE", "UNAUTHORISED_ABSENCE"];
  return [...new Set(order.flatMap((category) => censusCodes(date, category)))];
}

function censusCodes(date: IsoDate, category: string): string[] {
  return NATIONAL_REASONS.filter((code) => codeOn(code, date)?.category === category);
}

/** Every absence reason code the national tables have held, old and new (codes/national-codes.ts). */
const NATIONAL_REASONS = ["C", "C1", "C2", "E", "H", "I", "J1", "M", "R", "S", "T", "G", "N", "O", "U"] as const;

/**
 * Easter Sunday of a year (the Gregorian computus, "Anonymous Gregorian
 * algorithm"); the census guide divides spring and summer terms at Easter.
 */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The dates a census term's attendance covers, for the school year starting
 * in `startYear` (2025 for 2025/26). The census guide's attendance periods:
 * autumn term 1 August to 31 December; spring term 1 January to Easter Sunday;
 * summer term Easter Monday to 31 July.
 */
export function censusTermPeriod(startYear: number, term: CensusTerm): { from: IsoDate; to: IsoDate } {
  const easter = easterSunday(startYear + 1);
  const [y, m, d] = easter.split("-").map(Number) as [number, number, number];
  const monday = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  switch (term) {
    case "AUTUMN":
      return { from: `${startYear}-08-01`, to: `${startYear}-12-31` };
    case "SPRING":
      return { from: `${startYear + 1}-01-01`, to: easter };
    case "SUMMER":
      return { from: monday, to: `${startYear + 1}-07-31` };
  }
}

/** "2025/26" → 2025, or undefined if it is not a school year written that way. */
export function schoolYearStart(academicYear: string): number | undefined {
  const match = /^(\d{4})\/(\d{2})$/.exec(academicYear);
  if (!match) return undefined;
  const start = Number(match[1]);
  return (start + 1) % 100 === Number(match[2]) ? start : undefined;
}
