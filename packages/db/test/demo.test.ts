// The demo data is what a new user sees first: it must be complete, lawful
// (every mark valid on its date, amendments that keep the original) and the
// same on every run.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOn, isoDateOf } from "@attendance/core";
import { openScratchDatabase, type Database } from "../src/index.ts";
import { buildDemo, DEMO_ACADEMIES, DEMO_SEED_ACADEMIES, demoSchoolDays, seedDemo } from "../src/demo/load.ts";
import { AMENDMENTS_PER_ACADEMY } from "../src/demo/build.ts";

const SMALL = { pupilsPerForm: 4, weeks: 2 } as const;

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
/** The wall-clock time (hh:mm) of an instant in the academies' time zone. */
const londonClock = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** A digest of the rows a demo load wrote, in a fixed order, for comparing two loads. */
async function digestOf(db: Database): Promise<string> {
  const [row] = await db.prisma.$queryRaw<{ digest: string }[]>`
    SELECT md5(
      (SELECT string_agg(concat_ws('|', id, academy_id, form_id, upn, legal_forename, legal_surname, date_of_birth, gender,
         year_group, sen_provision, free_school_meals, pupil_premium, english_additional_language, looked_after,
         has_social_worker), ',' ORDER BY id) FROM pupil) ||
      (SELECT string_agg(concat_ws('|', id, email, display_name), ',' ORDER BY id) FROM app_user) ||
      (SELECT string_agg(concat_ws('|', id, pupil_id, registration_type, on_roll_from), ',' ORDER BY id) FROM enrolment) ||
      (SELECT string_agg(concat_ws('|', id, register_id, form_id, taken_by_id, taken_at), ',' ORDER BY id) FROM register_submission) ||
      (SELECT string_agg(concat_ws('|', id, register_id, pupil_id, academy_id, date, session, version, code, category,
         minutes_late, arrived_at, amendment_reason, recorded_by_id, recorded_at), ',' ORDER BY id) FROM mark)
    ) AS digest`;
  return row!.digest;
}

