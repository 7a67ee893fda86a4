// The demo data is what a new user sees first: it must be complete, lawful
// (every mark valid on its date, amendments that keep the original) and the
// same on every run.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOn, isoDateOf } from "@attendance/core";
import { openScratchDatabase, type Database } from "../src/index.ts";
import { buildDemo, demoSchoolDays, seedDemo } from "../src/demo/load.ts";

const SMALL = { pupilsPerForm: 4, weeks: 2 } as const;

describe("demo data", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openScratchDatabase("pglite");
    await seedDemo(db.prisma, SMALL);
  });
  afterAll(() => db?.close());

  it("has the five seed academies, in their trusts and local authorities", async () => {
    const academies = await db.prisma.academy.findMany({ include: { trust: true, localAuthority: true }, orderBy: { name: "asc" } });
    expect(academies.map((a) => [a.name, a.phase, a.localAuthority.code, a.trust.name])).toEqual([
      ["ATT Thurrock Academy (demo)", "SECONDARY", 883, "Academies Transformation Trust"],
      ["St James CE Primary School", "PRIMARY", 931, "Vale Academy Trust"],
      ["Stanborough School", "SECONDARY", 919, "Stanborough School (single-academy trust)"],
      ["Staverton CE Primary School", "PRIMARY", 941, "Peterborough Diocese Education Trust"],
      ["Woolwich Polytechnic School for Boys", "SECONDARY", 203, "Woolwich Polytechnic School for Boys (single-academy trust)"],
    ]);
  });

  it("puts every pupil in a form of their year group, with an enrolment", async () => {
    const pupils = await db.prisma.pupil.findMany({ include: { form: true, enrolments: true } });
    expect(pupils.length).toBeGreaterThan(0);
    for (const p of pupils) {
      expect(p.form?.yearGroup).toBe(p.yearGroup);
      expect(p.form?.academyId).toBe(p.academyId);
      expect(p.enrolments).toHaveLength(1);
    }
    // Woolwich Polytechnic is a boys' school (seed 000).
    expect(await db.prisma.pupil.count({ where: { academy: { name: { contains: "Woolwich" } }, gender: "FEMALE" } })).toBe(0);
  });

  it("takes AM and PM registers on every school day, with one original mark per pupil on roll", async () => {
    const days = demoSchoolDays(SMALL.weeks);
    expect(days.length).toBe(9); // two weeks less the INSET day on 3 September 2025
    expect(await db.prisma.register.count()).toBe(5 * days.length * 2);
    const rows = await db.prisma.$queryRaw<{ register_id: string; pupil_id: string; n: number }[]>`
      SELECT register_id, pupil_id, count(*)::int AS n FROM mark WHERE version = 1 GROUP BY 1, 2 HAVING count(*) > 1`;
    expect(rows).toEqual([]);
    const expected = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM register r JOIN enrolment e ON e.academy_id = r.academy_id AND e.on_roll_from <= r.date`;
    expect(await db.prisma.mark.count({ where: { version: 1 } })).toBe(expected[0]!.n);
  });

  it("uses only codes valid on their dates, with the category the national table gives", async () => {
    const marks = await db.prisma.mark.findMany({ select: { code: true, date: true, category: true } });
    for (const m of marks) expect(m.category).toBe(codeOn(m.code, isoDateOf(m.date))?.category);
    const categories = new Set(marks.map((m) => m.category));
    expect(categories).toEqual(new Set(["PRESENT", "APPROVED_ACTIVITY", "AUTHORISED_ABSENCE", "UNAUTHORISED_ABSENCE", "NOT_POSSIBLE"]));
  });

  it("keeps the original of every amendment, with a reason, author and later time", async () => {
    const amendments = await db.prisma.mark.findMany({ where: { version: 2 } });
    expect(amendments.length).toBeGreaterThan(0);
    for (const a of amendments) {
      const original = await db.prisma.mark.findUniqueOrThrow({
        where: { registerId_pupilId_version: { registerId: a.registerId, pupilId: a.pupilId, version: 1 } },
      });
      expect(original.code).toBe("N");
      expect(a.amendmentReason).toBeTruthy();
      expect(a.recordedById).toBeTruthy();
      expect(a.recordedAt.getTime()).toBeGreaterThan(original.recordedAt.getTime());
    }
  });

  it("keeps one current entry per pupil and register: the highest version", async () => {
    const mismatches = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM (
        SELECT DISTINCT ON (register_id, pupil_id) register_id, pupil_id, id, version
        FROM mark ORDER BY register_id, pupil_id, version DESC
      ) latest FULL JOIN current_mark c USING (register_id, pupil_id)
      WHERE c.mark_id IS DISTINCT FROM latest.id`;
    expect(mismatches[0]!.n).toBe(0);
    expect(await db.prisma.currentMark.count({ where: { version: 2 } })).toBe(await db.prisma.mark.count({ where: { version: 2 } }));
  });

  it("records lateness with minutes late and the arrival time", async () => {
    const lates = await db.prisma.mark.findMany({ where: { code: { in: ["L", "U"] } } });
    expect(lates.length).toBeGreaterThan(0);
    for (const m of lates) {
      expect(m.minutesLate).toBeGreaterThan(0);
      expect(m.arrivedAt).not.toBeNull();
      // U is after the register closed: at most 30 minutes after it opened (DESIGN.md §8).
      expect(m.code === "U" ? m.minutesLate! > 30 : m.minutesLate! < 30).toBe(true);
    }
  });
});

describe("the full demo, built in memory", () => {
  const rows = buildDemo();
  it("is a few hundred pupils an academy, with persistent absentees", () => {
    const perAcademy = new Map<string, number>();
    for (const p of rows.pupils) perAcademy.set(p.academyId, (perAcademy.get(p.academyId) ?? 0) + 1);
    for (const n of perAcademy.values()) expect(n).toBeGreaterThanOrEqual(150);
    const absence = new Map<string, { possible: number; absent: number }>();
    for (const m of rows.marks) {
      if (m.version !== 1 || m.category === "NOT_POSSIBLE") continue;
      const a = absence.get(m.pupilId) ?? { possible: 0, absent: 0 };
      a.possible++;
      if (m.category === "AUTHORISED_ABSENCE" || m.category === "UNAUTHORISED_ABSENCE") a.absent++;
      absence.set(m.pupilId, a);
    }
    const rates = [...absence.values()].map((a) => a.absent / a.possible);
    const persistent = rates.filter((r) => r >= 0.1).length / rates.length;
    // Persistent absence nationally has run at roughly 15–22% since 2022.
    expect(persistent).toBeGreaterThan(0.1);
    expect(persistent).toBeLessThan(0.3);
    expect(rates.some((r) => r >= 0.5)).toBe(true);
  });

  it("is the same on every run", () => {
    const digest = (r: ReturnType<typeof buildDemo>) => createHash("sha256").update(JSON.stringify(r)).digest("hex");
    expect(digest(buildDemo())).toBe(digest(rows));
    expect(digest(buildDemo({ seed: 1 }))).not.toBe(digest(rows));
  });

  it("invents every person: staff e-mail addresses are on the reserved .example domain", () => {
    for (const u of rows.users) expect(u.email).toMatch(/@[a-z0-9-]+\.example$/);
  });
});
