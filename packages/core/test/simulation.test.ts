// Policy what-if (issue 16, item 6): a draft of settings over recorded
// history. Each case cites the rule it rests on.
import { describe, expect, it } from "vitest";
import {
  draftCode,
  parseDraft,
  policyView,
  simulateAcademy,
  type AcademyHistory,
  type HistoryMark,
  type PolicySettings,
  type PupilHistory,
  type ResolvedSetting,
  type SettingKey,
} from "../src/index.ts";

const AUTUMN = { name: "Autumn 1", academicYear: "2025/26", start: "2025-09-03", end: "2025-10-24" };
const calendar = { terms: [AUTUMN], closures: [] };

/** A policy in force as the resolver would give it (academy layer, every key POLICY). */
function policy(settings: PolicySettings) {
  const resolved = new Map<SettingKey, ResolvedSetting>();
  for (const [key, value] of Object.entries(settings) as [SettingKey, unknown][]) {
    resolved.set(key, {
      key, value, replaced: [],
      source: { layer: "academy", plugin: "academy-test", document: "test policy", passage: "Appendix A", effectiveFrom: undefined, statutory: false, basis: "POLICY" },
    });
  }
  return { view: policyView(resolved), plugins: [] };
}

// St James CE Primary (seed 001): the register is taken at 8.45, late after 9.00, closes 9.30.
const ST_JAMES_AM = { starts: "08:45", lateAfter: "09:00", closes: "09:30" };

const mark = (date: string, code: string, arrival: string | null = null, session: "AM" | "PM" = "AM"): HistoryMark => ({
  date, session, code, arrival, here: true,
  category: code === "L" || code === "/" || code === "\\" ? "PRESENT" : code === "I" ? "AUTHORISED_ABSENCE" : "UNAUTHORISED_ABSENCE",
});

describe("draftCode: an arrival recorded is classified again by the draft's times (SI 2024/208, reg. 10(2), table 1)", () => {
  const later = { "registerTimes.AM": { starts: "08:45", lateAfter: "09:10", closes: "09:40" } } as PolicySettings;
  it.each([
    { name: "L at 09:05 is on time when late begins after 09:10", m: mark("2025-09-08", "L", "09:05"), draft: later, code: "/" },
    { name: "L at 09:20 stays L", m: mark("2025-09-08", "L", "09:20"), draft: later, code: "L" },
    { name: "U at 09:35 becomes L when the register closes at 09:40", m: mark("2025-09-08", "U", "09:35"), draft: later, code: "L" },
    { name: "U at 09:50 stays U", m: mark("2025-09-08", "U", "09:50"), draft: later, code: "U" },
    { name: "a PM arrival is judged by PM times only: unchanged without them", m: mark("2025-09-08", "L", "13:40", "PM"), draft: later, code: "L" },
    { name: "no recorded arrival: the code stands (nothing says when the pupil came)", m: mark("2025-09-08", "/"), draft: later, code: "/" },
    { name: "an absence code is never reclassified", m: mark("2025-09-08", "O", "09:05"), draft: later, code: "O" },
    { name: "another academy's register keeps its code", m: { ...mark("2025-09-08", "U", "09:35"), here: false }, draft: later, code: "U" },
    { name: "an earlier close turns L at 09:20 into U", m: mark("2025-09-08", "L", "09:20"), draft: { "registerTimes.AM": { starts: "08:45", lateAfter: "08:45", closes: "09:15" } } as PolicySettings, code: "U" },
    { name: "no draft: the recorded code", m: mark("2025-09-08", "U", "09:35"), draft: {}, code: "U" },
  ])("$name", ({ m, draft, code }) => expect(draftCode(m, draft)).toBe(code));
});

describe("parseDraft: the settings' own zod schemas (contract.ts SETTINGS), each problem naming the setting", () => {
  it.each([
    { name: "valid register times", input: { "registerTimes.AM": ST_JAMES_AM }, fields: [] },
    { name: "times out of order (starts ≤ lateAfter ≤ closes)", input: { "registerTimes.AM": { starts: "09:00", lateAfter: "08:50", closes: "09:30" } }, fields: ["registerTimes.AM"] },
    { name: "a time that is not hh:mm", input: { "registerTimes.PM": { starts: "1pm", lateAfter: "13:00", closes: "13:30" } }, fields: ["registerTimes.PM.starts", "registerTimes.PM"] },
    { name: "an unknown setting", input: { "registerTimes.XX": 1 }, fields: ["registerTimes.XX"] },
    { name: "a known setting the simulation does not work out", input: { attendanceTarget: 0.96 }, fields: ["attendanceTarget"] },
    { name: "a threshold of 0 sessions", input: { "penaltyNotice.thresholdSessions": 0 }, fields: ["penaltyNotice.thresholdSessions"] },
    { name: "not an object", input: [1], fields: ["changes"] },
  ])("$name", ({ input, fields }) => {
    const { problems } = parseDraft(input);
    expect(problems.map((p) => p.field)).toEqual(fields);
  });
});

/** A pupil with lates in one week of Autumn 1 2025 and nothing else recorded (all present otherwise). */
function pupil(id: string, marks: HistoryMark[], checkpoints = [{ date: "2025-09-08", possible: 8, attending: 8 }], period = { possible: 10, attending: 10 }): PupilHistory {
  return { pupilId: id, formId: "form-1", marks, checkpoints, period, calendars: [calendar] };
}

function history(pupils: PupilHistory[], settings: PolicySettings): AcademyHistory {
  return { from: "2025-09-08", to: "2025-09-12", halfTerms: [AUTUMN], pupils, policyOn: () => policy(settings) };
}

