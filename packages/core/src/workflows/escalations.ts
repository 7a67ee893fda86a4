// Escalations: the ladders' steps a pupil has reached, as case actions with a
// stable trigger key. The key names the rule and the period it was reached in,
// so evaluating twice (after every register write, and on demand) finds the
// same keys and creates nothing twice; the next week's third late is a new key.
import type { IsoDate } from "../dates.ts";
import type { AbsenceStepPosition, LadderStepPosition } from "../policy/lateness-ladder.ts";
import type { StepDue } from "./missing-education.ts";

export const ACTION_KINDS = ["DETENTION", "LETTER", "MEETING", "TARGETS", "PARENTING_CONTRACT", "REFERRAL", "HOME_VISIT", "CONTACT", "OTHER"] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

// Ladder steps are the documents' own words; the kind is read from them, first match wins.
const KIND_WORDS: readonly [RegExp, ActionKind][] = [
  // "Attendance contracts" are what Working together to improve school attendance
  // (DfE, August 2024) calls the written voluntary agreement with parents (seeds 000
  // and 002); its 2022 version (seed 001) said "parenting contracts".
  [/parenting contract|attendance contract/i, "PARENTING_CONTRACT"],
  [/referr|notification|tell the local authority|cme form|removal from roll|deletion from the roll/i, "REFERRAL"],
  [/detention/i, "DETENTION"],
  [/home visit|safe and well/i, "HOME_VISIT"],
  [/target/i, "TARGETS"],
  [/meeting/i, "MEETING"],
  [/letter|message/i, "LETTER"],
  [/telephone|phone|call|contact/i, "CONTACT"],
];

export function actionKind(action: string): ActionKind {
  return KIND_WORDS.find(([words]) => words.test(action))?.[1] ?? "OTHER";
}

export type EscalationSource = "LATENESS_LADDER" | "ABSENCE_LADDER" | "MISSING_EDUCATION";

export interface DueAction {
  triggerKey: string;
  source: EscalationSource;
  kind: ActionKind;
  action: string;
  /** Who acts (a role), where the policy says. */
  assignee: string | null;
  /** The day the step was reached (the due date is counted from it). */
  raisedOn: IsoDate;
  reason: string;
}

/** The actions due from a pupil's positions on the ladders and their unexplained-absence run. */
export function dueActions(input: {
  asOf: IsoDate;
  schoolYear: string;
  lateness: readonly LadderStepPosition[] | null;
  absence: readonly AbsenceStepPosition[] | null;
  missingEducation: readonly StepDue[];
  missingEducationFrom: IsoDate | null;
}): DueAction[] {
  const out: DueAction[] = [];
  for (const step of input.lateness ?? []) {
    if (!step.reached) continue;
    out.push({
      triggerKey: `lateness:${step.per}:${step.lates}:${step.from}`,
      source: "LATENESS_LADDER", kind: actionKind(step.action), action: step.action, assignee: null, raisedOn: input.asOf, reason: step.reason,
    });
  }
  for (const step of input.absence ?? []) {
    if (!step.reached) continue;
    step.actions.forEach((action, i) =>
      out.push({
        triggerKey: `absence:${step.below}:${input.schoolYear}:${i}`,
        source: "ABSENCE_LADDER", kind: actionKind(action), action, assignee: null, raisedOn: input.asOf, reason: step.reason,
      }),
    );
  }
  for (const step of input.missingEducation) {
    out.push({
      triggerKey: `cme:${step.afterSchoolDays}:${input.missingEducationFrom}`,
      source: "MISSING_EDUCATION", kind: actionKind(step.action), action: step.action, assignee: step.by, raisedOn: step.dueOn, reason: step.reason,
    });
  }
  return out;
}

// ─── Cases follow the marks ───────────────────────────────────────────────────
//
// An amendment changes the register (SI 2024/208, reg. 5: the original entry
// and the amendment are both kept); the case actions raised from the old entry
// must follow. An open action whose evidence includes the amended session is
// evaluated again, on the date it was raised for, with the register as it now
// stands: if its trigger key is no longer due, it is withdrawn (kept, with the
// amendment as its reason), never deleted.

/** An open case action, as stored. */
export interface RaisedAction {
  source: EscalationSource;
  triggerKey: string;
  dueOn: IsoDate;
  evidence: unknown;
}

/** The amended session. */
export interface AmendedSession {
  /** The version amended (the evidence names marks by id). */
  markId: string;
  date: IsoDate;
  session: "AM" | "PM";
}

interface LateEvidence { lates?: { markId?: string; date?: string; session?: string }[] }
interface AbsenceEvidence { from?: string; to?: string }
interface RunEvidence { run?: { from?: string } | null; days?: { date?: string }[] }

/** Whether the action's evidence includes the amended session. */
export function actionCitesSession(action: RaisedAction, amended: AmendedSession): boolean {
  const evidence = (action.evidence ?? {}) as LateEvidence & AbsenceEvidence & RunEvidence;
  switch (action.source) {
    case "LATENESS_LADDER":
      return (evidence.lates ?? []).some((l) => l.markId === amended.markId || (l.date === amended.date && l.session === amended.session));
    case "ABSENCE_LADDER":
      return evidence.from !== undefined && evidence.to !== undefined && evidence.from <= amended.date && amended.date <= evidence.to;
    case "MISSING_EDUCATION":
      return (evidence.days ?? []).some((d) => d.date === amended.date)
        || (evidence.run?.from !== undefined && evidence.run.from <= amended.date && amended.date <= action.dueOn);
  }
}

/** The date an action's trigger is evaluated again on: the date it was reached for. */
export function reevaluationDate(action: RaisedAction): IsoDate {
  const evidence = (action.evidence ?? {}) as LateEvidence & AbsenceEvidence;
  switch (action.source) {
    case "LATENESS_LADDER": {
      const dates = (evidence.lates ?? []).map((l) => l.date).filter((d): d is string => typeof d === "string").sort();
      return dates.at(-1) ?? action.dueOn;
    }
    case "ABSENCE_LADDER":
      return evidence.to ?? action.dueOn;
    case "MISSING_EDUCATION":
      // Unexplained-absence steps fall due on the day they are reached.
      return action.dueOn;
  }
}

/** The reason a withdrawn action keeps. */
export function withdrawalReason(amended: AmendedSession & { from: string; to: string; reason: string }): string {
  return `Withdrawn: the ${amended.session} mark on ${amended.date} was amended from ${amended.from} to ${amended.to} ("${amended.reason}"), and the trigger no longer holds.`;
}
