// A trust-wide calendar that each academy inherits and overrides, and the
// checks a calendar change must pass before anything is saved.
//
// Academies of a multi-academy trust are each their own "school" under The
// School Attendance (Pupil Registration) (England) Regulations 2024 (SI
// 2024/208), with its own register; its term dates are its trust's to set,
// and a trust usually publishes one calendar for all its academies. So: an academy's half terms for a school year
// are its own if it has any for that year, else the trust's; its closures are
// the trust's (e.g. a trust-wide INSET day) and its own.
import { isSupportedDate, schoolYearOf, type IsoDate } from "../dates.ts";
import { schoolCalendar, type Closure, type HalfTerm, type SchoolCalendar } from "./calendar.ts";

/** Where a calendar entry comes from: the trust's calendar, or the academy's own. */
export type CalendarSource = "TRUST" | "ACADEMY";


export interface CalendarLayer<T extends HalfTerm = HalfTerm, C extends Closure = Closure> {
  terms: readonly T[];
  closures: readonly C[];
}

export interface EffectiveCalendar<T extends HalfTerm = HalfTerm, C extends Closure = Closure> extends SchoolCalendar {
  terms: readonly (T & { source: CalendarSource })[];
  closures: readonly (C & { source: CalendarSource })[];
}

const byStart = <T extends { start: IsoDate }>(a: T, b: T) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);

/**
 * An academy's calendar: for each school year, its own half terms if it has
 * any for that year, else the trust's; the closures of both that fall within
 * those half terms (a trust closure in what is the academy's holiday removes
 * nothing and is left out). Each entry says where it came from; entries keep
 * whatever else they carry (e.g. their database row's id).
 */
export function effectiveCalendar<T extends HalfTerm, C extends Closure>(trust: CalendarLayer<T, C>, academy: CalendarLayer<T, C>): EffectiveCalendar<T, C> {
  const ownYears = new Set(academy.terms.map((t) => t.academicYear));
  const terms = [
    ...academy.terms.map((t) => ({ ...t, source: "ACADEMY" as const })),
    ...trust.terms.filter((t) => !ownYears.has(t.academicYear)).map((t) => ({ ...t, source: "TRUST" as const })),
  ].sort(byStart);
  const within = (c: Closure) => terms.some((t) => t.start <= c.end && c.start <= t.end);
  const closures = [
    ...trust.closures.filter(within).map((c) => ({ ...c, source: "TRUST" as const })),
    ...academy.closures.filter(within).map((c) => ({ ...c, source: "ACADEMY" as const })),
  ].sort(byStart);
  // Validated like any calendar (dates in order, half terms not overlapping);
  // the validator strips what it does not know, so the sources are kept here.
  schoolCalendar({ terms, closures });
  return { terms, closures };
}

/** A problem with calendar input: where (e.g. "terms[2].endDate") and what. */
export interface CalendarProblem {
  field: string;
  message: string;
}

export const SCHOOL_YEAR_PATTERN = /^(\d{4})\/(\d{2})$/;

/** The first and last day of a school year named like "2026/27", or undefined if the name is not one. */
export function schoolYearBounds(schoolYear: string): { start: IsoDate; end: IsoDate } | undefined {
  const m = SCHOOL_YEAR_PATTERN.exec(schoolYear);
  if (!m) return undefined;
  const first = Number(m[1]);
  if ((first + 1) % 100 !== Number(m[2])) return undefined;
  const bounds = schoolYearOf(`${first}-09-01`);
  return isSupportedDate(bounds.start) && isSupportedDate(bounds.end) ? bounds : undefined;
}

/** At most this many half terms in a year: six is usual, some academies run eight (a two-week October break). */
export const MAX_TERMS_PER_YEAR = 12;
const NAME_MAX = 60;
const REASON_MAX = 500;

export interface TermInput {
  name: string;
  start: IsoDate;
  end: IsoDate;
}

