// Working lists of pupils (issue 16): which pupils a filter keeps and in what
// order, each case citing the rule it follows.
import { describe, expect, it } from "vitest";
import {
  comparePupilListRows,
  decimalFraction,
  emptyFigures,
  matchesPupilListFilter,
  pupilListFilterProblems,
  selectPupilList,
  type AttendanceFigures,
  type PupilListCandidate,
  type PupilListFigureFilter,
} from "../src/index.ts";

/** Figures of `possible` sessions: `absent` of them missed (`unauthorised` of those unauthorised), `l` L and `u` U marks. */
function figures(possible: number, absent: number, extra: Partial<AttendanceFigures> = {}): AttendanceFigures {
  const unauthorised = extra.unauthorisedAbsence ?? 0;
  return { ...emptyFigures(), possibleSessions: possible, present: possible - absent, authorisedAbsence: absent - unauthorised, unauthorisedAbsence: unauthorised, ...extra };
}

describe("matchesPupilListFilter", () => {
  it.each<[string, AttendanceFigures, PupilListFigureFilter, boolean]>([
    // Working together to improve school attendance (DfE, Aug 2024; statutory guidance, not law): persistent absence is missing 10% or more of possible sessions.
    ["exactly 10% missed is persistently absent", figures(100, 10), { persistentlyAbsent: true }, true],
    ["9.9% missed is not", figures(1000, 99), { persistentlyAbsent: true }, false],
    ["…and is kept by persistentlyAbsent: false", figures(1000, 99), { persistentlyAbsent: false }, true],
    // Same guidance: severe absence is missing 50% or more.
    ["exactly 50% missed is severely absent", figures(38, 19), { severelyAbsent: true }, true],
    ["49.9% missed is not", figures(1000, 499), { severelyAbsent: true }, false],
    // Rates are fractions compared exactly: 90% is not below 0.9 and is at least 0.9.
    ["a rate of exactly 0.9 is not below 0.9", figures(10, 1), { attendanceBelow: 0.9 }, false],
    ["a rate of exactly 0.9 is at least 0.9", figures(10, 1), { attendanceAtLeast: 0.9 }, true],
    ["89.99% is below 0.9", figures(10_000, 1_001), { attendanceBelow: 0.9 }, true],
    ["0.285 exactly (57/200) is not below 0.285 (binary 0.285 is 0.28499999999999998)", figures(200, 143), { attendanceBelow: 0.285 }, false],
    ["approved educational activity counts as attending (SI 2024/208 reg. 10, codes K V P W B)", { ...figures(10, 2), approvedActivity: 2, present: 6 }, { attendanceAtLeast: 0.8 }, true],
    // SI 2024/208 reg. 10, table 1: U (after the register closed) is an unauthorised absence; L is present.
    ["unauthorised at least n counts U marks among them", figures(20, 3, { unauthorisedAbsence: 3, lateAfterClose: 2 }), { unauthorisedAtLeast: 3, lateAfterCloseAtLeast: 2 }, true],
    ["fewer U marks than asked for", figures(20, 3, { unauthorisedAbsence: 3, lateAfterClose: 1 }), { lateAfterCloseAtLeast: 2 }, false],
    ["L marks at least n", figures(20, 0, { lateBeforeClose: 4 }), { lateBeforeCloseAtLeast: 4 }, true],
    ["n = 0 keeps everyone with a possible session", figures(20, 0), { unauthorisedAtLeast: 0 }, true],
    // No possible session: no rate, so no list (as the group's `pupils` count leaves them out).
    ["no possible sessions: on no list, even unfiltered", emptyFigures(), {}, false],
    ["every condition must hold", figures(100, 20, { unauthorisedAbsence: 5 }), { persistentlyAbsent: true, unauthorisedAtLeast: 6 }, false],
  ])("%s", (_name, f, filter, expected) => {
    expect(matchesPupilListFilter(f, filter)).toBe(expected);
  });
});

