// Transfers within a trust: the leaving academy's deletion (SI 2024/208,
// reg. 9(1), registered at another school) the day before the receiving
// academy's admission (reg. 8), and no session on both registers.
import { describe, expect, it } from "vitest";
import { planTransfer, type TransferFacts } from "../src/index.ts";

const base: TransferFacts = {
  fromAcademyId: "A",
  toAcademyId: "B",
  date: "2025-11-03",
  spells: [{ academyId: "A", from: "2025-09-03", to: null }],
  firstMarkFromDateAtLeaving: null,
  lastMarkBeforeDateAtReceiving: null,
};

describe("planTransfer (SI 2024/208, regs 8 and 9(1))", () => {
  const cases: { name: string; facts: Partial<TransferFacts>; reasons: string[]; lastDayOnRoll?: string; closes?: boolean }[] = [
    { name: "reg. 9(1): the leaving roll closes the day before the receiving roll opens", facts: {}, reasons: [], lastDayOnRoll: "2025-11-02", closes: true },
    { name: "a Monday transfer closes the leaving roll on the Sunday (a roll runs by calendar day)", facts: { date: "2025-11-10" }, reasons: [], lastDayOnRoll: "2025-11-09" },
    { name: "the same academy is no transfer", facts: { toAcademyId: "A" }, reasons: ["SAME_ACADEMY"] },
    { name: "reg. 8: at least one day on the leaving roll (a transfer on the admission day is refused)", facts: { date: "2025-09-03" }, reasons: ["BEFORE_ADMISSION"] },
    { name: "the day after admission is the earliest transfer", facts: { date: "2025-09-04" }, reasons: [], lastDayOnRoll: "2025-09-03" },
    { name: "regs 8-9: sessions count only while on roll: a leaving-academy mark on the transfer date refuses it", facts: { firstMarkFromDateAtLeaving: "2025-11-03" }, reasons: ["MARKS_AFTER_TRANSFER"] },
    { name: "regs 8-9: a receiving-academy mark before its admission date refuses it", facts: { lastMarkBeforeDateAtReceiving: "2025-10-31" }, reasons: ["MARKS_BEFORE_TRANSFER"] },
    {
      name: "a pupil deleted earlier rejoins the trust: nothing to close",
      facts: { spells: [{ academyId: "A", from: "2024-09-03", to: "2025-07-18" }] },
      reasons: [],
      closes: false,
    },
    {
      name: "one roll at a time: an earlier spell ending on or after the date refuses it",
      facts: { spells: [{ academyId: "A", from: "2024-09-03", to: "2025-11-05" }] },
      reasons: ["OVERLAPS_EARLIER_ROLL"],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planTransfer({ ...base, ...c.facts });
      expect(plan.problems.map((p) => p.reason)).toEqual(c.reasons);
      if (c.lastDayOnRoll) expect(plan.lastDayOnRoll).toBe(c.lastDayOnRoll);
      if (c.closes === true) expect(plan.closing).toEqual({ academyId: "A", from: "2025-09-03", to: null });
      if (c.closes === false) expect(plan.closing).toBeNull();
    });
  }
});