/**
 * The problems with a school year's half terms, in input order (none: they
 * may be saved). A school year runs from 1 September to 31 August
 * (schoolYearOf); half terms lie within it, each ends on or after it starts,
 * and none overlaps another (else "which half term is this date in" has two
 * answers).
 */
export function schoolTermsProblems(schoolYear: string, terms: readonly TermInput[]): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  const bounds = schoolYearBounds(schoolYear);
  if (!bounds) problems.push({ field: "schoolYear", message: 'A school year from 2000/01 to 2098/99, e.g. "2026/27".' });
  // None: the scope has no half terms of its own that year (an academy then inherits the trust's).
  if (terms.length > MAX_TERMS_PER_YEAR) problems.push({ field: "terms", message: `Give at most ${MAX_TERMS_PER_YEAR} half terms.` });
  const names = new Set<string>();
  terms.forEach((t, i) => {
    const name = t.name.trim();
    if (name.length === 0 || name.length > NAME_MAX) problems.push({ field: `terms[${i}].name`, message: `A name of 1 to ${NAME_MAX} characters.` });
    else if (names.has(name)) problems.push({ field: `terms[${i}].name`, message: `Another half term is already called "${name}".` });
    names.add(name);
    if (t.end < t.start) problems.push({ field: `terms[${i}].endDate`, message: `The half term ends (${t.end}) before it starts (${t.start}).` });
    if (bounds && (t.start < bounds.start || t.start > bounds.end)) {
      problems.push({ field: `terms[${i}].startDate`, message: `${t.start} is outside the school year ${schoolYear} (${bounds.start} to ${bounds.end}).` });
    }
    if (bounds && (t.end < bounds.start || t.end > bounds.end)) {
      problems.push({ field: `terms[${i}].endDate`, message: `${t.end} is outside the school year ${schoolYear} (${bounds.start} to ${bounds.end}).` });
    }
  });
  const order = terms.map((t, i) => ({ ...t, i })).sort(byStart);
  for (let k = 1; k < order.length; k++) {
    const before = order[k - 1]!;
    const after = order[k]!;
    if (after.start <= before.end) {
      problems.push({ field: `terms[${after.i}].startDate`, message: `Overlaps "${before.name}" (${before.start} to ${before.end}).` });
    }
  }
  return problems;
}

export interface ClosureInput {
  start: IsoDate;
  end: IsoDate;
  session?: "AM" | "PM" | undefined;
  reason: string;
}

/**
 * The problems with a closure, given the half terms it must fall in (the
 * calendar it is added to). A closure removes sessions the academy would
 * otherwise meet, so it lies within one half term; a half-day closure (one
 * session) is one day; every closure gives its reason, which is what the
 * register's # (planned closure) or Y4 (unexpected closure) stands for
 * (SI 2024/208, reg. 10 and Schedule, table 2).
 */
export function closureProblems(closure: ClosureInput, terms: readonly HalfTerm[]): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  if (closure.end < closure.start) problems.push({ field: "endDate", message: `The closure ends (${closure.end}) before it starts (${closure.start}).` });
  if (closure.session && closure.start !== closure.end) {
    problems.push({ field: "session", message: "A closure of one session is for one day: give the same start and end date, or no session for whole days." });
  }
  const reason = closure.reason.trim();
  if (reason.length === 0 || reason.length > REASON_MAX) problems.push({ field: "reason", message: `Give a reason of 1 to ${REASON_MAX} characters.` });
  if (closure.end >= closure.start && !terms.some((t) => t.start <= closure.start && closure.end <= t.end)) {
    problems.push({
      field: "startDate",
      message: `${closure.start}${closure.end === closure.start ? "" : ` to ${closure.end}`} is not within one half term of the calendar: a closure is for days the academy would otherwise meet.`,
    });
  }
  return problems;
}

/** The closures (by index) that would fall outside every one of `terms`: a change of half terms that strands them is refused. */
export function strandedClosures(closures: readonly Closure[], terms: readonly HalfTerm[]): number[] {
  return closures.flatMap((c, i) => (terms.some((t) => t.start <= c.start && c.end <= t.end) ? [] : [i]));
}
