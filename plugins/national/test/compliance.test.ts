// Law and guidance kept apart (issue 14, item 7): each seed academy's
// published register times apply as written in its policy, and where they
// depart from statutory guidance ("Working together to improve school
// attendance", DfE, August 2024: a register open no longer than 30 minutes,
// the same every session) that is a finding, never a changed value. The 2024
// Regulations (SI 2024/208, reg. 10(2), table 1) define L and U by the end of
// the taking of the register and leave the time to the school.
import { describe, expect, it } from "vitest";
import { classifyArrival, complianceFindings, NATIONAL_CODES, pluginsInForce, resolvePolicy, type PolicyPlugin, type SessionTimes } from "@attendance/core";
import national from "../src/index.ts";
import greenwich from "../../la-greenwich/src/index.ts";
import oxfordshire from "../../la-oxfordshire/src/index.ts";
import hertfordshire from "../../la-hertfordshire/src/index.ts";
import thurrock from "../../la-thurrock/src/index.ts";
import vale from "../../trust-vale-academy-trust/src/index.ts";
import att from "../../trust-academies-transformation-trust/src/index.ts";
import pdet from "../../trust-peterborough-diocese/src/index.ts";
import woolwich from "../../academy-woolwich-polytechnic/src/index.ts";
import stJames from "../../academy-st-james/src/index.ts";
import stanborough from "../../academy-stanborough/src/index.ts";
import attTemplate from "../../academy-att-template/src/index.ts";
import staverton from "../../academy-staverton/src/index.ts";

const DAY = "2025-11-03";

/** Each seed academy with its layers, as the demo trusts compose them. */
const ACADEMIES: Record<string, PolicyPlugin[]> = {
  Woolwich: [national, greenwich, woolwich],
  "St James": [national, oxfordshire, vale, stJames],
  Stanborough: [national, hertfordshire, stanborough],
  ATT: [national, thurrock, att, attTemplate],
  Staverton: [national, pdet, staverton],
};

const policy = (name: string, date = DAY) => resolvePolicy(ACADEMIES[name]!, date);
const findings = (name: string, date = DAY) => complianceFindings(pluginsInForce(ACADEMIES[name]!, date), policy(name, date), date);

describe("published register times apply as written", () => {
  it.each([
    // Seed 000: "in time for registration at 8.40am" (no close published: 30 minutes assumed).
    ["Woolwich", "registerTimes.AM", { starts: "08:40", lateAfter: "08:40", closes: "09:10" }, "academy-woolwich-polytechnic"],
    // Seed 001 §8: "starts at 8.45 a.m.", late "if they are not in by [9.00]", "At 9.30 a.m. the registers will be closed".
    ["St James", "registerTimes.AM", { starts: "08:45", lateAfter: "09:00", closes: "09:30" }, "academy-st-james"],
    // Seed 002, Punctuality: "Registration starts: 8.35am" … "Registration closes: 9.00am".
    ["Stanborough", "registerTimes.AM", { starts: "08:35", lateAfter: "08:35", closes: "09:00" }, "academy-stanborough"],
    // Seed 003 6.4: "starts at 8.20am … The register closes at 8.40am".
    ["ATT", "registerTimes.AM", { starts: "08:20", lateAfter: "08:20", closes: "08:40" }, "academy-att-template"],
    // Seed 003 6.6: "starts at 12.00pm and closes at 1.05pm".
    ["ATT", "registerTimes.PM", { starts: "12:00", lateAfter: "12:00", closes: "13:05" }, "academy-att-template"],
    // Seed 004 Appendix A1: opens 8:45, "Register closes: 8:50 am" (late after), "after 9:20 am … unauthorised".
    ["Staverton", "registerTimes.AM", { starts: "08:45", lateAfter: "08:50", closes: "09:20" }, "academy-staverton"],
    // Seed 004 Appendix A1: "Afternoon Session start time: 1:00 pm"; the trust policy's 30 minutes for the close.
    ["Staverton", "registerTimes.PM", { starts: "13:00", lateAfter: "13:00", closes: "13:30" }, "academy-staverton"],
  ] as const)("%s %s", (name, key, times, plugin) => {
    const setting = policy(name).get(key)!;
    expect(setting.value).toEqual(times);
    expect(setting.source).toMatchObject({ layer: "academy", plugin, basis: "POLICY", statutory: false });
    // Nothing replaced them: no national value for register times exists.
    expect(setting.replaced).toEqual([]);
  });

  it.each([
    // St James at 9.20 and 9.30: late, before the published 9.30 close; after it, U.
    ["St James", "AM", "09:20", "L"],
    ["St James", "AM", "09:30", "L"],
    ["St James", "AM", "09:31", "U"],
    // Staverton at 9.20: late; 9.21 after the close.
    ["Staverton", "AM", "09:20", "L"],
    ["Staverton", "AM", "09:21", "U"],
    // ATT's afternoon: 1.05pm still late, 1.06pm after the close.
    ["ATT", "PM", "13:05", "L"],
    ["ATT", "PM", "13:06", "U"],
  ] as const)("%s %s arrival at %s is %s", (name, session, arrival, code) => {
    expect(classifyArrival(policy(name).get(`registerTimes.${session}`)!.value as SessionTimes, session, arrival).code).toBe(code);
  });
});

