// The demo academies' school calendars. The academies are invented and so are
// their dates, but they are plausible: typical of English local authorities'
// published calendars (not any one LA's), with school closed on the bank
// holidays of England and Wales published at https://www.gov.uk/bank-holidays
// (Christmas, Boxing Day, New Year's Day, Good Friday and Easter Monday fall in
// holidays; the early May bank holiday falls in term and is a closure).
//
// 2025/26 is each academy's own calendar (as it was first loaded); 2024/25 and
// 2026/27 are each trust's calendar, which its academies inherit.
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

export interface DemoYear {
  academicYear: string;
  terms: readonly DemoTerm[];
  closures: readonly DemoClosure[];
}

/** The trust-wide calendars: the year before and the year after the demo year. */
export const TRUST_YEARS: readonly DemoYear[] = [
  {
    academicYear: "2024/25",
    terms: [
      { name: "Autumn 1", start: "2024-09-03", end: "2024-10-25" },
      { name: "Autumn 2", start: "2024-11-04", end: "2024-12-20" },
      { name: "Spring 1", start: "2025-01-06", end: "2025-02-14" },
      { name: "Spring 2", start: "2025-02-24", end: "2025-04-04" },
      // Easter Monday is 21 April 2025 (gov.uk): back on the Tuesday.
      { name: "Summer 1", start: "2025-04-22", end: "2025-05-23" },
      { name: "Summer 2", start: "2025-06-02", end: "2025-07-22" },
    ],
    closures: [
      { kind: "INSET", start: "2024-09-03", end: "2024-09-03", reason: "Staff training day" },
      { kind: "INSET", start: "2025-01-06", end: "2025-01-06", reason: "Staff training day" },
      { kind: "INSET", start: "2025-06-02", end: "2025-06-02", reason: "Staff training day" },
      { kind: "BANK_HOLIDAY", start: "2025-05-05", end: "2025-05-05", reason: "Early May bank holiday" },
    ],
  },
  {
    academicYear: "2026/27",
    terms: [
      { name: "Autumn 1", start: "2026-09-02", end: "2026-10-23" },
      { name: "Autumn 2", start: "2026-11-02", end: "2026-12-18" },
      { name: "Spring 1", start: "2027-01-04", end: "2027-02-12" },
      // Good Friday is 26 March 2027 and Easter Monday 29 March (gov.uk).
      { name: "Spring 2", start: "2027-02-22", end: "2027-03-25" },
      { name: "Summer 1", start: "2027-04-12", end: "2027-05-28" },
      { name: "Summer 2", start: "2027-06-07", end: "2027-07-21" },
    ],
    closures: [
      { kind: "INSET", start: "2026-09-02", end: "2026-09-02", reason: "Staff training day" },
      { kind: "INSET", start: "2027-01-04", end: "2027-01-04", reason: "Staff training day" },
      { kind: "INSET", start: "2027-06-07", end: "2027-06-07", reason: "Staff training day" },
      { kind: "BANK_HOLIDAY", start: "2027-05-03", end: "2027-05-03", reason: "Early May bank holiday" },
    ],
  },
];
