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

/**
 * The dates the service accepts: school registers from 2000 to the end of the
 * century. A date outside is a typing mistake or an attack (issue 13: a leave
 * request to 9999-12-31 stopped the server), never a register.
 */
export const EARLIEST_DATE: IsoDate = "2000-01-01";
export const LATEST_DATE: IsoDate = "2099-12-31";

export function isSupportedDate(date: IsoDate): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}

/** Days from `from` to `to`, both inclusive (0 when `to` is before `from`). */
export function daysInPeriod(from: IsoDate, to: IsoDate): number {
  if (to < from) return 0;
  // Every attendance field checks its period (errors.ts requirePeriod), so an
  // officer's forms × 30 pupils ask this about 1,000 times a request; luxon's
  // diff took 74 ms of them (issue 17, item 1). Plain yyyy-mm-dd dates are
  // counted in UTC days, which have no DST, so the answer is the same;
  // anything else (another ISO form, an impossible date) goes to luxon as before.
  const days = utcDayNumber(to) - utcDayNumber(from);
  if (Number.isInteger(days)) return days + 1;
  return DateTime.fromISO(to, { zone: "utc" }).diff(DateTime.fromISO(from, { zone: "utc" }), "days").days + 1;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a valid yyyy-mm-dd date; NaN for anything else. */
function utcDayNumber(date: IsoDate): number {
  if (!ISO_DATE.test(date)) return NaN;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1;
  const day = Number(date.slice(8, 10));
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0–99 as 1900–1999.
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  // 2025-02-30 would roll over into March: luxon calls it invalid.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month || d.getUTCDate() !== day) return NaN;
  return d.getTime() / DAY_MS;
}

/**
 * Why a period cannot be asked about, or undefined when it can: in order, at
 * most `maxDays` long, within the supported dates.
 */
export function periodProblem(from: IsoDate, to: IsoDate, maxDays: number): string | undefined {
  if (!isSupportedDate(from) || !isSupportedDate(to)) return `Dates run from ${EARLIEST_DATE} to ${LATEST_DATE}.`;
  if (to < from) return "The period must end on or after it starts.";
  const days = daysInPeriod(from, to);
  if (days > maxDays) return `The period is ${days} days long. At most ${maxDays} days can be asked for at once: split it into school years.`;
  return undefined;
}
