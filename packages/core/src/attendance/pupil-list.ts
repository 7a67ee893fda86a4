// Working lists of pupils (issue 16, item 1): which pupils a filter on their
// figures for a period keeps, and in what order. This is the reference the
// SQL in schema/src/statistics/pupil-list.ts is held to by the end-to-end
// tests; at scale the lists are evaluated in PostgreSQL.
//
// Every comparison is exact: rates are compared as fractions in integers (a
// rate of 9/10 is not "below 0.9"), and a rate bound such as 0.9 is read as
// the decimal it is written as, so no binary rounding decides a child's place.
import { absences, type AttendanceFigures } from "./summary.ts";

/** What a list keeps, on the pupil's own figures for the period. Every condition given must hold. */
export interface PupilListFigureFilter {
  /** Attendance rate strictly below this (0–1). */
  attendanceBelow?: number | null;
  /** Attendance rate at least this (0–1). */
  attendanceAtLeast?: number | null;
  /** true: persistently absent only (10% or more of possible sessions missed); false: only those who are not. */
  persistentlyAbsent?: boolean | null;
  /** true: severely absent only (50% or more missed); false: only those who are not. */
  severelyAbsent?: boolean | null;
  /** At least this many unauthorised absences (including U). */
  unauthorisedAtLeast?: number | null;
  /** At least this many sessions arrived late before the register closed (L). */
  lateBeforeCloseAtLeast?: number | null;
  /** At least this many sessions arrived after the register closed (U). */
  lateAfterCloseAtLeast?: number | null;
}

export type PupilListOrderBy = "ATTENDANCE_RATE" | "ABSENCES" | "UNAUTHORISED_ABSENCE" | "LATE_BEFORE_CLOSE" | "LATE_AFTER_CLOSE" | "NAME";
export type SortDirection = "ASC" | "DESC";

export interface PupilListOrder {
  by: PupilListOrderBy;
  direction: SortDirection;
}

/** The order a list has when none is asked for: lowest attendance first (the attendance officer's morning list). */
export const DEFAULT_PUPIL_LIST_ORDER: PupilListOrder = { by: "ATTENDANCE_RATE", direction: "ASC" };

/** Bounds on a list's arguments (issue 13: every argument bounded). */
export const PUPIL_LIST_LIMITS = {
  /** Most rows in one page (as every other connection of the API). */
  maxPageSize: 500,
  /** Rows in a page when `first` is not given. */
  defaultPageSize: 20,
  /** The largest session count a filter may ask for: two school years hold 760 sessions. */
  maxSessions: 1_000,
  /** Most forms in a `forms` filter. */
  maxForms: 100,
  /** The furthest a cursor may point into a list (a trust of 100 academies × 2,000 pupils). */
  maxOffset: 200_000,
} as const;

/** A row to order: the pupil's figures and the keys of their name. */
export interface PupilListCandidate {
  id: string;
  figures: AttendanceFigures;
  /**
   * The name to order by, most significant first (the folded surname and
   * forename, then the legal ones): compared by code point, as SQL's "C"
   * collation does, so both back ends and this reference agree.
   */
  nameKeys: readonly (string | null)[];
}

export interface ListProblem {
  field: string;
  message: string;
}

/** What is wrong with a filter's bounds, if anything. */
export function pupilListFilterProblems(filter: PupilListFigureFilter): ListProblem[] {
  const problems: ListProblem[] = [];
  for (const field of ["attendanceBelow", "attendanceAtLeast"] as const) {
    const value = filter[field];
    if (value != null && !(Number.isFinite(value) && value >= 0 && value <= 1)) {
      problems.push({ field: `filter.${field}`, message: "A rate from 0 to 1 (0.9 for 90%)." });
    }
  }
  for (const field of ["unauthorisedAtLeast", "lateBeforeCloseAtLeast", "lateAfterCloseAtLeast"] as const) {
    const value = filter[field];
    if (value != null && !(Number.isInteger(value) && value >= 0 && value <= PUPIL_LIST_LIMITS.maxSessions)) {
      problems.push({ field: `filter.${field}`, message: `A whole number of sessions from 0 to ${PUPIL_LIST_LIMITS.maxSessions}.` });
    }
  }
  return problems;
}

/**
 * A number as the exact decimal fraction it is written as (String(0.9) is
 * "0.9": 9/10), so that SQL's numeric and this reference read a bound alike.
 */
