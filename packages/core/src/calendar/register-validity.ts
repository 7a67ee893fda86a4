// Whether a register, or one pupil's mark in it, may be taken at all, and
// whether a code agrees with the arrival time given with it.
//
// A register records the sessions a school meets: The School Attendance (Pupil
// Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(1), require an
// attendance entry "at the beginning of each morning session and once during
// each afternoon session" of the school, for each pupil on the admission
// register (reg. 8 keeps the admission register; reg. 9 lists the grounds on
// which a pupil is deleted from it, and a deleted pupil has no sessions). So a
// register on a weekend, in a holiday, on a closure, or for a pupil not yet
// admitted or already deleted records sessions that never existed; and a
// register of a session still to come records attendance that has not happened.
import { addDays, schoolYearOf, weekdayOf, type IsoDate } from "../dates.ts";
import type { Closure, SchoolCalendar, Session } from "./calendar.ts";
import { classifyArrival, type ArrivalDecision, type SessionTimes } from "../policy/register-times.ts";

/** Why no register may be taken for a session. */
export type RegisterRefusalReason = "WEEKEND" | "HOLIDAY" | "CLOSED" | "OUTSIDE_CALENDAR" | "TOO_FAR_AHEAD";

export interface RegisterRefusal {
  reason: RegisterRefusalReason;
  /** In words, naming the date and session. */
  message: string;
  /** The closure, for CLOSED. */
  closure?: Closure;
}

/**
 * How many days ahead of today a register may be entered when the academy's
 * policy does not say ("registers.maxDaysAhead"): none. Reg. 10(1) has the
 * register taken at the session itself; what is known in advance needs no
 * advance mark here (closures are in the calendar, decided leave is applied to
 * the register when it is taken, schema/src/workflows/leave-marks.ts). An
 * academy that pre-enters, say, a residential trip (code V) raises it.
 */
export const DEFAULT_MAX_DAYS_AHEAD = 0;

