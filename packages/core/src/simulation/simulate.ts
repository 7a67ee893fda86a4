// Policy what-if: a draft of setting changes applied to an academy's recorded
// history, answering beside the policy in force what would have followed —
// lates (L) and lates after the register closed (U), the ladders' steps, the
// penalty-notice candidates and the rewards — per pupil and in total. Pure:
// the history comes in, nothing goes out but the answer (the schema layer
// reads the database read-only).
//
// What a changed register time can change, and what it cannot: the 2024
// Regulations define L as arriving before the taking of the register has
// ended and U as arriving after it (SI 2024/208, reg. 10(2), table 1) and
// leave the times to the school, so a mark whose arrival time was recorded is
// classified again by the draft's times (classifyArrival). A mark with no
// recorded arrival (an ordinary / or \, or any absence code) keeps its code:
// nothing recorded says when, or whether, that pupil arrived.
import { addDays, schoolYearOf, weekdayOf, type IsoDate } from "../dates.ts";
import type { AttendanceCategory } from "../codes/national-codes.ts";
import type { HalfTerm } from "../calendar/calendar.ts";
import type { PupilCalendars } from "../calendar/school-weeks.ts";
import { parseOverride, type PolicySettings, type SettingKey, type SettingValue } from "../policy/contract.ts";
import { runHook, type LabelledDecision, type PolicyHooks, type PolicyView, type UnauthorisedSession } from "../policy/hooks.ts";
import { classifyArrival, minutesOf, type SessionTimes } from "../policy/register-times.ts";
import { evaluateAbsenceLadder, evaluateLatenessLadder, type AbsenceStep, type LadderStep } from "../policy/lateness-ladder.ts";
import { bestGroups, individualReward } from "../policy/rewards.ts";
import { dueActions, type DueAction } from "../workflows/escalations.ts";
import { penaltyNoticeThreshold, type ThresholdResult } from "../workflows/penalty-notices.ts";

/**
 * The settings a draft may change: those whose consequences the simulation
 * works out from recorded history. Any other setting is refused by name,
 * rather than silently having no effect.
 */
export const SIMULATED_SETTINGS = [
  "registerTimes.AM",
  "registerTimes.PM",
  "latenessLadder",
  "absenceLadder",
  "rewards.groupOnly",
  "rewards.individualExpectation",
  "penaltyNotice.thresholdSessions",
  "penaltyNotice.windowSchoolWeeks",
  "penaltyNotice.countsLateness",
] as const satisfies readonly SettingKey[];

export type SimulatedSetting = (typeof SIMULATED_SETTINGS)[number];

export interface DraftProblem {
  /** The setting (and the path inside it) that is wrong, e.g. "registerTimes.AM.closes". */
  field: string;
  message: string;
}

/**
 * A draft checked by the same zod schemas as every plugin and saved override
 * (contract.ts, SETTINGS): the parsed settings, or the problems naming each
 * setting. `null` clears nothing: a draft only sets values.
 */
export function parseDraft(input: unknown): { draft: PolicySettings; problems: DraftProblem[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { draft: {}, problems: [{ field: "changes", message: "Give the changes as an object of settings by key, e.g. {\"registerTimes.AM\": {\"starts\": \"08:40\", \"lateAfter\": \"08:50\", \"closes\": \"09:10\"}}." }] };
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > SIMULATED_SETTINGS.length) {
    return { draft: {}, problems: [{ field: "changes", message: `At most ${SIMULATED_SETTINGS.length} settings: ${SIMULATED_SETTINGS.join(", ")}.` }] };
  }
  const { settings, problems } = parseOverride(input as Record<string, unknown>);
  for (const [key] of entries) {
    if (problems.some((p) => p.field === key || p.field.startsWith(`${key}.`))) continue;
    if (!(SIMULATED_SETTINGS as readonly string[]).includes(key)) {
      problems.push({ field: key, message: `Not simulated: the simulation works out ${SIMULATED_SETTINGS.join(", ")}.` });
    }
  }
  return problems.length > 0 ? { draft: {}, problems } : { draft: settings, problems };
}

/** The policy in force with the draft on top: the draft's value for each key it sets, the policy's for the rest. */
export function draftView(base: PolicyView, draft: PolicySettings): PolicyView {
  return {
    get: <K extends SettingKey>(key: K) => (Object.hasOwn(draft, key) ? (draft[key] as SettingValue<K>) : base.get(key)),
    source: (key) => (Object.hasOwn(draft, key) ? undefined : base.source(key)),
  };
}

// ─── The history the simulation reads ────────────────────────────────────────

