// School weeks, as the national penalty-notice framework counts them: the
// threshold is 10 sessions of unauthorised absence "within a rolling period of
// 10 school weeks", where "a school week means any week in which there is at
// least one school session", and the period "can span different terms or
// school years" ("Working together to improve school attendance", August 2024;
// DESIGN.md §8). A pupil who changed school, or is dual registered, has several
// calendars: a week is a school week if any of the pupil's schools met in it
// while the pupil was on its roll.
import { addDays, dateOfIso, weekdayOf, type IsoDate } from "../dates.ts";
import type { SchoolCalendar } from "./calendar.ts";
import { sessionsOn } from "./sessions.ts";

/**
 * A school's calendar, limited to the days the pupil was on its roll. The
 * limits matter for a pupil who moved: the old school's terms after the move
 * (or the new school's before it) must not turn the pupil's holiday into a
 * school week.
 */
export interface CalendarOnRoll {
  calendar: SchoolCalendar;
  /** First day on roll, inclusive; absent: from the start of the calendar. */
  from?: IsoDate;
  /** Last day on roll, inclusive; absent: to the end of the calendar. */
  to?: IsoDate;
}

/** The calendars of every school the pupil attended: a bare calendar counts for all its dates. */
export type PupilCalendars = readonly (SchoolCalendar | CalendarOnRoll)[];

/** A week, Monday to Sunday. */
export interface CalendarWeek {
  /** The Monday. */
  start: IsoDate;
  /** The Sunday. */
  end: IsoDate;
}

/**
 * The Monday-to-Sunday week containing `date`. The framework says "week"
 * without defining its first day; we follow the brief and MIS practice of
 * Monday to Sunday, which never splits a school week's sessions.
 */
export function weekOf(date: IsoDate): CalendarWeek {
  const start = addDays(date, 1 - weekdayOf(date));
  return { start, end: addDays(start, 6) };
}

function onRoll(c: SchoolCalendar | CalendarOnRoll): CalendarOnRoll {
  return "calendar" in c ? c : { calendar: c };
}

/** A week with at least one session at one of the pupil's schools while on its roll. */
export function isSchoolWeek(calendars: PupilCalendars, week: CalendarWeek): boolean {
  return calendars.map(onRoll).some(({ calendar, from, to }) => {
    for (let d = week.start; d <= week.end; d = addDays(d, 1)) {
      if (from !== undefined && d < from) continue;
      if (to !== undefined && d > to) continue;
      if (sessionsOn(calendar, d).length > 0) return true;
    }
    return false;
  });
}

/**
 * The school weeks among the weeks that touch `from`…`to` (inclusive), in
 * order. A week is a whole unit: a week partly inside the range is listed if
 * it is a school week at all, even if its sessions fall outside the range.
 */
export function schoolWeeks(calendars: PupilCalendars, from: IsoDate, to: IsoDate): CalendarWeek[] {
  const out: CalendarWeek[] = [];
  // Weeks outside every calendar's terms cannot be school weeks: walk only the
  // span the calendars cover, whatever the range asked for.
  const starts = calendars.map((c) => onRoll(c).calendar.terms.map((t) => t.start)).flat().sort();
  const ends = calendars.map((c) => onRoll(c).calendar.terms.map((t) => t.end)).flat().sort();
  if (starts.length === 0) return out;
  if (from < starts[0]!) from = starts[0]!;
  if (to > ends.at(-1)!) to = ends.at(-1)!;
  if (from > to) return out;
  for (let week = weekOf(from); week.start <= to; week = weekOf(addDays(week.start, 7))) {
    if (isSchoolWeek(calendars, week)) out.push(week);
  }
  return out;
}

export interface SchoolWeekWindow {
  /** The Monday of the earliest school week counted. */
  from: IsoDate;
  /** The Sunday of the week containing the end date (counted only if it is a school week). */
  to: IsoDate;
  /** The school weeks counted, oldest first. */
  schoolWeeks: CalendarWeek[];
  /** Calendar weeks from `from` to `to`: school weeks plus the holiday weeks skipped. */
  calendarWeeks: number;
  /**
   * False when the calendars ran out before `weeks` school weeks were found
   * (the pupil's history is shorter than the window): the window is what there is.
   */
  complete: boolean;
}

/**
 * The last `weeks` school weeks ending with the week containing `endDate`,
 * skipping weeks without a session (holidays), across terms, school years and
 * schools (pass every calendar the pupil was on roll with, see PupilCalendars).
 * For the penalty-notice threshold count the pupil's unauthorised sessions
 * (G, N, O, U) dated from `from` to `to`.
 */
export function rollingSchoolWeekWindow(calendars: PupilCalendars, endDate: IsoDate, weeks: number): SchoolWeekWindow {
  if (!Number.isInteger(weeks) || weeks < 1) throw new RangeError(`a window of school weeks needs a positive whole number of weeks, not ${weeks}`);
  // No school week can start before the earliest day any calendar could meet.
  const earliest = calendars
    .map(onRoll)
    .flatMap(({ calendar, from }) => calendar.terms.map((t) => (from !== undefined && from > t.start ? from : t.start)))
    .reduce<IsoDate | undefined>((min, d) => (min === undefined || d < min ? d : min), undefined);
  const last = weekOf(endDate);
  const found: CalendarWeek[] = [];
  for (let week = last; earliest !== undefined && week.end >= earliest && found.length < weeks; week = weekOf(addDays(week.start, -7))) {
    if (isSchoolWeek(calendars, week)) found.push(week);
  }
  found.reverse();
  const from = found[0]?.start ?? last.start;
  const calendarWeeks = Math.round((dateOfIso(last.start).getTime() - dateOfIso(from).getTime()) / (7 * 86_400_000)) + 1;
  return { from, to: last.end, schoolWeeks: found, calendarWeeks, complete: found.length === weeks };
}