export function decimalFraction(value: number): { numerator: bigint; denominator: bigint } {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`a bound is a finite number ≥ 0, not ${value}`);
  const [mantissa = "0", exponent = "0"] = String(value).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  let numerator = BigInt(whole + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  const shift = Number(exponent);
  if (shift > 0) numerator *= 10n ** BigInt(shift);
  if (shift < 0) denominator *= 10n ** BigInt(-shift);
  return { numerator, denominator };
}

/** Whether attending / possible < bound, exactly. */
function rateBelow(f: AttendanceFigures, bound: number): boolean {
  const { numerator, denominator } = decimalFraction(bound);
  return BigInt(f.present + f.approvedActivity) * denominator < numerator * BigInt(f.possibleSessions);
}

/**
 * Whether a pupil's figures belong on a list. A pupil with no possible
 * session in the period has no rate and is on no list (as they count in no
 * group's `pupils`). Persistent and severe absence as the DfE defines them
 * (Working together to improve school attendance, August 2024, statutory
 * guidance, not law: 10% and 50% or more of possible sessions missed), as
 * isPersistentlyAbsent and isSeverelyAbsent decide them.
 */
export function matchesPupilListFilter(f: AttendanceFigures, filter: PupilListFigureFilter): boolean {
  if (f.possibleSessions <= 0) return false;
  if (filter.attendanceBelow != null && !rateBelow(f, filter.attendanceBelow)) return false;
  if (filter.attendanceAtLeast != null && rateBelow(f, filter.attendanceAtLeast)) return false;
  if (filter.persistentlyAbsent != null && (absences(f) * 10 >= f.possibleSessions) !== filter.persistentlyAbsent) return false;
  if (filter.severelyAbsent != null && (absences(f) * 2 >= f.possibleSessions) !== filter.severelyAbsent) return false;
  if (filter.unauthorisedAtLeast != null && f.unauthorisedAbsence < filter.unauthorisedAtLeast) return false;
  if (filter.lateBeforeCloseAtLeast != null && f.lateBeforeClose < filter.lateBeforeCloseAtLeast) return false;
  if (filter.lateAfterCloseAtLeast != null && f.lateAfterClose < filter.lateAfterCloseAtLeast) return false;
  return true;
}

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

function compareKeys(a: readonly (string | null)[], b: readonly (string | null)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    // No name (an anonymised pupil) after every name, as NULLS LAST.
    if (x === null) return 1;
    if (y === null) return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The figure a list is ordered by, compared exactly (rates as fractions). */
function compareFigure(by: Exclude<PupilListOrderBy, "NAME">, a: AttendanceFigures, b: AttendanceFigures): number {
  switch (by) {
    case "ATTENDANCE_RATE":
      // (a.attending / a.possible) vs (b.attending / b.possible), in integers.
      return sign((a.present + a.approvedActivity) * b.possibleSessions - (b.present + b.approvedActivity) * a.possibleSessions);
    case "ABSENCES":
      return sign(absences(a) - absences(b));
    case "UNAUTHORISED_ABSENCE":
      return sign(a.unauthorisedAbsence - b.unauthorisedAbsence);
    case "LATE_BEFORE_CLOSE":
      return sign(a.lateBeforeClose - b.lateBeforeClose);
    case "LATE_AFTER_CLOSE":
      return sign(a.lateAfterClose - b.lateAfterClose);
  }
}

/**
 * A list's order: the figure asked for in the direction asked for, then (on a
 * tie, and always ascending) the name, then the pupil's id, so that every
 * page of a list is the same list.
 */
export function comparePupilListRows(a: PupilListCandidate, b: PupilListCandidate, order: PupilListOrder = DEFAULT_PUPIL_LIST_ORDER): number {
  if (order.by !== "NAME") {
    const figure = compareFigure(order.by, a.figures, b.figures);
    if (figure !== 0) return order.direction === "ASC" ? figure : -figure;
  }
  const name = compareKeys(a.nameKeys, b.nameKeys);
  if (name !== 0) return order.by === "NAME" && order.direction === "DESC" ? -name : name;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The reference list: the candidates a filter keeps, in order. */
export function selectPupilList<T extends PupilListCandidate>(candidates: readonly T[], filter: PupilListFigureFilter, order: PupilListOrder = DEFAULT_PUPIL_LIST_ORDER): T[] {
  return candidates.filter((c) => matchesPupilListFilter(c.figures, filter)).sort((a, b) => comparePupilListRows(a, b, order));
}