/** One current mark that can change or that counts: L, U, G, N, O, or a present mark with a recorded arrival. */
export interface HistoryMark {
  date: IsoDate;
  session: "AM" | "PM";
  code: string;
  category: AttendanceCategory;
  /** Local arrival time (hh:mm) where recorded; null otherwise. */
  arrival: string | null;
  /** Whether it is in this academy's register (false: another academy of the trust, before a transfer). */
  here: boolean;
  academyUrn?: number;
}

/** A day the pupil's cumulative attendance this school year is looked at: each day it could fall, and the period's first. */
export interface Checkpoint {
  date: IsoDate;
  /** Possible sessions and sessions attended (present or approved activity) from the school year's start to the end of the day, as recorded. */
  possible: number;
  attending: number;
}

export interface PupilHistory {
  pupilId: string;
  formId: string | null;
  /** Marks from the penalty-notice look-back to the period's end. */
  marks: readonly HistoryMark[];
  /** Days in the period on which the ladders are evaluated (ascending). */
  checkpoints: readonly Checkpoint[];
  /** Recorded possible and attended sessions in the period (for rewards). */
  period: { possible: number; attending: number };
  /** The calendars of every school the pupil was on roll at, for school weeks. */
  calendars: PupilCalendars;
}

/** The policy in force on a date: what hooks read, and the plugins whose hooks run. */
export interface PolicyOnDate {
  view: PolicyView;
  plugins: readonly { name: string; layer: LabelledDecision["layer"]; hooks?: PolicyHooks }[];
}

export interface AcademyHistory {
  from: IsoDate;
  to: IsoDate;
  /** The academy's half terms (for ladders counted per half term). */
  halfTerms: readonly HalfTerm[];
  pupils: readonly PupilHistory[];
  /** The policy in force on each date (resolved with its provenance by the caller). */
  policyOn: (date: IsoDate) => PolicyOnDate;
}

// ─── The answer ───────────────────────────────────────────────────────────────

export interface Outcome {
  /** L marks in the period, in this academy's register. */
  lates: number;
  /** U marks in the period: arrived after the register closed. */
  afterClose: number;
  /** Attendance over the period (null: no possible sessions). */
  attendanceRate: number | null;
  /** Ladder steps reached on a day of the period, as the case actions they raise (first day reached). */
  ladderSteps: DueAction[];
  /** Whether a penalty notice must be considered on the period's last day: the threshold, or a local authority trigger. */
  penaltyCandidate: boolean;
  penaltyThreshold: ThresholdResult;
  penaltyTriggers: LabelledDecision[];
  /** Whether the pupil is rewarded individually for the period. */
  rewarded: boolean;
  rewardReason: string;
}

export interface PupilSimulation {
  pupilId: string;
  formId: string | null;
  current: Outcome;
  draft: Outcome;
  /** Marks whose code the draft changes, with the new code. */
  reclassified: { date: IsoDate; session: "AM" | "PM"; from: string; to: string }[];
  changed: boolean;
}

export interface Totals {
  lates: number;
  afterClose: number;
  ladderSteps: number;
  latenessSteps: number;
  absenceSteps: number;
  penaltyCandidates: number;
  rewarded: number;
  /** The form or forms with the best attendance (the group reward). */
  bestForms: string[];
}

export interface AcademySimulation {
  pupils: PupilSimulation[];
  current: Totals;
  draft: Totals;
}

const ARRIVAL_CODES = new Set(["/", "\\", "L", "U"]);
const CATEGORY: Record<string, AttendanceCategory> = { "/": "PRESENT", "\\": "PRESENT", L: "PRESENT", U: "UNAUTHORISED_ABSENCE" };
const attends = (c: AttendanceCategory) => c === "PRESENT" || c === "APPROVED_ACTIVITY";

/**
 * A mark's code under the draft: classified again by the draft's times for its
 * session when the draft sets them and the arrival was recorded (SI 2024/208,
 * reg. 10(2), table 1); otherwise the recorded code.
 */
export function draftCode(mark: HistoryMark, draft: PolicySettings): string {
  if (!mark.here || mark.arrival === null || !ARRIVAL_CODES.has(mark.code)) return mark.code;
  const times = draft[`registerTimes.${mark.session}`] as SessionTimes | undefined;
  if (!times) return mark.code;
  return classifyArrival(times, mark.session, mark.arrival).code;
}

function halfTermOf(halfTerms: readonly HalfTerm[], date: IsoDate): HalfTerm | undefined {
  return halfTerms.find((t) => t.start <= date && date <= t.end);
}

const schoolYearLabel = (date: IsoDate) => {
  const y = schoolYearOf(date);
  return `${y.start.slice(0, 4)}/${y.end.slice(2, 4)}`;
};

