// A lateness ladder: so many lates in a week or a half term lead to an action
// (a detention, a meeting, a referral). Evaluated as a pure function of the
// ladder and the pupil's late arrivals, with the reason for each step.
import { z } from "zod";
import { addDays, weekdayOf, type IsoDate } from "../dates.ts";

export const LadderStepSchema = z.object({
  /** This many lates or more… */
  lates: z.number().int().min(1).max(100),
  /** …in the same week (Monday to Sunday) or half term… */
  per: z.enum(["WEEK", "HALF_TERM"]),
  /** …lead to this action. */
  action: z.string().min(1).max(200),
});

export type LadderStep = z.infer<typeof LadderStepSchema>;

export interface LadderStepPosition extends LadderStep {
  /** Lates counted for this step's period. */
  count: number;
  from: IsoDate;
  to: IsoDate;
  reached: boolean;
  reason: string;
}

/**
 * Where a pupil stands on the ladder on `asOf`: each step with the lates in
 * its period (the week, or the half term, containing `asOf`) and whether it is
 * reached. `lates` are the dates of sessions marked late (L, or U: arrived
 * after the register closed — both are late arrivals).
 */
export function evaluateLatenessLadder(
  ladder: readonly LadderStep[],
  lates: readonly IsoDate[],
  asOf: IsoDate,
  halfTerm: { start: IsoDate; end: IsoDate } | undefined,
): LadderStepPosition[] {
  const weekStart = addDays(asOf, 1 - weekdayOf(asOf));
  const week = { from: weekStart, to: addDays(weekStart, 6) };
  return ladder.map((step) => {
    const range = step.per === "WEEK" ? week : halfTerm ? { from: halfTerm.start, to: halfTerm.end } : undefined;
    if (!range) {
      return { ...step, count: 0, from: asOf, to: asOf, reached: false, reason: "not in a half term on this date" };
    }
    // Up to asOf: a ladder looks back, never ahead.
    const count = lates.filter((d) => range.from <= d && d <= range.to && d <= asOf).length;
    const period = step.per === "WEEK" ? `the week of ${range.from}` : `the half term from ${range.from}`;
    return {
      ...step,
      ...range,
      count,
      reached: count >= step.lates,
      reason: `${count} late${count === 1 ? "" : "s"} in ${period}; ${step.lates} lead${step.lates === 1 ? "s" : ""} to: ${step.action}`,
    };
  });
}

// ─── The absence ladder ───────────────────────────────────────────────────────

export const AbsenceStepSchema = z.object({
  /** Cumulative attendance below this (a fraction: 0.96 for 96%)… */
  below: z.number().min(0).max(1),
  /**
   * …or at it too, when true (default false: strictly below, as local ladders
   * word it: "attendance below 90%"). The national definitions count exactly
   * 10% absence as persistent and exactly 50% as severe (Working together to
   * improve school attendance, DfE, August 2024), i.e. attendance at or below
   * 90% and 50%: a ladder built on them says so here.
   */
  inclusive: z.boolean().optional(),
  /** …leads to these actions. */
  actions: z.array(z.string().min(1).max(300)).min(1),
});

export type AbsenceStep = z.infer<typeof AbsenceStepSchema>;

export interface AbsenceStepPosition extends AbsenceStep {
  reached: boolean;
  reason: string;
}

/** Where a pupil with this cumulative attendance stands on the absence ladder (null: no possible sessions yet). */
export function evaluateAbsenceLadder(ladder: readonly AbsenceStep[], attendanceRate: number | null): AbsenceStepPosition[] {
  const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
  return [...ladder]
    .sort((a, b) => b.below - a.below)
    .map((step) => {
      // A rate of exactly 90% is computed as present/possible, and IEEE division
      // rounds it to the same double as the literal 0.9, so `<=` is exact here.
      const reached = attendanceRate !== null && (step.inclusive ? attendanceRate <= step.below : attendanceRate < step.below);
      const relation = step.inclusive ? "at or below" : "below";
      const reason = attendanceRate === null
        ? "No possible sessions yet."
        : `Attendance ${pct(attendanceRate)} is ${reached ? relation : `not ${relation}`} ${pct(step.below)}.`;
      return { ...step, reached, reason };
    });
}
