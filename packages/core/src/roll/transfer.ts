// A transfer between two academies of one trust, as the two admission
// registers see it (The School Attendance (Pupil Registration) (England)
// Regulations 2024, SI 2024/208): the receiving academy enters the pupil from
// the transfer date (reg. 8), and the leaving academy deletes them on the
// ground that they are registered at another school (reg. 9(1), the ground
// DeletionGround.REGISTERED_ELSEWHERE records), their last day on its roll
// being the day before. A session belongs to one register only, so no mark
// may be at the leaving academy on or after the date, nor at the receiving one
// before it. Pure: the caller reads the enrolments and marks.
import { addDays, type IsoDate } from "../dates.ts";

export interface TransferSpell {
  academyId: string;
  from: IsoDate;
  /** Last day on roll; null while on roll. */
  to: IsoDate | null;
}

export interface TransferFacts {
  /** The pupil's current academy (pupil.academy_id). */
  fromAcademyId: string;
  toAcademyId: string;
  /** First day on the receiving academy's roll. */
  date: IsoDate;
  /** Every enrolment of the pupil in the trust. */
  spells: readonly TransferSpell[];
  /** The first date with a mark at the leaving academy on or after `date` (null: none). */
  firstMarkFromDateAtLeaving: IsoDate | null;
  /** The last date with a mark at the receiving academy before `date` (null: none). */
  lastMarkBeforeDateAtReceiving: IsoDate | null;
}

export type TransferProblemReason =
  | "SAME_ACADEMY"
  | "BEFORE_ADMISSION"
  | "OVERLAPS_EARLIER_ROLL"
  | "MARKS_AFTER_TRANSFER"
  | "MARKS_BEFORE_TRANSFER";

export interface TransferProblem {
  field: "toAcademyUrn" | "date";
  reason: TransferProblemReason;
  message: string;
}

export interface TransferPlan {
  /**
   * The leaving academy's open enrolment, closed with `lastDayOnRoll`; null
   * when the pupil is on no roll (deleted earlier, rejoining the trust): then
   * only the new enrolment is opened.
   */
  closing: TransferSpell | null;
  lastDayOnRoll: IsoDate;
  problems: TransferProblem[];
}

/** What a transfer on `date` closes and opens, or why it cannot happen. */
export function planTransfer(f: TransferFacts): TransferPlan {
  const lastDayOnRoll = addDays(f.date, -1);
  const problems: TransferProblem[] = [];
  if (f.fromAcademyId === f.toAcademyId) {
    problems.push({ field: "toAcademyUrn", reason: "SAME_ACADEMY", message: "The pupil is already on this academy's record: nothing to transfer." });
  }
  const closing = f.spells.find((s) => s.academyId === f.fromAcademyId && s.to === null) ?? null;
  if (closing && closing.from > lastDayOnRoll) {
    // At least one day on the leaving roll: a transfer on the admission day itself is a wrong admission, not a transfer.
    problems.push({ field: "date", reason: "BEFORE_ADMISSION", message: `The pupil joined the leaving academy on ${closing.from}: a transfer must be dated after that.` });
  }
  // Every closed spell (at either academy) must end before the new one starts: one roll at a time within the trust.
  const clash = f.spells.find((s) => s !== closing && s.to !== null && s.to >= f.date);
  if (clash) {
    problems.push({ field: "date", reason: "OVERLAPS_EARLIER_ROLL", message: `The pupil was on roll until ${clash.to}: a transfer must be dated after that.` });
  }
  if (f.firstMarkFromDateAtLeaving !== null) {
    problems.push({
      field: "date",
      reason: "MARKS_AFTER_TRANSFER",
      message: `The leaving academy has a mark on ${f.firstMarkFromDateAtLeaving}, on or after the transfer date: date the transfer after its last mark.`,
    });
  }
  if (f.lastMarkBeforeDateAtReceiving !== null) {
    problems.push({
      field: "date",
      reason: "MARKS_BEFORE_TRANSFER",
      message: `The receiving academy has a mark on ${f.lastMarkBeforeDateAtReceiving}, before the transfer date: date the transfer on or before it.`,
    });
  }
  return { closing, lastDayOnRoll, problems };
}
