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
 * Statutory guidance expects the register to be open no longer than 30
 * minutes, and for the same length of time every session ("Working together
 * to improve school attendance", DfE, August 2024, recording attendance: code
 * L). Guidance, not law: the School Attendance (Pupil Registration) (England)
 * Regulations 2024 (SI 2024/208), reg. 10(2), table 1, define L and U by
 * "before/after the taking of the register has ended" and leave the time to
 * the school. So this is checked and reported, never applied to a school's
 * published times.
 */
export const GUIDANCE_MAX_MINUTES_OPEN = 30;

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

/** How long the register is open: from when it starts to be taken to when it closes, in minutes. */
export function minutesOpen(times: SessionTimes): number {
  return minutesOf(times.closes) - minutesOf(times.starts);
}
