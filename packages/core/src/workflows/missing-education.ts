// Children missing education: unexplained absence followed up day by day. A
// run is the consecutive school days, up to a date, on which every mark the
// pupil has is N (no reason yet) or O (no reason given after a reasonable time:
// seed 003's code table). A day with any other mark ends the run; a school day
// with no mark yet (a register not taken) neither extends nor ends it.
import type { IsoDate } from "../dates.ts";

export const UNEXPLAINED_CODES: readonly string[] = ["N", "O"];

export interface DayMarks {
  date: IsoDate;
  codes: readonly string[];
}

export interface Run {
  /** The first school day of unexplained absence. */
  from: IsoDate;
  /** The last. */
  to: IsoDate;
  /** Consecutive school days of unexplained absence. */
  schoolDays: number;
}

/** The run of unexplained absence that is still going on `asOf` (null if the pupil's last marked day was explained). */
export function unexplainedAbsenceRun(days: readonly DayMarks[], asOf: IsoDate): Run | null {
  const marked = days.filter((d) => d.date <= asOf && d.codes.length > 0).sort((a, b) => a.date.localeCompare(b.date));
  // The unexplained days since the last explained one.
  let since = 0;
  marked.forEach((day, i) => {
    if (!day.codes.every((c) => UNEXPLAINED_CODES.includes(c))) since = i + 1;
  });
  const tail = marked.slice(since);
  const run: Run | null = tail.length === 0 ? null : { from: tail[0]!.date, to: tail.at(-1)!.date, schoolDays: tail.length };
  return run;
}

export interface MissingEducationStep {
  afterSchoolDays: number;
  action: string;
  by: string;
}

export interface StepDue extends MissingEducationStep {
  /** The run's school day on which the step fell due. */
  dueOn: IsoDate;
  reason: string;
}

/** The steps reached by a run, each due on the run's n-th school day. */
export function missingEducationSteps(steps: readonly MissingEducationStep[], days: readonly DayMarks[], asOf: IsoDate): { run: Run | null; due: StepDue[] } {
  const run = unexplainedAbsenceRun(days, asOf);
  if (!run) return { run, due: [] };
  const runDays = days
    .filter((d) => d.date >= run.from && d.date <= run.to && d.codes.length > 0)
    .map((d) => d.date)
    .sort();
  const due = steps
    .filter((s) => s.afterSchoolDays <= run.schoolDays)
    .map((s) => ({
      ...s,
      dueOn: runDays[s.afterSchoolDays - 1]!,
      reason: `${run.schoolDays} consecutive school day${run.schoolDays === 1 ? "" : "s"} of unexplained absence since ${run.from}; day ${s.afterSchoolDays}: ${s.action}.`,
    }));
  return { run, due };
}
