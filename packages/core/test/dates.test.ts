// The English school year runs from 1 September to 31 August.
import { describe, expect, it } from "vitest";
import { daysInPeriod, periodProblem, schoolYearOf } from "../src/index.ts";

describe("schoolYearOf", () => {
  it.each([
    ["2025-09-01", "2025-09-01", "2026-08-31"],
    ["2025-10-24", "2025-09-01", "2026-08-31"],
    ["2026-08-31", "2025-09-01", "2026-08-31"],
    ["2025-08-31", "2024-09-01", "2025-08-31"],
  ])("%s is in %s – %s", (date, start, end) => {
    expect(schoolYearOf(date)).toEqual({ start, end });
  });
});

// Issue 13: one request asking about 9999-12-31 stopped the service. Dates are
// bounded to 2000-2099 and periods to a length the question needs.
describe("periodProblem", () => {
  it.each([
    ["2025-09-01", "2026-08-31", 731, undefined, "a school year"],
    ["2024-09-01", "2026-08-31", 731, undefined, "two school years (730 days)"],
    ["2025-09-01", "9999-12-31", 731, "Dates run from 2000-01-01 to 2099-12-31.", "year 9999"],
    ["0001-01-01", "2025-09-01", 731, "Dates run from 2000-01-01 to 2099-12-31.", "year 1"],
    ["2025-09-02", "2025-09-01", 731, "The period must end on or after it starts.", "backwards"],
    ["2025-09-01", "2027-09-02", 731, "The period is 732 days long. At most 731 days can be asked for at once: split it into school years.", "one day too long"],
  ])("%s to %s (at most %i days) → %s: %s", (from, to, max, problem, _why) => {
    expect(periodProblem(from, to, max)).toBe(problem);
  });

  it.each([
    ["2025-09-01", "2025-09-01", 1],
    ["2025-09-01", "2026-08-31", 365],
    ["2024-03-01", "2024-02-28", 0],
    // Counted in UTC days (no luxon on the hot path): leap days, across a DST
    // change in England, and the whole supported century.
    ["2024-02-28", "2024-03-01", 3],
    ["2025-03-29", "2025-03-31", 3],
    ["2000-01-01", "2099-12-31", 36525],
    ["0001-01-01", "0001-12-31", 365],
  ])("daysInPeriod(%s, %s) = %i", (from, to, days) => expect(daysInPeriod(from, to)).toBe(days));

  it("gives an impossible date's period no length, as luxon did", () => {
    expect(daysInPeriod("2025-02-01", "2025-02-30")).toBeNaN();
  });
});
