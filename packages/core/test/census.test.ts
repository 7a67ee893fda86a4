// The census attendance module per pupil, against hand counts. Sources:
// DfE "School census 2025 to 2026: guide", attendance section (possible
// sessions and sessions missed per reason; the termly periods), and The
// School Attendance (Pupil Registration) (England) Regulations 2024
// (SI 2024/208), reg. 10 and its table of codes (categories).
import { describe, expect, it } from "vitest";
import { CensusCodeError, censusFigures, censusFromCounts, censusReasonCodes, censusTermPeriod, easterSunday, schoolYearStart, type CensusMark } from "../src/index.ts";

/** One mark per session, AM then PM, day by day from Monday 2025-09-08 (a school week). */
function marks(codes: string[], start = 8): CensusMark[] {
  return codes.map((code, i) => ({ date: `2025-09-${String(start + Math.floor(i / 2)).padStart(2, "0")}`, session: i % 2 === 0 ? "AM" : "PM", code }));
}

describe("censusFigures", () => {
  const cases: { name: string; codes: string[]; want: Partial<ReturnType<typeof censusFigures>> }[] = [
    {
      name: "present and late before close are attended, not missed (reg. 10: /, \\, L)",
      codes: ["/", "\\", "L", "\\"],
      want: { sessionsPossible: 4, sessionsAttended: 4, sessionsAuthorised: 0, sessionsUnauthorised: 0, byReason: {} },
    },
    {
      name: "approved educational activity counts as attending (reg. 10: K, V, P, W, B)",
      codes: ["V", "P", "W", "B", "K", "/"],
      want: { sessionsPossible: 6, sessionsAttended: 6, byReason: {} },
    },
    {
      name: "each authorised reason is counted under its own code (census guide: sessions missed per reason)",
      codes: ["I", "I", "M", "R", "S", "T", "E", "C", "C1", "C2", "J1"],
      want: { sessionsPossible: 11, sessionsAuthorised: 11, byReason: { I: 2, M: 1, R: 1, S: 1, T: 1, E: 1, C: 1, C1: 1, C2: 1, J1: 1 } },
    },
    {
      name: "unauthorised reasons G, N, O and U (U: after the register closed, reg. 10)",
      codes: ["G", "G", "N", "O", "U", "/"],
      want: { sessionsPossible: 6, sessionsAttended: 1, sessionsUnauthorised: 5, byReason: { G: 2, N: 1, O: 1, U: 1 } },
    },
    {
      name: "not-possible codes are outside possible sessions and every reason (reg. 10: X, Y1–Y7, Z, #, D, Q)",
      codes: ["X", "Y1", "Y7", "Z", "#", "D", "Q", "/"],
      want: { sessionsPossible: 1, sessionsAttended: 1, byReason: {}, notCounted: { X: 1, Y1: 1, Y7: 1, Z: 1, "#": 1, D: 1, Q: 1 } },
    },
  ];
  it.each(cases)("$name", ({ codes, want }) => {
    expect(censusFigures(marks(codes))).toMatchObject(want);
  });

  it("adds up: possible = attended + authorised + unauthorised", () => {
    const f = censusFigures(marks(["/", "I", "O", "X", "V", "U", "M", "#"]));
    expect(f.sessionsPossible).toBe(f.sessionsAttended + f.sessionsAuthorised + f.sessionsUnauthorised);
    expect(f.sessionsPossible).toBe(6);
  });

  it("reads a code by the table in force on its date: H (agreed holiday) before 19 August 2024 is authorised", () => {
    const f = censusFigures([{ date: "2024-07-15", session: "AM", code: "H" }, { date: "2024-07-15", session: "PM", code: "Y" }]);
    expect(f).toMatchObject({ sessionsPossible: 1, sessionsAuthorised: 1, byReason: { H: 1 }, notCounted: { Y: 1 } });
  });

  it("refuses a code not in force on its date (H was withdrawn by the 2024 regulations)", () => {
    expect(() => censusFigures(marks(["H"]))).toThrow(CensusCodeError);
  });

  it("refuses two marks for one session rather than counting both", () => {
    expect(() => censusFigures([...marks(["/"]), ...marks(["O"])])).toThrow(/Two marks/);
  });
});

describe("censusFromCounts", () => {
  it("gives what censusFigures gives for the same sessions, counted per code and category", () => {
    const counts = [
      { code: "/", category: "PRESENT" as const, sessions: 7 },
      { code: "I", category: "AUTHORISED_ABSENCE" as const, sessions: 2 },
      { code: "O", category: "UNAUTHORISED_ABSENCE" as const, sessions: 1 },
      { code: "#", category: "NOT_POSSIBLE" as const, sessions: 4 },
    ];
    expect(censusFromCounts(counts)).toEqual({
      sessionsPossible: 10, sessionsAttended: 7, sessionsAuthorised: 2, sessionsUnauthorised: 1, byReason: { I: 2, O: 1 }, notCounted: { "#": 4 },
    });
  });
});

describe("census periods", () => {
  it.each([
    [2024, "2024-03-31"],
    [2025, "2025-04-20"],
    [2026, "2026-04-05"],
    [2027, "2027-03-28"],
  ] as const)("Easter Sunday %i", (year, want) => {
    expect(easterSunday(year)).toBe(want);
  });

  it.each([
    ["AUTUMN", { from: "2025-08-01", to: "2025-12-31" }],
    ["SPRING", { from: "2026-01-01", to: "2026-04-05" }],
    ["SUMMER", { from: "2026-04-06", to: "2026-07-31" }],
  ] as const)("2025/26 %s term (census guide: autumn to 31 December, spring to Easter Sunday, summer from Easter Monday to 31 July)", (term, want) => {
    expect(censusTermPeriod(2025, term)).toEqual(want);
  });

  it("reads a school year", () => {
    expect(schoolYearStart("2025/26")).toBe(2025);
    expect(schoolYearStart("2025/27")).toBeUndefined();
    expect(schoolYearStart("2025")).toBeUndefined();
  });

  it("lists the reason codes in force: C1 after 2024, H before", () => {
    expect(censusReasonCodes("2025-10-01")).toEqual(["C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T", "G", "N", "O", "U"]);
    expect(censusReasonCodes("2024-06-01")).toContain("H");
    expect(censusReasonCodes("2024-06-01")).not.toContain("C1");
  });
});