describe("pupilListFilterProblems: every bound checked (issue 13)", () => {
  it.each<[PupilListFigureFilter, string[]]>([
    [{ attendanceBelow: 0.9, attendanceAtLeast: 0, unauthorisedAtLeast: 0, lateAfterCloseAtLeast: 1_000 }, []],
    [{ attendanceBelow: 1.5 }, ["filter.attendanceBelow"]],
    [{ attendanceAtLeast: -0.1 }, ["filter.attendanceAtLeast"]],
    [{ unauthorisedAtLeast: -1 }, ["filter.unauthorisedAtLeast"]],
    [{ lateBeforeCloseAtLeast: 1_001 }, ["filter.lateBeforeCloseAtLeast"]],
    [{ lateAfterCloseAtLeast: 2.5 }, ["filter.lateAfterCloseAtLeast"]],
  ])("%j → %j", (filter, fields) => {
    expect(pupilListFilterProblems(filter).map((p) => p.field)).toEqual(fields);
  });
});

describe("decimalFraction reads a bound as written", () => {
  it.each<[number, bigint, bigint]>([
    [0.9, 9n, 10n],
    [0.285, 285n, 1000n],
    [1, 1n, 1n],
    [0, 0n, 1n],
    [1e-7, 1n, 10_000_000n],
  ])("%d = %s/%s", (value, numerator, denominator) => {
    expect(decimalFraction(value)).toEqual({ numerator, denominator });
  });
});

describe("comparePupilListRows and selectPupilList", () => {
  const row = (id: string, f: AttendanceFigures, surname: string | null): PupilListCandidate => ({ id, figures: f, nameKeys: [surname, "a"] });
  // Equal rates written differently (1/2 and 2/4) tie, and the name decides.
  const half = row("c", figures(2, 1), "brown");
  const halfAgain = row("b", figures(4, 2), "adams");
  const worst = row("d", figures(10, 9, { unauthorisedAbsence: 9, lateAfterClose: 3 }), "young");
  const best = row("a", figures(10, 0, { lateBeforeClose: 2 }), "zed");
  const nameless = row("e", figures(10, 0), null);

  it.each<[string, Parameters<typeof comparePupilListRows>[2], string[]]>([
    ["lowest attendance first by default, ties by name", undefined, ["d", "b", "c", "a", "e"]],
    ["highest attendance first", { by: "ATTENDANCE_RATE", direction: "DESC" }, ["a", "e", "b", "c", "d"]],
    ["most absences first", { by: "ABSENCES", direction: "DESC" }, ["d", "b", "c", "a", "e"]],
    ["most unauthorised absences first", { by: "UNAUTHORISED_ABSENCE", direction: "DESC" }, ["d", "b", "c", "a", "e"]],
    ["most L marks first", { by: "LATE_BEFORE_CLOSE", direction: "DESC" }, ["a", "b", "c", "d", "e"]],
    ["most U marks first", { by: "LATE_AFTER_CLOSE", direction: "DESC" }, ["d", "b", "c", "a", "e"]],
    ["by name, a pupil without one last", { by: "NAME", direction: "ASC" }, ["b", "c", "d", "a", "e"]],
    ["by name descending, a pupil without one first", { by: "NAME", direction: "DESC" }, ["e", "a", "d", "c", "b"]],
  ])("%s", (_name, order, ids) => {
    expect(selectPupilList([best, half, worst, nameless, halfAgain], {}, order).map((r) => r.id)).toEqual(ids);
  });

  it("breaks a full tie (same figures, same name) by id, so pages never overlap", () => {
    const x = row("x", figures(10, 1), "same");
    const y = row("y", figures(10, 1), "same");
    expect(selectPupilList([y, x], {}).map((r) => r.id)).toEqual(["x", "y"]);
    expect(selectPupilList([y, x], {}, { by: "NAME", direction: "DESC" }).map((r) => r.id)).toEqual(["x", "y"]);
  });
});