/** The school year a date falls in, as calendars name it: "2025/26". */
export function schoolYearLabel(date: IsoDate): string {
  const start = Number(schoolYearOf(date).start.slice(0, 4));
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

const CLOSURE_WORDS: Record<Closure["kind"], string> = {
  INSET: "an INSET (staff training) day",
  BANK_HOLIDAY: "a bank holiday",
  PLANNED: "a planned closure",
  UNEXPECTED: "an unexpected closure",
};

/**
 * Why a register for `date` and `session` may not be taken, or undefined if it
 * may. `today` is the academy's local date; `maxDaysAhead` how far ahead of it a
 * register may be entered (DEFAULT_MAX_DAYS_AHEAD). The school's own facts come
 * first (weekend, holiday, closure, no calendar), so the answer says the most
 * useful thing; then the date.
 */
export function registerRefusal(calendar: SchoolCalendar, date: IsoDate, session: Session, today: IsoDate, maxDaysAhead: number): RegisterRefusal | undefined {
  const when = `${date} ${session}`;
  // English schools hold no registered sessions at weekends (ISO weekday 6, 7).
  if (weekdayOf(date) > 5) return { reason: "WEEKEND", message: `${when}: ${date} is a ${weekdayOf(date) === 6 ? "Saturday" : "Sunday"}, when the academy does not meet.` };
  const inTerm = calendar.terms.some((t) => t.start <= date && date <= t.end);
  if (!inTerm) {
    const year = schoolYearLabel(date);
    // A year with terms: any other day in it is a holiday (half terms, Christmas,
    // Easter, summer). A year without: the academy has not published its dates.
    if (calendar.terms.some((t) => t.academicYear === year)) return { reason: "HOLIDAY", message: `${when}: ${date} is in a school holiday (between the academy's terms for ${year}).` };
    return { reason: "OUTSIDE_CALENDAR", message: `${when}: the academy has no school calendar for ${year}: enter its terms first.` };
  }
  const closure = calendar.closures.find((c) => c.start <= date && date <= c.end && (c.session === undefined || c.session === session));
  if (closure) {
    const what = `${CLOSURE_WORDS[closure.kind]}${closure.reason ? ` (${closure.reason})` : ""}`;
    return { reason: "CLOSED", closure, message: `${when}: the academy is closed${closure.session ? ` for the ${closure.session} session` : ""}: ${what}.` };
  }
  const latest = addDays(today, maxDaysAhead);
  if (date > latest) {
    return {
      reason: "TOO_FAR_AHEAD",
      message: `${when} is in the future: registers may be entered at most ${maxDaysAhead} day${maxDaysAhead === 1 ? "" : "s"} ahead (until ${latest}).`,
    };
  }
  return undefined;
}

/** Why a pupil has no session on a date at an academy. */
export type RollRefusalReason = "NOT_ON_ROLL" | "BEFORE_ADMISSION" | "AFTER_DELETION";

export interface RollRefusal {
  reason: RollRefusalReason;
  message: string;
}

/** A stay on an academy's admission register: admitted on `from`, deleted after `to` (null while on roll). */
export interface RollStay {
  from: IsoDate;
  to: IsoDate | null;
}

/**
 * Why a pupil may not be marked on `date`, from their stays on this academy's
 * admission register (regs 8 and 9 of SI 2024/208), or undefined if they were on
 * roll that day. The first day on roll and the last are both sessions.
 */
export function rollRefusal(stays: readonly RollStay[], date: IsoDate): RollRefusal | undefined {
  if (stays.some((s) => s.from <= date && (s.to === null || date <= s.to))) return undefined;
  if (stays.length === 0) return { reason: "NOT_ON_ROLL", message: `Not on this academy's admission register.` };
  const deletedBefore = stays.filter((s) => s.to !== null && s.to < date).map((s) => s.to!).sort().at(-1);
  if (deletedBefore !== undefined) {
    return { reason: "AFTER_DELETION", message: `${date} is after the pupil's deletion from the admission register (last day on roll ${deletedBefore}, reg. 9 of SI 2024/208).` };
  }
  const admitted = stays.map((s) => s.from).sort()[0]!;
  return { reason: "BEFORE_ADMISSION", message: `${date} is before the pupil's admission on ${admitted} (reg. 8 of SI 2024/208: the admission register).` };
}

/**
 * The codes an arrival time decides: present (/ in the morning, \ in the
 * afternoon), L ("arrived late before the register closed") and U ("arrived in
 * school after registration closed"), SI 2024/208, reg. 10 and table 1. Other
 * codes (an illness, a medical appointment) say why, not when, and are the
 * officer's to enter whatever the time.
 */
export const ARRIVAL_CODES: readonly string[] = ["/", "\\", "L", "U"];

/** The present code of a session (SI 2024/208, table 1: / morning, \ afternoon). */
export function presentCode(session: Session): "/" | "\\" {
  return session === "AM" ? "/" : "\\";
}

export interface CodeProblem {
  /** The code the academy's times (or the session) call for. */
  expected: string;
  message: string;
  /** The arrival decision, when a time was given. */
  decision?: ArrivalDecision;
}

/**
 * Whether an entered code agrees with the session and the arrival time given
 * with it, judged by the academy's register times in force that day (`times`;
 * undefined when it publishes none, and then only the session is checked).
 * Undefined when it does.
 */
export function codeProblem(code: string, session: Session, arrival: string | undefined, times: SessionTimes | undefined): CodeProblem | undefined {
  if (!ARRIVAL_CODES.includes(code)) return undefined;
  if (arrival !== undefined && times !== undefined) {
    const decision = classifyArrival(times, session, arrival);
    if (decision.code === code) return undefined;
    return { expected: decision.code, decision, message: `"${code}" does not agree with an arrival at ${arrival}: ${decision.reason}, so the code is "${decision.code}".` };
  }
  if ((code === "/" || code === "\\") && code !== presentCode(session)) {
    const expected = presentCode(session);
    return { expected, message: `"${code}" is the ${session === "AM" ? "afternoon" : "morning"} present code: ${session} presence is "${expected}" (SI 2024/208, table 1).` };
  }
  return undefined;
}