/** One pupil under one scenario: recorded codes (draft {}) or the draft's. */
function outcome(history: AcademyHistory, pupil: PupilHistory, draft: PolicySettings, rewardView: PolicyView): { outcome: Outcome; codes: string[]; attending: number } {
  const { from, to } = history;
  const codes = pupil.marks.map((m) => draftCode(m, draft));
  const categoryOf = (i: number) => (codes[i] === pupil.marks[i]!.code ? pupil.marks[i]!.category : CATEGORY[codes[i]!]!);
  // Change in sessions attended, by date, from marks the draft classifies differently.
  const delta: { date: IsoDate; by: number }[] = [];
  pupil.marks.forEach((m, i) => {
    const was = attends(m.category);
    const now = attends(categoryOf(i));
    if (was !== now) delta.push({ date: m.date, by: now ? 1 : -1 });
  });
  const deltaUpTo = (date: IsoDate, after: IsoDate = "0000-00-00") => delta.filter((d) => d.date > after && d.date <= date).reduce((s, d) => s + d.by, 0);

  let lates = 0;
  let afterClose = 0;
  const lateDates: IsoDate[] = [];
  pupil.marks.forEach((m, i) => {
    if (!m.here) return;
    const code = codes[i]!;
    if (code === "L" || code === "U") lateDates.push(m.date);
    if (m.date < from || m.date > to) return;
    if (code === "L") lates++;
    if (code === "U") afterClose++;
  });

  // Ladders: evaluated as the system does after each register (schema
  // workflows/escalations.ts), on each day of the period the pupil's standing
  // can change — a late day for the lateness ladder, a day of absence for the
  // cumulative rate — and the period's first, keyed as the case actions are,
  // so that each step counts once however many days it holds.
  const steps = new Map<string, DueAction>();
  const days = new Set<IsoDate>(pupil.checkpoints.map((c) => c.date));
  for (const d of lateDates) if (d >= from && d <= to) days.add(d);
  const byDate = new Map(pupil.checkpoints.map((c) => [c.date, c]));
  for (const date of [...days].sort()) {
    const policy = draftView(history.policyOn(date).view, draft);
    const lateness = policy.get("latenessLadder") as LadderStep[] | undefined;
    const absence = policy.get("absenceLadder") as AbsenceStep[] | undefined;
    const term = halfTermOf(history.halfTerms, date);
    const weekStart = addDays(date, 1 - weekdayOf(date));
    const lateFrom = term && term.start < weekStart ? term.start : weekStart;
    const latePositions = lateness ? evaluateLatenessLadder(lateness, lateDates.filter((d) => d >= lateFrom), date, term ? { start: term.start, end: term.end } : undefined) : null;
    const checkpoint = byDate.get(date) ?? [...pupil.checkpoints].reverse().find((c) => c.date <= date);
    // The cumulative rate from the school year's start, as the absence ladder reads it.
    const rate = checkpoint && checkpoint.possible > 0
      ? (checkpoint.attending + deltaUpTo(date, addDays(schoolYearOf(date).start, -1))) / checkpoint.possible
      : null;
    const absencePositions = absence ? evaluateAbsenceLadder(absence, rate) : null;
    for (const action of dueActions({ asOf: date, schoolYear: schoolYearLabel(date), lateness: latePositions, absence: absencePositions, missingEducation: [], missingEducationFrom: null })) {
      if (!steps.has(action.triggerKey)) steps.set(action.triggerKey, action);
    }
  }

  // Penalty notices on the period's last day, as penaltyNoticeCandidates
  // answers them: the national threshold (10 sessions of G, N, O or U in a
  // rolling 10 school weeks, "Working together to improve school attendance",
  // DfE, August 2024, national framework for penalty notices; guidance, as
  // each local authority's code restates it) and the local authority's
  // triggers.
  const end = draftView(history.policyOn(to).view, draft);
  const rule = {
    thresholdSessions: end.get("penaltyNotice.thresholdSessions") ?? 10,
    windowSchoolWeeks: end.get("penaltyNotice.windowSchoolWeeks") ?? 10,
    countsLateness: end.get("penaltyNotice.countsLateness") ?? true,
  };
  const unauthorised: UnauthorisedSession[] = [];
  pupil.marks.forEach((m, i) => {
    if (["G", "N", "O", "U"].includes(codes[i]!) && m.date <= to) {
      unauthorised.push({ date: m.date, session: m.session, code: codes[i]!, ...(m.academyUrn === undefined ? {} : { academyUrn: m.academyUrn }) });
    }
  });
  unauthorised.sort((a, b) => a.date.localeCompare(b.date) || a.session.localeCompare(b.session));
  const penaltyThreshold = penaltyNoticeThreshold(pupil.calendars, unauthorised, rule, to);
  const penaltyTriggers = runHook(history.policyOn(to).plugins, "penaltyNoticeTriggers", end, { unauthorised });

  const attending = pupil.period.attending + deltaUpTo(to, addDays(from, -1));
  const attendanceRate = pupil.period.possible === 0 ? null : attending / pupil.period.possible;
  const reward = individualReward(
    { groupOnly: rewardView.get("rewards.groupOnly"), individualExpectation: rewardView.get("rewards.individualExpectation") },
    attendanceRate,
  );
  return {
    codes,
    attending,
    outcome: {
      lates, afterClose, attendanceRate, ladderSteps: [...steps.values()],
      penaltyCandidate: penaltyThreshold.reached || penaltyTriggers.length > 0, penaltyThreshold, penaltyTriggers,
      rewarded: reward.eligible, rewardReason: reward.reason,
    },
  };
}

