// St James CE Primary School's register times, case by case (seed 001, §8 Lateness).
import { describe, expect, it } from "vitest";
import { classifyArrival, type SessionTimes } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;

describe("St James arrivals (seed 001 §8)", () => {
  it.each([
    ["08:45", "/"], // "Our school day starts at 8.45 a.m."
    ["09:00", "/"], // "a late mark (L) if they are not in by [9.00]"
    ["09:10", "L"], // issue 6: arrival 9.10 → L
    ["09:30", "L"], // "At 9.30 a.m. the registers will be closed"
    ["09:31", "U"], // issue 6: 9.31 → U
  ])("%s → %s", (arrival, code) => {
    expect(classifyArrival(am, "AM", arrival).code).toBe(code);
  });

  it("says leave is unlikely below 96% attendance (§9 Exceptional Leave, 5)", () => {
    expect(plugin.settings["leave.unlikelyBelowAttendance"]!.value).toBe(0.96);
  });
});