describe("simulateAcademy", () => {
  // A lateness ladder like seed 003's: three lates in a week lead to a detention.
  const ladder = [{ lates: 3, per: "WEEK" as const, action: "After-school detention" }];
  const lates = [mark("2025-09-08", "L", "09:05"), mark("2025-09-09", "L", "09:08"), mark("2025-09-10", "U", "09:35")];
  const base = { "registerTimes.AM": ST_JAMES_AM, latenessLadder: ladder } as PolicySettings;

  it.each([
    {
      name: "no changes: the recorded outcome on both sides",
      draft: {}, lates: [2, 2], afterClose: [1, 1], steps: [1, 1],
    },
    {
      // SI 2024/208 reg. 10(2): the school sets when the register closes.
      name: "a later late time: 09:05 and 09:08 become on time, the ladder is not reached",
      draft: { "registerTimes.AM": { starts: "08:45", lateAfter: "09:10", closes: "09:30" } }, lates: [2, 0], afterClose: [1, 1], steps: [1, 0],
    },
    {
      name: "a later close: the U at 09:35 becomes L, still three lates in the week (L and U are both late arrivals)",
      draft: { "registerTimes.AM": { starts: "08:45", lateAfter: "09:00", closes: "09:40" } }, lates: [2, 3], afterClose: [1, 0], steps: [1, 1],
    },
    {
      name: "a ladder of four lates a week: not reached",
      draft: { latenessLadder: [{ lates: 4, per: "WEEK", action: "After-school detention" }] }, lates: [2, 2], afterClose: [1, 1], steps: [1, 0],
    },
  ])("$name", ({ draft, lates: l, afterClose, steps }) => {
    const result = simulateAcademy(history([pupil("p1", lates)], base), draft as PolicySettings);
    expect([result.current.lates, result.draft.lates]).toEqual(l);
    expect([result.current.afterClose, result.draft.afterClose]).toEqual(afterClose);
    expect([result.current.latenessSteps, result.draft.latenessSteps]).toEqual(steps);
  });

  it("the ladder step is keyed as the case action is (lateness:WEEK:3:<Monday>), reached on the third late's day", () => {
    const [row] = simulateAcademy(history([pupil("p1", lates)], base), {}).pupils;
    expect(row!.current.ladderSteps.map((s) => [s.triggerKey, s.raisedOn])).toEqual([["lateness:WEEK:3:2025-09-08", "2025-09-10"]]);
  });

  it("an absence ladder reads the cumulative rate from the school year's start (Working together to improve school attendance, DfE, Aug 2024: act as attendance falls; guidance)", () => {
    const absence = [{ below: 0.9, actions: ["Letter to parents"] }];
    // 17 of 20 sessions attended by the checkpoint (85%): below 90%.
    const p = pupil("p1", [], [{ date: "2025-09-08", possible: 20, attending: 17 }]);
    const result = simulateAcademy(history([p], { absenceLadder: absence }), { absenceLadder: [{ below: 0.8, actions: ["Letter to parents"] }] });
    expect(result.current.absenceSteps).toBe(1);
    expect(result.pupils[0]!.current.ladderSteps[0]!.triggerKey).toBe("absence:0.9:2025/26:0");
    expect(result.draft.absenceSteps).toBe(0);
  });

  it("U turned into L raises the period's attendance (U is unauthorised absence, L present: SI 2024/208, reg. 10(2))", () => {
    const p = pupil("p1", [mark("2025-09-10", "U", "09:35")], undefined, { possible: 10, attending: 9 });
    const result = simulateAcademy(history([p], { ...base, "rewards.individualExpectation": 0.98 }), { "registerTimes.AM": { starts: "08:45", lateAfter: "09:00", closes: "09:40" } });
    expect(result.pupils[0]!.current.attendanceRate).toBeCloseTo(0.9);
    expect(result.pupils[0]!.draft.attendanceRate).toBe(1);
    // Seed 003 §11.2: individual pupils at 98% or more are rewarded.
    expect([result.current.rewarded, result.draft.rewarded]).toEqual([0, 1]);
  });

  it("penalty notices: ten unauthorised sessions in ten school weeks (national framework, Working together to improve school attendance, DfE, Aug 2024; guidance as LA codes restate it); a draft threshold of 12 drops the candidate", () => {
    const days = ["08", "09", "10", "11", "12"];
    const marks = days.flatMap((d) => [mark(`2025-09-${d}`, "O"), mark(`2025-09-${d}`, "O", null, "PM")]);
    const result = simulateAcademy(history([pupil("p1", marks)], {}), { "penaltyNotice.thresholdSessions": 12 });
    expect([result.current.penaltyCandidates, result.draft.penaltyCandidates]).toEqual([1, 0]);
  });

  it("U counts towards the threshold only where the local authority counts lateness after close (penaltyNotice.countsLateness)", () => {
    const days = ["08", "09", "10", "11", "12"];
    const marks = days.flatMap((d) => [mark(`2025-09-${d}`, "U", "09:45"), mark(`2025-09-${d}`, "O", null, "PM")]);
    const result = simulateAcademy(history([pupil("p1", marks)], {}), { "penaltyNotice.countsLateness": false });
    expect([result.current.penaltyCandidates, result.draft.penaltyCandidates]).toEqual([1, 0]);
  });

  it("group rewards only (seed 004 §8): no individual rewards, the best form named", () => {
    const a = { ...pupil("p1", []), formId: "form-a" };
    const b = { ...pupil("p2", [], undefined, { possible: 10, attending: 8 }), formId: "form-b" };
    const result = simulateAcademy(history([a, b], { "rewards.individualExpectation": 0.95 }), { "rewards.groupOnly": true });
    expect([result.current.rewarded, result.draft.rewarded]).toEqual([1, 0]);
    expect(result.draft.bestForms).toEqual(["form-a"]);
  });
});
