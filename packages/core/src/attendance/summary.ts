// Attendance figures as the Department for Education defines them, computed
// from marks in memory. This is the reference the SQL in schema/ must agree
// with (tested on the demo data); statistics at scale are computed in SQL.
import type { AttendanceCategory } from "../codes/national-codes.ts";

/**
 * Where a pupil has two marks for one session (dual registration), the best
 * counts: present > approved educational activity > authorised > unauthorised
 * > not counted (the Department for Education's rule for dual-registered
 * pupils' statistics, as Working together to improve school attendance, DfE,
 * August 2024, describes it).
 */
export const BEST_MARK_ORDER: readonly AttendanceCategory[] = [
  "PRESENT",
  "APPROVED_ACTIVITY",
  "AUTHORISED_ABSENCE",
  "UNAUTHORISED_ABSENCE",
  "NOT_POSSIBLE",
];

export function bestCategory(categories: readonly AttendanceCategory[]): AttendanceCategory {
  let best = BEST_MARK_ORDER.length - 1;
  for (const c of categories) best = Math.min(best, BEST_MARK_ORDER.indexOf(c));
  return BEST_MARK_ORDER[best]!;
}

export interface SessionMark {
  /** yyyy-mm-dd */
  date: string;
  session: "AM" | "PM";
  code: string;
  category: AttendanceCategory;
}

export interface AttendanceFigures {
  /** Sessions the pupil could have attended: every session with a mark that is not "not possible". */
  possibleSessions: number;
  present: number;
  approvedActivity: number;
  authorisedAbsence: number;
  unauthorisedAbsence: number;
  /** L: arrived late before the register closed (counted as present). */
  lateBeforeClose: number;
  /** U: arrived after the register closed (counted as unauthorised absence). */
  lateAfterClose: number;
}

export const emptyFigures = (): AttendanceFigures => ({
  possibleSessions: 0, present: 0, approvedActivity: 0, authorisedAbsence: 0, unauthorisedAbsence: 0, lateBeforeClose: 0, lateAfterClose: 0,
});

/** One pupil's figures: the best mark of each session, then counts. */
export function pupilFigures(marks: readonly SessionMark[]): AttendanceFigures {
  const sessions = new Map<string, SessionMark[]>();
  for (const m of marks) {
    const key = `${m.date}/${m.session}`;
    sessions.set(key, [...(sessions.get(key) ?? []), m]);
  }
  const figures = emptyFigures();
  for (const group of sessions.values()) {
    const best = bestCategory(group.map((m) => m.category));
    if (best === "NOT_POSSIBLE") continue;
    figures.possibleSessions++;
    if (best === "PRESENT") figures.present++;
    if (best === "APPROVED_ACTIVITY") figures.approvedActivity++;
    if (best === "AUTHORISED_ABSENCE") figures.authorisedAbsence++;
    if (best === "UNAUTHORISED_ABSENCE") figures.unauthorisedAbsence++;
    // A late mark counts when it is the session's best: L among present marks, U among unauthorised ones.
    if (best === "PRESENT" && group.some((m) => m.code === "L")) figures.lateBeforeClose++;
    if (best === "UNAUTHORISED_ABSENCE" && group.some((m) => m.code === "U")) figures.lateAfterClose++;
  }
  return figures;
}

export function absences(f: AttendanceFigures): number {
  return f.authorisedAbsence + f.unauthorisedAbsence;
}

/** Attending (present or an approved educational activity) over possible sessions; null with none possible. */
export function attendanceRate(f: AttendanceFigures): number | null {
  return f.possibleSessions === 0 ? null : (f.present + f.approvedActivity) / f.possibleSessions;
}

/** Absent (authorised or unauthorised) over possible sessions; null with none possible. */
export function absenceRate(f: AttendanceFigures): number | null {
  return f.possibleSessions === 0 ? null : absences(f) / f.possibleSessions;
}

/**
 * Persistently absent: absent for 10% or more of possible sessions (Working together to
 * improve school attendance, DfE, August 2024, definition of persistent absence).
 * Compared in integers, so exactly 10% counts and no rounding decides a child's status.
 */
export function isPersistentlyAbsent(f: AttendanceFigures): boolean {
  return f.possibleSessions > 0 && absences(f) * 10 >= f.possibleSessions;
}

/** Severely absent: absent for 50% or more of possible sessions (Working together to improve school attendance, DfE, August 2024, definition of severe absence). */
export function isSeverelyAbsent(f: AttendanceFigures): boolean {
  return f.possibleSessions > 0 && absences(f) * 2 >= f.possibleSessions;
}

/** A group's figures: the sum of its pupils', with how many are persistently and severely absent. */
export interface GroupFigures extends AttendanceFigures {
  /** Pupils with at least one possible session. */
  pupils: number;
  persistentlyAbsent: number;
  severelyAbsent: number;
}

export function groupFigures(pupils: readonly AttendanceFigures[]): GroupFigures {
  const out: GroupFigures = { ...emptyFigures(), pupils: 0, persistentlyAbsent: 0, severelyAbsent: 0 };
  for (const p of pupils) {
    if (p.possibleSessions === 0) continue;
    out.pupils++;
    for (const key of Object.keys(emptyFigures()) as (keyof AttendanceFigures)[]) out[key] += p[key];
    if (isPersistentlyAbsent(p)) out.persistentlyAbsent++;
    if (isSeverelyAbsent(p)) out.severelyAbsent++;
  }
  return out;
}

/**
 * How many more absences this school year would make the pupil persistently
 * absent, if they attend every other session: the smallest k ≥ 0 with
 * (absent + k) × 10 ≥ possible-so-far + remaining. 0: they will be
 * persistently absent at the end of the year even if they attend every
 * remaining session. null: they cannot be (k would exceed the sessions left),
 * or the year has no sessions.
 */
export function absencesUntilPersistentAbsence(f: AttendanceFigures, remainingSessions: number): number | null {
  const total = f.possibleSessions + remainingSessions;
  if (total === 0) return null;
  const needed = Math.max(0, Math.ceil(total / 10) - absences(f));
  return needed > remainingSessions ? null : needed;
}
