// Which half term a date falls in: statistics are reported by half term
// (DESIGN.md §3), and a half term names its school year.
import type { IsoDate } from "../dates.ts";
import type { HalfTerm, SchoolCalendar } from "./calendar.ts";

/**
 * The half term whose dates (first to last day, weekends included) contain
 * `date`; undefined in a holiday, i.e. between half terms or outside the calendar.
 */
export function halfTermOn(calendar: SchoolCalendar, date: IsoDate): HalfTerm | undefined {
  return calendar.terms.find((t) => t.start <= date && date <= t.end);
}
