// One academy's school calendar as a value: its half terms and the closures
// within them. Holidays are not stored: they are the gaps between half terms,
// as in the database (prisma/schema.prisma, SchoolTerm and SchoolClosure).
import { z } from "zod";
import { isIsoDate, type IsoDate } from "../dates.ts";

/** A register session: morning or afternoon (Pupil Registration Regulations 2024: two sessions a day). */
export type Session = "AM" | "PM";
export const SESSIONS: readonly Session[] = ["AM", "PM"];

/**
 * Why the academy does not meet on a day within a term. The kind matters to
 * registers (a planned closure is marked #, an unexpected one Y4, DESIGN.md §8),
 * not to the calendar: each kind removes the sessions it covers.
 */
export type ClosureKind = "INSET" | "BANK_HOLIDAY" | "PLANNED" | "UNEXPECTED";
export const CLOSURE_KINDS: readonly ClosureKind[] = ["INSET", "BANK_HOLIDAY", "PLANNED", "UNEXPECTED"];

export interface HalfTerm {
  /** e.g. "Autumn 1". */
  name: string;
  /** The school year, e.g. "2025/26". */
  academicYear: string;
  /** First day of the half term, inclusive. */
  start: IsoDate;
  /** Last day of the half term, inclusive. */
  end: IsoDate;
}

export interface Closure {
  kind: ClosureKind;
  /** First closed day, inclusive. */
  start: IsoDate;
  /** Last closed day, inclusive (the same as start for one day). */
  end: IsoDate;
  /** Only this session on each day of the range (a half-day closure); absent: the whole day. */
  session?: Session;
  reason?: string;
}

export interface SchoolCalendar {
  /** The half terms, in date order and not overlapping (schoolCalendar() checks). */
  terms: readonly HalfTerm[];
  closures: readonly Closure[];
}

const isoDate = z.string().refine(isIsoDate, { message: "a date, yyyy-mm-dd" });
const session = z.enum(["AM", "PM"]);

const HalfTermSchema = z
  .object({ name: z.string().min(1), academicYear: z.string().regex(/^\d{4}\/\d{2}$/, 'a school year, e.g. "2025/26"'), start: isoDate, end: isoDate })
  .refine((t) => t.start <= t.end, { message: "a half term ends on or after its start" });

const ClosureSchema = z
  .object({ kind: z.enum(["INSET", "BANK_HOLIDAY", "PLANNED", "UNEXPECTED"]), start: isoDate, end: isoDate, session: session.optional(), reason: z.string().optional() })
  .refine((c) => c.start <= c.end, { message: "a closure ends on or after its start" });

export const SchoolCalendarSchema = z
  .object({ terms: z.array(HalfTermSchema), closures: z.array(ClosureSchema) })
  .transform((c) => ({ ...c, terms: [...c.terms].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0)) }))
  // Overlapping half terms would make "which half term is this date in" ambiguous.
  .refine((c) => c.terms.every((t, i) => i === 0 || c.terms[i - 1]!.end < t.start), { message: "half terms must not overlap" });

/** Validates a calendar (real dates, ranges in order, no overlapping half terms) and sorts its terms. */
export function schoolCalendar(input: unknown): SchoolCalendar {
  return SchoolCalendarSchema.parse(input);
}