describe("departures from guidance are findings", () => {
  it.each([
    ["Woolwich", []],
    ["St James", [["registerTimes.openAtMost30Minutes", "registerTimes.AM", { starts: "08:45", closes: "09:30", minutesOpen: 45 }]]],
    ["Stanborough", []],
    [
      "ATT",
      [
        ["registerTimes.openAtMost30Minutes", "registerTimes.PM", { starts: "12:00", closes: "13:05", minutesOpen: 65 }],
        ["registerTimes.sameEverySession", "registerTimes.PM", { AM: 20, PM: 65 }],
      ],
    ],
    [
      "Staverton",
      [
        ["registerTimes.openAtMost30Minutes", "registerTimes.AM", { starts: "08:45", closes: "09:20", minutesOpen: 35 }],
        ["registerTimes.sameEverySession", "registerTimes.PM", { AM: 35, PM: 30 }],
      ],
    ],
  ] as const)("%s", (name, expected) => {
    const found = findings(name);
    expect(found.map((f) => [f.rule, f.key, f.academyValue])).toEqual(expected);
    for (const f of found) {
      expect(f).toMatchObject({ basis: "GUIDANCE", plugin: "national-england-2024", date: DAY, academySource: { layer: "academy" } });
      expect(f.source).toMatch(/^Working together to improve school attendance \(DfE, August 2024\)/);
    }
  });

  it("says what guidance expects and that the academy's time applies", () => {
    const [f] = findings("St James");
    expect(f!.guidanceValue).toEqual({ maxMinutesOpen: 30, closesBy: "09:15" });
    expect(f!.message).toBe(
      "The morning register closes at 09:30, 45 minutes after it starts at 08:45; guidance expects no longer than 30 minutes (by 09:15). The academy's published time applies (The School Attendance (Pupil Registration) (England) Regulations 2024 (SI 2024/208), reg. 10(2), table 1: L is arrival before \"the taking of the register has ended\", U after; the time is the school's).",
    );
  });

  it("reports nothing before the 2024 rules were in force", () => {
    expect(findings("St James", "2024-03-04")).toEqual([]);
  });

  it("reports a local penalty threshold that differs from the national framework, and keeps it", () => {
    const strict = { ...greenwich, name: "la-strict", settings: { ...greenwich.settings, "penaltyNotice.thresholdSessions": { value: 8, passage: "8 sessions" } } };
    const plugins = [national, strict, woolwich];
    const settings = resolvePolicy(plugins, DAY);
    expect(settings.get("penaltyNotice.thresholdSessions")!.value).toBe(8);
    expect(complianceFindings(pluginsInForce(plugins, DAY), settings, DAY)).toEqual([
      expect.objectContaining({ rule: "penaltyNotice.thresholdSessions", guidanceValue: 10, academyValue: 8, source: expect.stringMatching(/national framework for penalty notices/) }),
    ]);
  });
});

describe("every national value says what it rests on", () => {
  it.each([
    ["penaltyNotice.firstAmountWithin21Days", "REGULATION", /Education \(Penalty Notices\) \(England\) Regulations 2007, reg\. 4, as amended by .* \(SI 2024\/210\)/],
    ["penaltyNotice.firstAmountWithin28Days", "REGULATION", /SI 2024\/210/],
    ["penaltyNotice.secondAmount", "REGULATION", /SI 2024\/210/],
    ["penaltyNotice.thresholdSessions", "GUIDANCE", /^Working together to improve school attendance \(DfE, August 2024\), national framework for penalty notices/],
    ["penaltyNotice.windowSchoolWeeks", "GUIDANCE", /national framework for penalty notices/],
    ["penaltyNotice.countsLateness", "GUIDANCE", /national framework for penalty notices/],
    ["penaltyNotice.maxInThreeYears", "GUIDANCE", /national framework for penalty notices/],
    ["leave.form", "REGULATION", /SI 2024\/208\), reg\. 11/],
    ["missingEducation.steps", "REGULATION", /SI 2024\/208\).*reg\. 9\(1\)\(i\)/],
  ] as const)("%s: %s", (key, basis, passage) => {
    const cited = national.settings[key]!;
    expect(cited.basis).toBe(basis);
    expect(cited.passage).toMatch(passage);
  });

  it("makes only regulations statutory", () => {
    for (const key of national.statutory ?? []) expect(national.settings[key]!.basis).toBe("REGULATION");
  });

  it("cites no internal notes anywhere a plugin or code answers from", () => {
    const texts = [
      ...Object.values(ACADEMIES).flat().flatMap((p) => [p.document, ...Object.values(p.settings).map((s) => s!.passage), ...(p.guidance ?? []).map((g) => g.source)]),
      ...NATIONAL_CODES.map((c) => c.source),
    ];
    expect(texts.filter((t) => /DESIGN|design notes/i.test(t))).toEqual([]);
  });
});
