// Attendance figures against hand-computed cases, each citing its rule.
import { describe, expect, it } from "vitest";
import {
  absenceRate,
  absencesUntilPersistentAbsence,
  attendanceRate,
  bestCategory,
  groupFigures,
  isPersistentlyAbsent,
  isSeverelyAbsent,
  pupilFigures,
  type AttendanceCategory,
  type SessionMark,
} from "../src/index.ts";

const CATEGORY: Record<string, AttendanceCategory> = {
  "/": "PRESENT", "\\": "PRESENT", L: "PRESENT", V: "APPROVED_ACTIVITY", I: "AUTHORISED_ABSENCE",
  M: "AUTHORISED_ABSENCE", O: "UNAUTHORISED_ABSENCE", U: "UNAUTHORISED_ABSENCE", D: "NOT_POSSIBLE", Y2: "NOT_POSSIBLE",
};

/** Marks from a string of codes, one session each, AM and PM alternately from 2025-09-08. */
function marks(codes: string[]): SessionMark[] {
  return codes.map((code, i) => ({
    date: `2025-09-${String(8 + Math.floor(i / 2)).padStart(2, "0")}`,
    session: i % 2 === 0 ? "AM" : "PM",
    code,
    category: CATEGORY[code]!,
  }));
}

describe("pupil figures", () => {
  it("counts approved educational activity as attending, and not-possible sessions not at all (DESIGN.md §8)", () => {
    const f = pupilFigures(marks(["/", "\\", "V", "I", "O", "D", "Y2", "L", "U", "/"]));
    expect(f).toEqual({
      possibleSessions: 8, present: 4, approvedActivity: 1, authorisedAbsence: 1, unauthorisedAbsence: 2, lateBeforeClose: 1, lateAfterClose: 1,
    });
    expect(attendanceRate(f)).toBe(5 / 8);
    expect(absenceRate(f)).toBe(3 / 8);
  });

  it("has no rate without a possible session", () => {
    const f = pupilFigures(marks(["D", "D"]));
    expect(attendanceRate(f)).toBeNull();
    expect(isPersistentlyAbsent(f)).toBe(false);
  });

  it("takes the best mark of a dual-registered pupil's two marks for one session (DESIGN.md §8)", () => {
    expect(bestCategory(["NOT_POSSIBLE", "PRESENT"])).toBe("PRESENT");
    expect(bestCategory(["UNAUTHORISED_ABSENCE", "APPROVED_ACTIVITY"])).toBe("APPROVED_ACTIVITY");
    expect(bestCategory(["UNAUTHORISED_ABSENCE", "AUTHORISED_ABSENCE"])).toBe("AUTHORISED_ABSENCE");
    // At the main school D (at the other school); at the other school present.
    const dual: SessionMark[] = [
      { date: "2025-09-10", session: "AM", code: "D", category: "NOT_POSSIBLE" },
      { date: "2025-09-10", session: "AM", code: "/", category: "PRESENT" },
    ];
    expect(pupilFigures(dual)).toMatchObject({ possibleSessions: 1, present: 1 });
  });
});

describe("persistent and severe absence (DESIGN.md §8: 10% or more; 50% or more)", () => {
  it.each([
    // [absent sessions, possible sessions, persistent, severe]
    [1, 10, true, false], // exactly 10% counts: "10% or more"
    [1, 11, false, false],
    [38, 380, true, false], // a full year offers 380 sessions
    [37, 380, false, false],
    [5, 10, true, true], // exactly 50%
    [4, 10, true, false],
    [0, 0, false, false],
  ])("%i absent of %i possible → persistent %s, severe %s", (absent, possible, persistent, severe) => {
    const f = { possibleSessions: possible, present: possible - absent, approvedActivity: 0, authorisedAbsence: absent, unauthorisedAbsence: 0, lateBeforeClose: 0, lateAfterClose: 0 };
    expect(isPersistentlyAbsent(f)).toBe(persistent);
    expect(isSeverelyAbsent(f)).toBe(severe);
  });

  it("sums a group and counts its persistent and severe absentees", () => {
    const g = groupFigures([pupilFigures(marks(["/", "I"])), pupilFigures(marks(["/", "/", "/", "/", "/", "/", "/", "/", "/", "/"])), pupilFigures(marks(["D"]))]);
    expect(g).toMatchObject({ pupils: 2, possibleSessions: 12, present: 11, authorisedAbsence: 1, persistentlyAbsent: 1, severelyAbsent: 1 });
  });
});

describe("absences until persistent absence this year", () => {
  const f = (absent: number, possible: number) => ({
    possibleSessions: possible, present: possible - absent, approvedActivity: 0, authorisedAbsence: absent, unauthorisedAbsence: 0, lateBeforeClose: 0, lateAfterClose: 0,
  });
  it.each([
    // 100 sessions so far with 5 absences, 280 to come: 380 in the year, 38 needed → 33 more.
    [f(5, 100), 280, 33],
    // Already 38 absences: persistently absent at year end whatever happens.
    [f(40, 100), 280, 0],
    // Needs more absences than sessions remain: cannot happen.
    [f(0, 370), 10, null],
    // Exactly enough sessions left.
    [f(28, 370), 10, 10],
    [f(0, 0), 0, null],
  ])("%o with %i sessions left → %s", (figures, remaining, expected) => {
    expect(absencesUntilPersistentAbsence(figures, remaining)).toBe(expected);
  });
});
