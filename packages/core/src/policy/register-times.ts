// When a session's register opens, when an arrival becomes late, and when the
// register closes: the times that decide present (/ or \), late (L) and
// unauthorised late (U) for an arrival.
import { z } from "zod";

/** A local wall-clock time, hh:mm in 24 hours. */
export const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The schema of a clock time, for settings. */
export const ClockTimeSchema = z.string().regex(CLOCK_TIME, "a 24-hour time, hh:mm");
const clock = ClockTimeSchema;

export const SessionTimesSchema = z
  .object({
    /** When the register is taken: arriving by then is on time. */
    starts: clock,
    /** Arriving after this is late (L). Usually the same as `starts`. */
    lateAfter: clock,
    /** Arriving after this is unauthorised late (U): the register has closed. */
    closes: clock,
  })
  .refine((t) => t.starts <= t.lateAfter && t.lateAfter <= t.closes, {
    message: "times must run starts ≤ lateAfter ≤ closes",
  });

export type SessionTimes = z.infer<typeof SessionTimesSchema>;

export const RegisterTimesSchema = z.object({
  AM: SessionTimesSchema.optional(),
  PM: SessionTimesSchema.optional(),
});

export type RegisterTimes = z.infer<typeof RegisterTimesSchema>;

/**
 * From 19 August 2024 a register may stay open for at most 30 minutes after
 * the session starts (School Attendance (Pupil Registration) (England)
 * Regulations 2024; DESIGN.md §8).
 */
export const MAX_MINUTES_OPEN = 30;

export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return h! * 60 + m!;
}

export function clockOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

export type ArrivalClass = "ON_TIME" | "LATE" | "AFTER_CLOSE";

export interface ArrivalDecision {
  outcome: ArrivalClass;
  /** The code to record: / (AM) or \ (PM) on time, L late, U after the register closed. */
  code: string;
  /** Minutes after the session started; 0 when on time. */
  minutesLate: number;
  reason: string;
}

/** Decides an arrival at `arrival` (hh:mm, local time) against a session's times. */
export function classifyArrival(times: SessionTimes, session: "AM" | "PM", arrival: string): ArrivalDecision {
  const at = minutesOf(arrival);
  const minutesLate = Math.max(0, at - minutesOf(times.starts));
  if (at <= minutesOf(times.lateAfter)) {
    return { outcome: "ON_TIME", code: session === "AM" ? "/" : "\\", minutesLate: 0, reason: `arrived by ${times.lateAfter}` };
  }
  if (at <= minutesOf(times.closes)) {
    return { outcome: "LATE", code: "L", minutesLate, reason: `arrived after ${times.lateAfter}, before the register closed at ${times.closes}` };
  }
  return { outcome: "AFTER_CLOSE", code: "U", minutesLate, reason: `arrived after the register closed at ${times.closes}` };
}

/**
 * The national limit on a session's times: the register closes at most 30
 * minutes after the session starts (and nothing is late after it closes).
 * Undefined when the times are already lawful.
 */
export function capRegisterTimes(times: SessionTimes): SessionTimes | undefined {
  const latest = clockOf(minutesOf(times.starts) + MAX_MINUTES_OPEN);
  if (times.closes <= latest) return undefined;
  return { starts: times.starts, lateAfter: times.lateAfter <= latest ? times.lateAfter : latest, closes: latest };
}
