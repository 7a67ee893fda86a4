// Which codes are in force on a date, and what a code means on that date.
import { NATIONAL_CODES, type AttendanceCode } from "./national-codes.ts";
import type { IsoDate } from "../dates.ts";

function inForce(entry: AttendanceCode, date: IsoDate): boolean {
  return (entry.validFrom === undefined || entry.validFrom <= date) && (entry.validTo === undefined || date <= entry.validTo);
}

/** Every code a register may use on `date`. */
export function codesInForce(date: IsoDate, codes: readonly AttendanceCode[] = NATIONAL_CODES): AttendanceCode[] {
  return codes.filter((entry) => inForce(entry, date));
}

/** The code's meaning and category on `date`, or undefined if it is not a valid code then. */
export function codeOn(code: string, date: IsoDate, codes: readonly AttendanceCode[] = NATIONAL_CODES): AttendanceCode | undefined {
  return codes.find((entry) => entry.code === code && inForce(entry, date));
}

/** A code that is not valid on a date: the message says which codes are. */
export class InvalidAttendanceCodeError extends Error {
  constructor(
    readonly code: string,
    readonly date: IsoDate,
  ) {
    super(
      `"${code}" is not an attendance code in force on ${date}. Valid codes then: ${codesInForce(date)
        .map((c) => c.code)
        .join(" ")}`,
    );
    this.name = "InvalidAttendanceCodeError";
  }
}

/** Like codeOn, but throws InvalidAttendanceCodeError for a code not valid on `date`. */
export function requireCodeOn(code: string, date: IsoDate): AttendanceCode {
  const entry = codeOn(code, date);
  if (!entry) throw new InvalidAttendanceCodeError(code, date);
  return entry;
}
