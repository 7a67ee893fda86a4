// Calendar dates in the domain are ISO strings (yyyy-mm-dd): a register date is
// a date in the academy's own time zone, with no time of day, and ISO strings
// compare and sort correctly as text.
import { DateTime } from "luxon";

export type IsoDate = string;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(value: string): value is IsoDate {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: "utc" }).isValid;
}

/** The ISO date of a JavaScript Date that holds a DATE column (midnight UTC). */
export function isoDateOf(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** A DATE column value (midnight UTC) for an ISO date. */
export function dateOfIso(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** The date `days` after `date` (negative for before). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return DateTime.fromISO(date, { zone: "utc" }).plus({ days }).toISODate()!;
}

/** ISO weekday: 1 Monday … 7 Sunday. */
export function weekdayOf(date: IsoDate): number {
  return DateTime.fromISO(date, { zone: "utc" }).weekday;
}

/** The English school year containing `date`: 1 September to 31 August. */
export function schoolYearOf(date: IsoDate): { start: IsoDate; end: IsoDate } {
  const year = Number(date.slice(0, 4)) - (date.slice(5) < "09-01" ? 1 : 0);
  return { start: `${year}-09-01`, end: `${year + 1}-08-31` };
}
