// Which sessions an academy meets on a day, from its calendar alone. These are
// the school's sessions; a pupil's possible sessions are those while on roll,
// minus sessions marked with a not-possible code (DESIGN.md §8), which only the
// register knows.
import { addDays, weekdayOf, type IsoDate } from "../dates.ts";
import { SESSIONS, type SchoolCalendar, type Session } from "./calendar.ts";
import { halfTermOn } from "./half-terms.ts";

/**
 * The sessions the academy meets on `date`, AM before PM. None at weekends,
 * outside a half term (holidays are the gaps between half terms) or on a
 * whole-day closure; a closure of one session (a half day) removes only that one.
 */
export function sessionsOn(calendar: SchoolCalendar, date: IsoDate): Session[] {
  // English schools do not hold registered sessions at weekends (weekday 6, 7).
  if (weekdayOf(date) > 5) return [];
  if (!halfTermOn(calendar, date)) return [];
  const closed = new Set<Session>();
  for (const closure of calendar.closures) {
    if (closure.start > date || date > closure.end) continue;
    if (closure.session === undefined) return [];
    closed.add(closure.session);
  }
  return SESSIONS.filter((s) => !closed.has(s));
}

/** A day on which the academy meets for at least one session (a half day counts). */
export function isSchoolDay(calendar: SchoolCalendar, date: IsoDate): boolean {
  return sessionsOn(calendar, date).length > 0;
}

export interface DatedSession {
  date: IsoDate;
  session: Session;
}

/** Every session the academy meets from `from` to `to`, both inclusive, in order. */
export function possibleSessions(calendar: SchoolCalendar, from: IsoDate, to: IsoDate): DatedSession[] {
  const out: DatedSession[] = [];
  // Only term days can hold sessions: walk the half terms that overlap the
  // range, never the range itself, so a period reaching to 2099 costs what the
  // calendar holds (issue 13: a leave request to 9999-12-31 walked day by day).
  for (const term of calendar.terms) {
    const first = term.start > from ? term.start : from;
    const last = term.end < to ? term.end : to;
    for (let date = first; date <= last; date = addDays(date, 1)) {
      for (const session of sessionsOn(calendar, date)) out.push({ date, session });
    }
  }
  return out;
}

/**
 * The n-th school day after `date` (returns to the local authority are due
 * "within 5 school days", DESIGN.md §8). Past the calendar's last term, weekdays
 * count, so a due date is never lost for want of next year's dates.
 */
export function addSchoolDays(calendar: SchoolCalendar, date: IsoDate, n: number): IsoDate {
  const lastTermEnd = calendar.terms.at(-1)?.end ?? date;
  const firstTermStart = calendar.terms[0]?.start;
  // Before the calendar's first term no day is a school day: start counting there.
  let day = firstTermStart !== undefined && date < firstTermStart ? addDays(firstTermStart, -1) : date;
  for (let counted = 0; counted < n; ) {
    day = addDays(day, 1);
    if (day > lastTermEnd ? weekdayOf(day) <= 5 : isSchoolDay(calendar, day)) counted++;
  }
  return day;
}
