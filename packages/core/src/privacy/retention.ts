// How long a pupil's records are kept, and when they are anonymised.
//
// "Every entry in the admission register and attendance register must be
// preserved for a period of six years from the date on which the entry was
// made" (School Attendance (Pupil Registration) (England) Regulations 2024,
// reg. 14). Seed 003's "3 years" (its 3.5) is the earlier 2006 Regulations'
// period; the 2024 Regulations, in force from 19 August 2024, replaced it.
// After that, personal data is kept no longer than necessary (UK GDPR
// Art. 5(1)(e)): the pupil is anonymised, the statistics kept.
import { DateTime } from "luxon";
import type { IsoDate } from "../dates.ts";

/** Years a register entry is preserved (2024 Regulations, reg. 14). */
export const REGISTER_RETENTION_YEARS = 6;

export const RETENTION_SOURCE =
  "School Attendance (Pupil Registration) (England) Regulations 2024, reg. 14: every entry preserved for six years from the date on which it was made";

/** The last day an entry made on `entryDate` must still be kept. */
export function retainedUntil(entryDate: IsoDate): IsoDate {
  return DateTime.fromISO(entryDate, { zone: "utc" }).plus({ years: REGISTER_RETENTION_YEARS }).minus({ days: 1 }).toISODate()!;
}

export interface RetentionFacts {
  /** The latest date on which any entry about the pupil was made (a mark, an amendment, an admission or deletion). */
  lastEntry: IsoDate;
  /** Whether the pupil is on any academy's roll now. */
  onRoll: boolean;
  /** Whether the pupil was anonymised already. */
  anonymised: boolean;
}

export type RetentionDecision =
  | { due: true; retainedUntil: IsoDate }
  | { due: false; reason: "ON_ROLL" | "ANONYMISED" | "WITHIN_PERIOD"; retainedUntil: IsoDate };

/** Whether a pupil's records are due for anonymisation on `today`. */
export function retentionDecision(facts: RetentionFacts, today: IsoDate): RetentionDecision {
  const until = retainedUntil(facts.lastEntry);
  if (facts.anonymised) return { due: false, reason: "ANONYMISED", retainedUntil: until };
  if (facts.onRoll) return { due: false, reason: "ON_ROLL", retainedUntil: until };
  if (today <= until) return { due: false, reason: "WITHIN_PERIOD", retainedUntil: until };
  return { due: true, retainedUntil: until };
}
