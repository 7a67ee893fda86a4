// Retention: registers kept six years from each entry (2024 Regulations, reg. 14), then anonymised.
import { describe, expect, it } from "vitest";
import { retainedUntil, retentionDecision } from "../src/index.ts";

describe("retention of register entries (School Attendance (Pupil Registration) (England) Regulations 2024, reg. 14)", () => {
  it("keeps an entry for six years from the date it was made", () => {
    expect(retainedUntil("2019-07-19")).toBe("2025-07-18");
  });

  it("makes a pupil due only once off roll, not yet anonymised, and past the period", () => {
    const facts = { lastEntry: "2019-07-19", onRoll: false, anonymised: false };
    expect(retentionDecision(facts, "2025-07-18")).toEqual({ due: false, reason: "WITHIN_PERIOD", retainedUntil: "2025-07-18" });
    expect(retentionDecision(facts, "2025-07-19")).toEqual({ due: true, retainedUntil: "2025-07-18" });
    expect(retentionDecision({ ...facts, onRoll: true }, "2030-01-01")).toMatchObject({ due: false, reason: "ON_ROLL" });
    expect(retentionDecision({ ...facts, anonymised: true }, "2030-01-01")).toMatchObject({ due: false, reason: "ANONYMISED" });
  });
});
