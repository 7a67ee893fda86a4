// Thornwick CE Primary School's invented register times, as its plugin states them.
import { describe, expect, it } from "vitest";
import { classifyArrival, GUIDANCE_MAX_MINUTES_OPEN, minutesOpen, SETTINGS, type SessionTimes, type SettingKey } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;
const pm = plugin.settings["registerTimes.PM"]!.value as SessionTimes;

describe("Thornwick CE Primary School arrivals (its invented policy, \"Registers\")", () => {
  it.each([
    [am, "AM", "08:40", "/"], // "The morning register is taken at 8.40am"
    [am, "AM", "08:45", "/"],
    [am, "AM", "08:46", "L"], // "pupils who arrive after 8.45am receive a late mark (L)"
    [am, "AM", "09:05", "L"],
    [am, "AM", "09:06", "U"], // "The register closes at 9.05am: after that, arrival is recorded as U"
    [pm, "PM", "13:10", "\\"],
    [pm, "PM", "13:36", "U"], // "closes at 1.35pm"
  ] as const)("%o %s at %s → %s", (times, session, arrival, code) => {
    expect(classifyArrival(times, session, arrival).code).toBe(code);
  });
});

describe("Thornwick CE Primary School's overrides stay within the national rules", () => {
  it("keeps each register open no longer than guidance expects, the same every session", () => {
    // Working together to improve school attendance (DfE, August 2024), code L: at most 30 minutes, the same every session.
    expect(minutesOpen(am)).toBeLessThanOrEqual(GUIDANCE_MAX_MINUTES_OPEN);
    expect(minutesOpen(pm)).toBe(minutesOpen(am));
  });

  it("gives every value its schema and a citation", () => {
    for (const [key, cited] of Object.entries(plugin.settings)) {
      expect(SETTINGS[key as SettingKey].safeParse(cited!.value).success, key).toBe(true);
      expect(cited!.passage).toMatch(/allowed|invented/i);
    }
  });
});
