// Workflow rules: the penalty-notice threshold and limit (national framework
// from August 2024, DESIGN.md §8), children missing education, escalation keys.
import { describe, expect, it } from "vitest";
import {
  actionKind,
  addSchoolDays,
  dueActions,
  evaluateAbsenceLadder,
  missingEducationSteps,
  nextNotice,
  penaltyNoticeThreshold,
  schoolCalendar,
  unexplainedAbsenceRun,
  type UnauthorisedSession,
} from "../src/index.ts";

// Autumn 2 ends on Friday 19 December; Spring 1 starts with an INSET day on 5 January.
const calendar = schoolCalendar({
  terms: [
    { name: "Autumn 1", academicYear: "2025/26", start: "2025-09-03", end: "2025-10-24" },
    { name: "Autumn 2", academicYear: "2025/26", start: "2025-11-03", end: "2025-12-19" },
    { name: "Spring 1", academicYear: "2025/26", start: "2026-01-05", end: "2026-02-13" },
  ],
  closures: [{ kind: "INSET", start: "2026-01-05", end: "2026-01-05" }],
});

/** Five unauthorised sessions: Monday to Wednesday of the week of `monday`. */
function fiveIn(monday: string, code = "O"): UnauthorisedSession[] {
  const [y, m, d] = monday.split("-").map(Number) as [number, number, number];
  const day = (n: number) => new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
  return [
    { date: day(0), session: "AM", code }, { date: day(0), session: "PM", code },
    { date: day(1), session: "AM", code }, { date: day(1), session: "PM", code },
    { date: day(2), session: "AM", code },
  ];
}

const national = { thresholdSessions: 10, windowSchoolWeeks: 10, countsLateness: true };

describe("penalty-notice threshold: 10 unauthorised sessions in a rolling 10 school weeks, spanning terms", () => {
  it.each([
    // Two terms, 8 school weeks (the two holiday weeks are not school weeks).
    ["weeks of 24 Nov and 26 Jan", [...fiveIn("2025-11-24"), ...fiveIn("2026-01-26")], true, 10],
    // 10 school weeks over 12 calendar weeks: still inside the window.
    ["weeks of 10 Nov and 26 Jan", [...fiveIn("2025-11-10"), ...fiveIn("2026-01-26")], true, 10],
    // The same sessions 11 school weeks apart: never 10 inside one window.
    ["weeks of 3 Nov and 26 Jan", [...fiveIn("2025-11-03"), ...fiveIn("2026-01-26")], false, 5],
    // Nine sessions are not ten.
    ["nine sessions", [...fiveIn("2025-11-24"), ...fiveIn("2026-01-26").slice(1)], false, 9],
    // G, N, O, U in any mix (U: arrived after the register closed).
    ["a mix of G, N and U", [...fiveIn("2025-11-24", "G"), ...fiveIn("2025-12-01", "U").slice(0, 3), ...fiveIn("2025-12-08", "N").slice(0, 2)], true, 10],
    // Authorised absence (I) does not count.
    ["illness", [...fiveIn("2025-11-24", "I"), ...fiveIn("2025-12-01")], false, 5],
  ] as const)("%s", (_name, sessions, reached, evidence) => {
    const result = penaltyNoticeThreshold([calendar], sessions, national, "2026-02-13");
    expect(result.reached).toBe(reached);
    expect(result.sessions).toHaveLength(evidence);
    // A window is the last 10 school weeks up to a session's week (shorter only where the calendar starts).
    if (reached) expect(result.window?.schoolWeeks).toBe(10);
  });

  it("does not count U where the local authority's code counts absence only", () => {
    const sessions = [...fiveIn("2025-11-24"), ...fiveIn("2025-12-01", "U")];
    expect(penaltyNoticeThreshold([calendar], sessions, { ...national, countsLateness: false }, "2026-02-13").reached).toBe(false);
  });

  it("looks only at sessions up to the date asked", () => {
    expect(penaltyNoticeThreshold([calendar], [...fiveIn("2025-11-24"), ...fiveIn("2026-01-26")], national, "2026-01-26").reached).toBe(false);
  });
});

describe("notices to one parent for one child: at most two within three years (national framework)", () => {
  const amounts = { firstAmountWithin21Days: 80, firstAmountWithin28Days: 160, secondAmount: 160, maxInThreeYears: 2 };
  it.each([
    ["none before", [], true, 1, 80],
    ["one in 2024", [{ issuedOn: "2024-10-01", status: "PAID" }], true, 2, 160],
    // The third within three years is not offered: prosecution is considered instead.
    ["two within three years", [{ issuedOn: "2024-10-01", status: "PAID" }, { issuedOn: "2025-06-01", status: "UNPAID" }], false, 3, null],
    // Withdrawn notices do not count.
    ["one withdrawn", [{ issuedOn: "2024-10-01", status: "WITHDRAWN" }, { issuedOn: "2025-06-01", status: "PAID" }], true, 2, 160],
    // A notice more than three years ago no longer counts.
    ["one from 2022", [{ issuedOn: "2022-12-01", status: "PAID" }, { issuedOn: "2025-06-01", status: "PROSECUTED" }], true, 2, 160],
  ] as const)("%s → offered %s (notice %i, £%s)", (_name, earlier, offered, nth, amount) => {
    const offer = nextNotice(earlier, amounts, "2026-01-10");
    expect([offer.offered, offer.nth, offer.amountWithin21Days]).toEqual([offered, nth, amount]);
  });
});