function totals(rows: readonly { outcome: Outcome; pupil: PupilHistory; attending: number }[], groupOnly: boolean): Totals {
  const forms = new Map<string, { possible: number; attending: number }>();
  for (const r of rows) {
    if (r.pupil.formId === null) continue;
    const f = forms.get(r.pupil.formId) ?? { possible: 0, attending: 0 };
    f.possible += r.pupil.period.possible;
    f.attending += r.attending;
    forms.set(r.pupil.formId, f);
  }
  const steps = rows.flatMap((r) => r.outcome.ladderSteps);
  return {
    lates: rows.reduce((s, r) => s + r.outcome.lates, 0),
    afterClose: rows.reduce((s, r) => s + r.outcome.afterClose, 0),
    ladderSteps: steps.length,
    latenessSteps: steps.filter((s) => s.source === "LATENESS_LADDER").length,
    absenceSteps: steps.filter((s) => s.source === "ABSENCE_LADDER").length,
    penaltyCandidates: rows.filter((r) => r.outcome.penaltyCandidate).length,
    rewarded: rows.filter((r) => r.outcome.rewarded).length,
    // The group reward (seed 004 §8: rewards for groups only) goes to the best form(s).
    bestForms: groupOnly
      ? bestGroups([...forms].map(([formId, f]) => ({ formId, attendanceRate: f.possible === 0 ? null : f.attending / f.possible }))).map((f) => f.formId)
      : [],
  };
}

/**
 * The academy's history under the policy in force and under the draft, per
 * pupil and in total. With an empty draft both are the recorded outcomes.
 */
export function simulateAcademy(history: AcademyHistory, draft: PolicySettings): AcademySimulation {
  const currentEnd = history.policyOn(history.to).view;
  const draftEnd = draftView(currentEnd, draft);
  const current: { outcome: Outcome; pupil: PupilHistory; attending: number }[] = [];
  const simulated: typeof current = [];
  const pupils = history.pupils.map((pupil): PupilSimulation => {
    const recorded = outcome(history, pupil, {}, currentEnd);
    const before = recorded.outcome;
    const after = outcome(history, pupil, draft, draftEnd);
    const reclassified = pupil.marks
      .map((m, i) => ({ m, code: after.codes[i]! }))
      .filter(({ m, code }) => code !== m.code && m.date >= history.from && m.date <= history.to)
      .map(({ m, code }) => ({ date: m.date, session: m.session, from: m.code, to: code }));
    current.push({ outcome: before, pupil, attending: recorded.attending });
    simulated.push({ outcome: after.outcome, pupil, attending: after.attending });
    const keys = (o: Outcome) => o.ladderSteps.map((s) => s.triggerKey).sort().join(",");
    const changed = reclassified.length > 0 || keys(before) !== keys(after.outcome)
      || before.penaltyCandidate !== after.outcome.penaltyCandidate || before.rewarded !== after.outcome.rewarded;
    return { pupilId: pupil.pupilId, formId: pupil.formId, current: before, draft: after.outcome, reclassified, changed };
  });
  return {
    pupils,
    current: totals(current, currentEnd.get("rewards.groupOnly") ?? false),
    draft: totals(simulated, draftEnd.get("rewards.groupOnly") ?? false),
  };
}

/** The arrival time of a late mark that kept only its minutes late: minutes after the session started (classifyArrival's measure). */
export function arrivalFromMinutesLate(times: SessionTimes, minutesLate: number): string {
  const at = minutesOf(times.starts) + minutesLate;
  return `${String(Math.floor(at / 60)).padStart(2, "0")}:${String(at % 60).padStart(2, "0")}`;
}
