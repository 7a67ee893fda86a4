// Arrivals against register times, case by case from the seed policies.
import { describe, expect, it } from "vitest";
import { classifyArrival, type SessionTimes } from "../src/index.ts";

// Seed 001 (St James): "Our school day starts at 8.45 a.m." … "a late mark (L) if
// they are not in by [9.00]" … "At 9.30 a.m. the registers will be closed … (U)".
const stJames: SessionTimes = { starts: "08:45", lateAfter: "09:00", closes: "09:30" };
// Seed 002 (Stanborough): "Registration starts: 8.35am" … "Registration closes: 9.00am".
const stanborough: SessionTimes = { starts: "08:35", lateAfter: "08:35", closes: "09:00" };

describe("classifyArrival", () => {
  it.each([
    [stJames, "08:40", "/", 0],
    [stJames, "09:00", "/", 0],
    [stJames, "09:10", "L", 25], // issue 6: St James, arrival 9.10 → L
    [stJames, "09:30", "L", 45],
    [stJames, "09:31", "U", 46], // issue 6: St James, 9.31 → U
    [stanborough, "08:35", "/", 0],
    [stanborough, "08:36", "L", 1],
    [stanborough, "09:01", "U", 26],
  ] as const)("%o at %s → %s, %i minutes late", (times, arrival, code, minutes) => {
    const decision = classifyArrival(times, "AM", arrival);
    expect(decision.code).toBe(code);
    expect(decision.minutesLate).toBe(minutes);
  });

  it("marks an on-time afternoon arrival with a backslash", () => {
    expect(classifyArrival({ starts: "13:00", lateAfter: "13:00", closes: "13:30" }, "PM", "12:58").code).toBe("\\");
  });
});
