// Yarrowdale Primary Academy's invented register times, as its plugin states them.
import { describe, expect, it } from "vitest";
import { classifyArrival, GUIDANCE_MAX_MINUTES_OPEN, minutesOpen, SETTINGS, type SessionTimes, type SettingKey } from "@attendance/core";
import plugin from "../src/index.ts";

const am = plugin.settings["registerTimes.AM"]!.value as SessionTimes;
const pm = plugin.settings["registerTimes.PM"]!.value as SessionTimes;

describe("Yarrowdale Primary Academy arrivals (its invented policy, \"Registers\")", () => {
  it.each([
    [am, "AM", "08:50", "/"], // "The morning register is taken at 8.50am"
    [am, "AM", "08:55", "/"],
    [am, "AM", "08:56", "L"], // "pupils who arrive after 8.55am receive a late mark (L)"
    [am, "AM", "09:15", "L"],
    [am, "AM", "09:16", "U"], // "The register closes at 9.15am: after that, arrival is recorded as U"
    [pm, "PM", "13:05", "\\"],
    [pm, "PM", "13:31", "U"], // "closes at 1.30pm"
  ] as const)("%o %s at %s → %s", (times, session, arrival, code) => {
    expect(classifyArrival(times, session, arrival).code).toBe(code);
  });
});

describe("Yarrowdale Primary Academy's overrides stay within the national rules", () => {
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