describe("children missing education: consecutive school days of unexplained absence", () => {
  const days = (codes: string[][], from = 3) => codes.map((c, i) => ({ date: `2025-11-${String(from + i).padStart(2, "0")}`, codes: c }));
  it.each([
    ["N all day, three days", [["N", "N"], ["N", "N"], ["O", "O"]], 3],
    ["present on the last day", [["N", "N"], ["/", "\\"]], null],
    ["late in the morning, then N", [["L", "N"], ["N", "N"]], 1],
    ["ill, then unexplained", [["I", "I"], ["N", "N"], ["N", "N"]], 2],
  ])("%s → run of %s", (_name, codes, length) => {
    expect(unexplainedAbsenceRun(days(codes), "2025-11-30")?.schoolDays ?? null).toBe(length);
  });

  // St James (seed 001): "Telephone or text you on the first day … Visit you at home if we have not heard from you by day 3".
  const steps = [
    { afterSchoolDays: 1, action: "Telephone or text", by: "Office" },
    { afterSchoolDays: 3, action: "Home visit", by: "DSL" },
    { afterSchoolDays: 10, action: "Tell the local authority", by: "Head" },
  ];
  it("reaches day 1 and day 3 on the run's first and third days", () => {
    const { due } = missingEducationSteps(steps, days([["N", "N"], ["N", "N"], ["N", "N"]]), "2025-11-30");
    expect(due.map((d) => [d.afterSchoolDays, d.dueOn])).toEqual([[1, "2025-11-03"], [3, "2025-11-05"]]);
  });
});

describe("escalation actions", () => {
  it.each([
    ["1 hour detention", "DETENTION"], // seed 000
    ["Letter to parents about a high level of absence, asking for a meeting", "MEETING"], // seed 004 B1: the meeting is the action that needs booking
    ["At the headteacher's discretion, a letter or app message to parents", "LETTER"], // seed 004 B1
    ["Attendance targets set at the meeting", "TARGETS"],
    ["Formal support: an attendance contract or an education supervision order", "PARENTING_CONTRACT"], // Working together (2024), summary table, as seeds 000 and 002 quote it
    ["A 6-week parenting contract", "PARENTING_CONTRACT"], // seed 004 B1
    ["Referral to the Royal Borough of Greenwich Attendance Advisory Service", "REFERRAL"], // seed 000
    ["Safe and well check (home visit) if no contact has been made", "HOME_VISIT"], // seed 003 Appendix 6
    ["Telephone or text the parents", "CONTACT"], // seed 001
    ["Something else", "OTHER"],
  ] as const)("%s → %s", (text, kind) => expect(actionKind(text)).toBe(kind));

  it("keys each step by its rule and period, so evaluating twice finds the same actions", () => {
    const input = {
      asOf: "2025-09-19", schoolYear: "2025/26", missingEducation: [], missingEducationFrom: null,
      lateness: [{ lates: 3, per: "WEEK" as const, action: "1 hour detention", count: 3, from: "2025-09-15", to: "2025-09-21", reached: true, reason: "3 lates" }],
      absence: [{ below: 0.9, actions: ["Letter", "Meeting"], reached: true, reason: "89%" }],
    };
    const first = dueActions(input).map((a) => a.triggerKey);
    expect(first).toEqual(["lateness:WEEK:3:2025-09-15", "absence:0.9:2025/26:0", "absence:0.9:2025/26:1"]);
    expect(dueActions({ ...input, asOf: "2025-09-20" }).map((a) => a.triggerKey)).toEqual(first);
  });
});

describe("school days for returns to the local authority (within 5 school days, DESIGN.md §8)", () => {
  it.each([
    ["2025-11-03", 5, "2025-11-10"], // Monday → next Monday
    ["2025-12-17", 5, "2026-01-08"], // over the Christmas holiday and the INSET day on 5 January
    ["2026-02-13", 1, "2026-02-16"], // after the last term in the calendar: weekdays count
  ])("%s + %i school days → %s", (date, n, due) => expect(addSchoolDays(calendar, date, n)).toBe(due));
});

describe("absence ladder: strictly below, or at or below (inclusive)", () => {
  // Working together to improve school attendance (DfE, August 2024, statutory
  // guidance), definitions: persistent absence is missing 10% or more of possible
  // sessions, severe 50% or more, so exactly 90% (or 50%) attendance reaches an
  // inclusive step. Local ladders say "below" (seed 004 Appendix B1: "Attendance below 90%").
  const floor = [
    { below: 0.9, inclusive: true, actions: ["support"] },
    { below: 0.5, inclusive: true, actions: ["joint approach"] },
  ];
  const local = [{ below: 0.9, actions: ["letter"] }];
  it.each([
    { name: "exactly 90% (27 of 30 sessions) is persistent absence", ladder: floor, rate: 27 / 30, reached: [0.9], reason: /at or below 90%/ },
    { name: "just above 90% is not", ladder: floor, rate: 271 / 300, reached: [], reason: /not at or below 90%/ },
    { name: "36.5% (St James, issue 16) reaches both", ladder: floor, rate: 73 / 200, reached: [0.9, 0.5], reason: /36\.5% is at or below 90%/ },
    { name: "exactly 50% is severe absence", ladder: floor, rate: 15 / 30, reached: [0.9, 0.5], reason: /at or below 90%/ },
    { name: "a local ladder's 'below 90%' does not reach at 90% (seed 004 B1)", ladder: local, rate: 27 / 30, reached: [], reason: /not below 90%/ },
    { name: "…and does below it", ladder: local, rate: 26 / 30, reached: [0.9], reason: /is below 90%/ },
    { name: "no possible sessions: nothing reached", ladder: floor, rate: null, reached: [], reason: /No possible sessions/ },
  ])("$name", ({ ladder, rate, reached, reason }) => {
    const positions = evaluateAbsenceLadder(ladder, rate);
    expect(positions.filter((s) => s.reached).map((s) => s.below)).toEqual(reached);
    expect(positions[0]!.reason).toMatch(reason);
  });
});
