// Issue 14, items 4 and 5: evidence is used once (Education Act 1996,
// s.444A: a penalty notice discharges liability for the offence its sessions
// constitute; The Education (Penalty Notices) (England) (Amendment)
// Regulations 2024: a second notice within three years is £160), and case
// actions follow amended marks (SI 2024/208, reg. 5).
import { describe, expect, it } from "vitest";
import {
  actionCitesSession,
  nextNotice,
  offerOnFreshEvidence,
  partitionUsedSessions,
  reevaluationDate,
  withdrawalReason,
  type CitingNotice,
  type RaisedAction,
  type ThresholdResult,
  type UnauthorisedSession,
} from "../src/index.ts";

const s = (date: string, session: "AM" | "PM", code = "O"): UnauthorisedSession => ({ date, session, code });
const ten = ["01", "02", "03", "04", "05"].flatMap((d) => [s(`2025-12-${d}`, "AM"), s(`2025-12-${d}`, "PM")]);
const notice = (id: string, status: CitingNotice["status"], sessions = ten, issuedOn = "2025-12-10"): CitingNotice => ({ id, issuedOn, status, sessions });

describe("partitionUsedSessions: a session supports one notice to the same parent", () => {
  it.each([
    { name: "no earlier notice: every session fresh", notices: [], fresh: 10, used: 0 },
    { name: "an issued notice spends its sessions", notices: [notice("n1", "ISSUED")], fresh: 0, used: 10 },
    { name: "a paid notice spends them too", notices: [notice("n1", "PAID")], fresh: 0, used: 10 },
    { name: "an unpaid notice spends them", notices: [notice("n1", "UNPAID")], fresh: 0, used: 10 },
    { name: "a prosecuted notice spends them", notices: [notice("n1", "PROSECUTED")], fresh: 0, used: 10 },
    { name: "a withdrawn notice discharges nothing: its sessions count again", notices: [notice("n1", "WITHDRAWN")], fresh: 10, used: 0 },
    { name: "a notice citing other sessions spends none of these", notices: [notice("n1", "PAID", [s("2024-10-01", "AM")])], fresh: 10, used: 0 },
    { name: "a notice citing some spends only those", notices: [notice("n1", "PAID", ten.slice(0, 4))], fresh: 6, used: 4 },
  ])("$name", ({ notices, fresh, used }) => {
    const out = partitionUsedSessions(ten, notices);
    expect(out.fresh).toHaveLength(fresh);
    expect(out.used).toHaveLength(used);
  });

  it("names the notice and why, the earliest standing notice first", () => {
    const { used } = partitionUsedSessions([ten[0]!], [notice("late", "ISSUED", ten, "2026-01-20"), notice("early", "PAID", ten, "2025-12-10"), notice("gone", "WITHDRAWN", ten, "2025-12-08")]);
    expect(used[0]).toMatchObject({ noticeId: "early", noticeIssuedOn: "2025-12-10", noticeStatus: "PAID", code: "O" });
    expect(used[0]!.reason).toMatch(/issued on 2025-12-10.*one notice only \(Education Act 1996, s\.444A\)/);
  });
});

describe("offerOnFreshEvidence: the second notice must rest on new sessions", () => {
  const amounts = { firstAmountWithin21Days: 80, firstAmountWithin28Days: 160, secondAmount: 160, maxInThreeYears: 2 };
  const second = nextNotice([{ issuedOn: "2025-12-10", status: "PAID" }], amounts, "2026-02-13");
  const threshold = (reached: boolean): ThresholdResult => ({ reached, window: null, sessions: [], reason: reached ? "10 sessions." : "No unauthorised sessions." });
  const { used } = partitionUsedSessions(ten, [notice("n1", "PAID")]);
  it.each([
    { name: "no fresh evidence: withheld, naming the notice", fresh: threshold(false), triggers: 0, used, offered: false, reason: /already cited by the notice issued on 2025-12-10.*Without them: No unauthorised sessions/ },
    { name: "ten fresh sessions: the £160 second notice stands", fresh: threshold(true), triggers: 0, used, offered: true, reason: /second notice/ },
    { name: "a local authority trigger on fresh sessions: stands", fresh: threshold(false), triggers: 1, used, offered: true, reason: /second notice/ },
    { name: "nothing used: unchanged", fresh: threshold(false), triggers: 0, used: [], offered: true, reason: /second notice/ },
  ])("$name", ({ fresh, triggers, used, offered, reason }) => {
    const out = offerOnFreshEvidence(second, fresh, triggers, used);
    expect(out.offered).toBe(offered);
    expect(out.nth).toBe(2);
    expect(out.reason).toMatch(reason);
    if (!offered) expect(out.amountWithin21Days).toBeNull();
  });
  it("a third notice stays refused for its own reason", () => {
    const third = nextNotice([{ issuedOn: "2025-12-10", status: "PAID" }, { issuedOn: "2026-01-10", status: "PAID" }], amounts, "2026-02-13");
    expect(offerOnFreshEvidence(third, threshold(false), 0, used).reason).toMatch(/prosecution/);
  });
});

describe("case actions follow amended marks", () => {
  const amended = { markId: "m1", date: "2025-11-17", session: "AM" as const };
  const late: RaisedAction = { source: "LATENESS_LADDER", triggerKey: "lateness:WEEK:3:2025-11-17", dueOn: "2025-11-24", evidence: { lates: [{ markId: "m1", date: "2025-11-17", session: "AM", code: "L" }, { markId: "m2", date: "2025-11-19", session: "AM", code: "L" }] } };
  const absence: RaisedAction = { source: "ABSENCE_LADDER", triggerKey: "absence:90:2025/26:0", dueOn: "2025-11-28", evidence: { from: "2025-09-01", to: "2025-11-21" } };
  const cme: RaisedAction = { source: "MISSING_EDUCATION", triggerKey: "cme:1:2025-11-17", dueOn: "2025-11-17", evidence: { run: { from: "2025-11-17" }, days: [{ date: "2025-11-17", codes: ["N", "N"] }] } };
  it.each([
    { name: "a late cited by mark id", action: late, session: amended, cites: true, on: "2025-11-19" },
    { name: "a late not cited", action: late, session: { markId: "x", date: "2025-11-18", session: "AM" as const }, cites: false, on: "2025-11-19" },
    { name: "a session inside the absence ladder's period", action: absence, session: amended, cites: true, on: "2025-11-21" },
    { name: "a session after the absence ladder's period", action: absence, session: { ...amended, date: "2025-11-24" }, cites: false, on: "2025-11-21" },
    { name: "the first day of an unexplained run", action: cme, session: amended, cites: true, on: "2025-11-17" },
    { name: "a day after the step fell due", action: cme, session: { ...amended, date: "2025-11-18" }, cites: false, on: "2025-11-17" },
  ])("$name", ({ action, session, cites, on }) => {
    expect(actionCitesSession(action, session)).toBe(cites);
    expect(reevaluationDate(action)).toBe(on);
  });
  it("keeps the amendment as the reason", () => {
    expect(withdrawalReason({ ...amended, from: "N", to: "I", reason: "Parent telephoned: illness" })).toBe(
      'Withdrawn: the AM mark on 2025-11-17 was amended from N to I ("Parent telephoned: illness"), and the trigger no longer holds.',
    );
  });
});