describe("demo data", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openScratchDatabase("pglite");
    await seedDemo(db.prisma, SMALL);
  });
  afterAll(() => db?.close());

  it("has the five seed academies, in their trusts and local authorities, each with two or three invented siblings", async () => {
    const academies = await db.prisma.academy.findMany({ include: { trust: true, localAuthority: true }, orderBy: { name: "asc" } });
    const seeds = new Set(DEMO_SEED_ACADEMIES.map((a) => a.urn));
    expect(academies.filter((a) => seeds.has(a.urn)).map((a) => [a.name, a.phase, a.localAuthority.code, a.trust.name])).toEqual([
      ["ATT Thurrock Academy (demo)", "SECONDARY", 883, "Academies Transformation Trust"],
      ["St James CE Primary School", "PRIMARY", 931, "Vale Academy Trust"],
      ["Stanborough School", "SECONDARY", 919, "Stanborough School Trust (demo: invented multi-academy trust)"],
      ["Staverton CE Primary School", "PRIMARY", 941, "Peterborough Diocese Education Trust"],
      ["Woolwich Polytechnic School for Boys", "SECONDARY", 203, "Woolwich Polytechnic School for Boys Trust (demo: invented multi-academy trust)"],
    ]);
    const perTrust = new Map<string, number>();
    for (const a of academies) perTrust.set(a.trustId, (perTrust.get(a.trustId) ?? 0) + 1);
    for (const n of perTrust.values()) expect(n).toBeGreaterThanOrEqual(3);
    for (const n of perTrust.values()) expect(n).toBeLessThanOrEqual(5);
    // Siblings are in their seed academy's local authority, with their own policy plugin, and no seed academy's name words.
    for (const s of academies.filter((a) => !seeds.has(a.urn))) {
      expect(s.policyPlugin).toMatch(/^academy-demo-/);
      expect(s.name).not.toMatch(/Woolwich|Polytechnic|Staverton|St James|Stanborough|ATT|Thurrock|Vale|Peterborough/);
      expect(academies.some((a) => seeds.has(a.urn) && a.trustId === s.trustId && a.localAuthorityId === s.localAuthorityId)).toBe(true);
    }
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
    const academies = await db.prisma.academy.findMany({ select: { id: true } });
    const registers = await db.prisma.register.findMany({ select: { academyId: true, date: true, session: true } });
    const expectedRegisters = academies.flatMap((a) => days.flatMap((d) => [`${a.id} ${d} AM`, `${a.id} ${d} PM`]));
    expect(registers.map((r) => `${r.academyId} ${isoDateOf(r.date)} ${r.session}`).sort()).toEqual(expectedRegisters.sort());
    // Every form's part of every register was taken, by its tutor.
    const untaken = await db.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM register r JOIN form f ON f.academy_id = r.academy_id
      WHERE NOT EXISTS (SELECT 1 FROM register_submission s JOIN form_tutor t ON t.form_id = s.form_id AND t.user_id = s.taken_by_id
                        WHERE s.register_id = r.id AND s.form_id = f.id)`;
    expect(untaken[0]!.n).toBe(0);
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

  it("records lateness by each academy's own register times, with minutes late and the arrival time", async () => {
    const academies = await db.prisma.academy.findMany({ select: { id: true, urn: true } });
    const times = new Map(academies.map((a) => [a.id, DEMO_ACADEMIES.find((d) => d.urn === a.urn)!]));
    const lates = await db.prisma.mark.findMany({ where: { code: { in: ["L", "U"] } } });
    expect(new Set(lates.map((m) => m.code))).toEqual(new Set(["L", "U"]));
    for (const m of lates) {
      const academy = times.get(m.academyId)!;
      const arrival = londonClock.format(m.arrivedAt!);
      // Minutes late count from the start of registration; L while the register
      // is open, U after it closed, by the academy's policy (seeds 000–004).
      expect(m.minutesLate).toBe(minutesOf(arrival) - minutesOf(academy.morningRegistration));
      if (m.code === "L") {
        expect(arrival > academy.morningLateAfter && arrival <= academy.morningRegisterCloses, `${academy.name} L at ${arrival}`).toBe(true);
      } else {
        expect(arrival > academy.morningRegisterCloses, `${academy.name} U at ${arrival}`).toBe(true);
      }
    }
  });

  it("is refused any UPDATE or DELETE of a mark by the database (append-only)", async () => {
    const before = await db.prisma.mark.count();
    await expect(db.prisma.$executeRawUnsafe(`UPDATE mark SET code = 'O' WHERE code = 'N'`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`UPDATE mark SET amendment_reason = 'tidy up' WHERE version = 2`)).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRawUnsafe(`DELETE FROM mark WHERE version = 2`)).rejects.toThrow(/append-only/);
    expect(await db.prisma.mark.count()).toBe(before);
  });

  it("writes the same rows into another fresh database", async () => {
    const other = await openScratchDatabase("pglite");
    try {
      await seedDemo(other.prisma, SMALL);
      expect(await digestOf(other)).toBe(await digestOf(db));
    } finally {
      await other.close();
    }
  });
});

describe("the full demo, built in memory", () => {
  const rows = buildDemo();
  it("is a few hundred pupils a seed academy and 20 to 35 a sibling, with persistent absentees", () => {
    const perAcademy = new Map<string, number>();
    for (const p of rows.pupils) perAcademy.set(p.academyId, (perAcademy.get(p.academyId) ?? 0) + 1);
    // Seed academies a few hundred; their invented siblings 20 to 35 (one form a year of four or five, kept small so that every test server loads the demo quickly).
    const seeds = new Set(DEMO_SEED_ACADEMIES.map((a) => a.urn));
    for (const a of rows.academies) {
      const n = perAcademy.get(a.id!)!;
      if (seeds.has(a.urn)) expect(n, a.name).toBeGreaterThanOrEqual(150);
      else expect(n >= 20 && n <= 35, `${a.name} ${n}`).toBe(true);
    }
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
    // Every academy has its persistent absentees and one or two severely absent pupils.
    const academyOf = new Map(rows.pupils.map((p) => [p.id!, p.academyId]));
    for (const academy of rows.academies) {
      const own = [...absence].filter(([pupilId]) => academyOf.get(pupilId) === academy.id).map(([, a]) => a.absent / a.possible);
      expect(own.filter((r) => r >= 0.1).length / own.length, academy.name).toBeGreaterThan(0.05);
      expect(own.filter((r) => r >= 0.5).length, academy.name).toBeGreaterThanOrEqual(1);
      expect(own.filter((r) => r >= 0.5).length, academy.name).toBeLessThanOrEqual(3);
    }
  });

  it("uses every kind of code: present, late, approved activities, authorised, unauthorised and not possible", () => {
    const codes = new Set(rows.marks.map((m) => m.code));
    for (const code of ["/", "\\", "L", "U", "B", "V", "P", "W", "K", "I", "M", "C", "E", "R", "T", "N", "O", "G", "D", "Y2"]) {
      expect(codes.has(code), code).toBe(true);
    }
  });

  it("amends 20 marks a seed academy (as many N marks as a small sibling has, up to 20), each keeping its original", () => {
    const originals = new Set(rows.marks.filter((m) => m.version === 1).map((m) => `${m.registerId} ${m.pupilId}`));
    const seeds = new Set(DEMO_SEED_ACADEMIES.map((a) => a.urn));
    for (const academy of rows.academies) {
      const amendments = rows.marks.filter((m) => m.academyId === academy.id && m.version === 2);
      const unexplained = rows.marks.filter((m) => m.academyId === academy.id && m.version === 1 && m.code === "N").length;
      expect(amendments, academy.name).toHaveLength(seeds.has(academy.urn) ? AMENDMENTS_PER_ACADEMY : Math.min(AMENDMENTS_PER_ACADEMY, unexplained));
      expect(amendments.length, academy.name).toBeGreaterThan(0);
      for (const a of amendments) expect(originals.has(`${a.registerId} ${a.pupilId}`)).toBe(true);
    }
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
