// The 2025/26 school year for the demo academies. The dates are typical of
// English local authorities' published calendars, not any one LA's.
export interface DemoTerm {
  name: string;
  start: string;
  end: string;
}

export const ACADEMIC_YEAR = "2025/26";

export const HALF_TERMS: readonly DemoTerm[] = [
  { name: "Autumn 1", start: "2025-09-03", end: "2025-10-24" },
  { name: "Autumn 2", start: "2025-11-03", end: "2025-12-19" },
  { name: "Spring 1", start: "2026-01-05", end: "2026-02-13" },
  { name: "Spring 2", start: "2026-02-23", end: "2026-03-27" },
  { name: "Summer 1", start: "2026-04-13", end: "2026-05-22" },
  { name: "Summer 2", start: "2026-06-01", end: "2026-07-21" },
];

export interface DemoClosure {
  kind: "INSET" | "BANK_HOLIDAY";
  start: string;
  end: string;
  reason: string;
}

/** Closures within terms: three INSET days and the early May bank holiday. */
export const CLOSURES: readonly DemoClosure[] = [
  { kind: "INSET", start: "2025-09-03", end: "2025-09-03", reason: "Staff training day" },
  { kind: "INSET", start: "2026-01-05", end: "2026-01-05", reason: "Staff training day" },
  { kind: "INSET", start: "2026-06-01", end: "2026-06-01", reason: "Staff training day" },
  { kind: "BANK_HOLIDAY", start: "2026-05-04", end: "2026-05-04", reason: "Early May bank holiday" },
];

/** A day of widespread travel disruption in the demo half term (code Y2 for some pupils). */
export const TRAVEL_DISRUPTION_DAY = "2025-10-08";
