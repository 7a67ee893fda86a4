// Registers through the HTTP API: taken in one transaction, decided from
// arrival times by the academy's policy, refused whole on bad input, amended
// lawfully with the original kept, and safe against a stale second writer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const TAKE = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) {
  recorded arrivals { pupilId code minutesLate reason }
  register { date session formsTaken marks(first: 100) { totalCount edges { node { id code category version minutesLate pupil { id } } } } } } }`;
const AMEND = `mutation ($input: AmendMarkInput!) { amendMark(input: $input) {
  id code version amendmentReason recordedBy isCurrent
  history { id code version amendmentReason recordedBy recordedAt isCurrent } } }`;

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

type Take = { takeRegister: { recorded: number; arrivals: { pupilId: string; code: string; minutesLate: number; reason: string }[]; register: { formsTaken: string[]; marks: { totalCount: number; edges: { node: { id: string; code: string; category: string; version: number; minutesLate: number | null; pupil: { id: string } } }[] } } } };
type Amend = { amendMark: { id: string; code: string; version: number; amendmentReason: string; recordedBy: string; isCurrent: boolean; history: { id: string; code: string; version: number; amendmentReason: string | null; recordedBy: string; isCurrent: boolean }[] } };

describe.each(availableBackends())("registers on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let urn: number;
  let form: { id: string; pupils: { id: string }[] };
  let academyId: string;
  const academy = () => academyId;
  // A Monday after the demo's half term: no register yet.
  const DATE = "2025-11-03";

  beforeAll(async () => {
    t = await startTestServer(kind);
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    urn = staverton.urn;
    academyId = staverton.id;
    form = await t.db.prisma.form.findFirstOrThrow({
      where: { academyId: staverton.id, name: "Year 3" },
      include: { pupils: { select: { id: true }, orderBy: { upn: "asc" } } },
    });
  });
  afterAll(() => t?.close());

  const counts = async () => ({ marks: await t.db.prisma.mark.count(), registers: await t.db.prisma.register.count() });

  it("refuses a whole register with a code not valid on its date, and changes nothing", async () => {
    const before = await counts();
    const res = await t.graphql(TAKE, {
      input: {
        academyUrn: urn, date: DATE, session: "AM",
        // H (agreed holiday) was withdrawn on 19 August 2024 (DESIGN.md §8).
        marks: [{ pupilId: gid("Pupil", form.pupils[0]!.id), code: "/" }, { pupilId: gid("Pupil", form.pupils[1]!.id), code: "H" }],
      },
    }, officer.headers);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    const problems = res.errors![0]!.extensions!.problems as { field: string; message: string }[];
    expect(problems).toEqual([{ field: "marks[1].code", message: '"H" is not an attendance code in force on 2025-11-03.' }]);
    expect(await counts()).toEqual(before);
  });

  it("validates a register before 19 August 2024 against the older code set (seed 001)", async () => {
    // A pupil on roll since 2023 (the demo starts in 2025, so the test adds the enrolment).
    const pupil = form.pupils[6]!;
    await t.db.prisma.enrolment.create({
      data: { pupilId: pupil.id, academyId: academy(), onRollFrom: new Date("2023-09-06T00:00:00Z"), onRollTo: new Date("2024-07-19T00:00:00Z"), deletionGround: "REGISTERED_ELSEWHERE" },
    });
    // …and the academy's Summer 2 half term of 2023/24: a register is only for
    // a session the academy meets (SI 2024/208, reg. 10(1); issue 14).
    await t.db.prisma.schoolTerm.create({
      data: { academyId: academy(), trustId: (await t.db.prisma.academy.findUniqueOrThrow({ where: { id: academy() } })).trustId, academicYear: "2023/24", name: "Summer 2", startDate: new Date("2024-06-03T00:00:00Z"), endDate: new Date("2024-07-19T00:00:00Z") },
    });
    const take = (code: string) =>
      t.graphql<Take>(TAKE, { input: { academyUrn: urn, date: "2024-07-01", session: "AM", marks: [{ pupilId: gid("Pupil", pupil.id), code }] } }, officer.headers);
    // K (LA-arranged provision) only exists from 19 August 2024.
    const refused = await take("K");
    expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
    // H (holiday agreed in exceptional circumstances) was valid then.
    const accepted = await take("H");
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.takeRegister.register.marks.edges[0]!.node).toMatchObject({ code: "H", category: "AUTHORISED_ABSENCE" });
  });

  it("takes a form's register in one mutation, deciding late marks from Staverton's register times", async () => {
    const [a, b, c, d, ...rest] = form.pupils;
    const res = await t.graphql<Take>(TAKE, {
      input: {
        academyUrn: urn, date: DATE, session: "AM", formId: gid("Form", form.id),
        marks: [
          // Seed 004 Appendix A1: register 8.45–8.50; late after 8.50; unauthorised after 9.20.
          { pupilId: gid("Pupil", a!.id), arrivedAt: "08:48" },
          { pupilId: gid("Pupil", b!.id), arrivedAt: "09:05" },
          { pupilId: gid("Pupil", c!.id), arrivedAt: "09:25" },
          { pupilId: gid("Pupil", d!.id), code: "I" },
          ...rest.map((p) => ({ pupilId: gid("Pupil", p.id), code: "/" })),
        ],
      },
    }, officer.headers);
    expect(res.errors).toBeUndefined();
    const taken = res.data!.takeRegister;
    expect(taken.recorded).toBe(form.pupils.length);
    expect(taken.arrivals.map((x) => [x.code, x.minutesLate])).toEqual([["/", 0], ["L", 20], ["U", 40]]);
    // Appendix A1 says 9.20, 35 minutes after 8.45: the academy's published close
    // applies (SI 2024/208, reg. 10(2) leaves it to the school; guidance's 30
    // minutes is a compliance finding, not a change).
    expect(taken.arrivals[2]!.reason).toMatch(/after the register closed at 09:20/);
    expect(taken.register.formsTaken).toEqual(["Year 3"]);
    expect(taken.register.marks.totalCount).toBe(form.pupils.length);
    const byPupil = new Map(taken.register.marks.edges.map((e) => [e.node.pupil.id, e.node]));
    expect(byPupil.get(gid("Pupil", c!.id))).toMatchObject({ code: "U", category: "UNAUTHORISED_ABSENCE", minutesLate: 40, version: 1 });
    expect(byPupil.get(gid("Pupil", d!.id))).toMatchObject({ code: "I", category: "AUTHORISED_ABSENCE" });
  });

  it("refuses to mark a pupil twice in a register: CONFLICT, and nothing changes", async () => {
    const before = await counts();
    const res = await t.graphql(TAKE, {
      input: { academyUrn: urn, date: DATE, session: "AM", marks: [{ pupilId: gid("Pupil", form.pupils[0]!.id), code: "O" }] },
    }, officer.headers);
    expect(codes(res)).toEqual(["CONFLICT"]);
    expect(await counts()).toEqual(before);
  });

  it("amends a mark keeping the original, its reason, author and time; a stale second writer gets CONFLICT", async () => {
    const pupil = form.pupils[3]!;
    const original = await t.db.prisma.mark.findFirstOrThrow({ where: { pupilId: pupil.id, date: new Date(`${DATE}T00:00:00Z`), session: "AM" } });
    const res = await t.graphql<Amend>(AMEND, {
      input: { markId: gid("Mark", original.id), code: "M", reason: "Appointment card seen by the office" },
    }, officer.headers);
    expect(res.errors).toBeUndefined();
    const amended = res.data!.amendMark;
    expect(amended).toMatchObject({ code: "M", version: 2, amendmentReason: "Appointment card seen by the office", isCurrent: true });
    expect(amended.recordedBy).toBeTruthy();
    expect(amended.history.map((h) => [h.code, h.version, h.amendmentReason, h.isCurrent])).toEqual([
      ["I", 1, null, false],
      ["M", 2, "Appointment card seen by the office", true],
    ]);

    // A second writer still looking at version 1.
    const before = await counts();
    const stale = await t.graphql(AMEND, { input: { markId: gid("Mark", original.id), code: "O", reason: "No reason given" } }, officer.headers);
    expect(codes(stale)).toEqual(["CONFLICT"]);
    expect(stale.errors![0]!.extensions!.currentMarkId).toBe(amended.id);
    expect(await counts()).toEqual(before);

    // Two writers at once on the current version: exactly one wins.
    const race = await Promise.all(
      ["R", "C"].map((code) => t.graphql<Amend>(AMEND, { input: { markId: amended.id, code, reason: `Race ${code}` } }, officer.headers)),
    );
    expect(race.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(race.flatMap(codes)).toEqual(["CONFLICT"]);
    expect(await t.db.prisma.mark.count({ where: { pupilId: pupil.id, registerId: original.registerId } })).toBe(3);
  });

  it("refuses an amendment without a reason or with an invalid code", async () => {
    const mark = await t.db.prisma.mark.findFirstOrThrow({ where: { pupilId: form.pupils[5]!.id, current: { isNot: null }, date: new Date(`${DATE}T00:00:00Z`) } });
    const res = await t.graphql(AMEND, { input: { markId: gid("Mark", mark.id), code: "Q9", reason: "  " } }, officer.headers);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect((res.errors![0]!.extensions!.problems as { field: string }[]).map((p) => p.field)).toEqual(["code", "reason"]);
  });

  it("lets a teacher take their own form's register, not another form's, and never amend", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
    const own = await t.db.prisma.form.findFirstOrThrow({ where: { tutors: { some: { userId: teacher.userId } } }, include: { pupils: true } });
    const other = await t.db.prisma.pupil.findFirstOrThrow({ where: { academy: { urn }, formId: { not: own.id } } });
    const before = await counts();
    const refused = await t.graphql(TAKE, {
      input: { academyUrn: urn, date: DATE, session: "PM", marks: [{ pupilId: gid("Pupil", own.pupils[0]!.id), code: "\\" }, { pupilId: gid("Pupil", other.id), code: "\\" }] },
    }, teacher.headers);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(await counts()).toEqual(before);
    const ok = await t.graphql<Take>(TAKE, {
      input: { academyUrn: urn, date: DATE, session: "PM", formId: gid("Form", own.id), marks: own.pupils.map((p) => ({ pupilId: gid("Pupil", p.id), code: "\\" })) },
    }, teacher.headers);
    expect(ok.errors).toBeUndefined();
    const markId = ok.data!.takeRegister.register.marks.edges[0]!.node.id;
    const amend = await t.graphql(AMEND, { input: { markId, code: "I", reason: "Went home ill" } }, teacher.headers);
    expect(codes(amend)).toEqual(["FORBIDDEN"]);
  });

  it("takes a whole academy's register of hundreds of marks in one transaction, in a bounded number of statements", async () => {
    const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Stanborough" });
    const academy = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Stanborough" } }, include: { pupils: { select: { id: true } } } });
    t.resetStatements();
    const res = await t.graphql<Take>(TAKE.replace("marks(first: 100)", "marks(first: 1)"), {
      input: { academyUrn: academy.urn, date: DATE, session: "AM", marks: academy.pupils.map((p, i) => ({ pupilId: gid("Pupil", p.id), code: i % 10 === 0 ? "I" : "/" })) },
    }, head.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.takeRegister.recorded).toBe(academy.pupils.length);
    expect(academy.pupils.length).toBeGreaterThan(300);
    // However many pupils: authentication, lookups, one INSERT for all the
    // marks, the decided-leave amendment, and the escalation evaluation of
    // every pupil in the register (a fixed handful of statements, batched;
    // since the national absence ladder, issue 16, every academy has absence
    // steps to evaluate, a few statements more, still not per pupil).
    expect(t.statements.length).toBeLessThan(48);
    expect(await t.db.prisma.currentMark.count({ where: { academyId: academy.id, date: new Date(`${DATE}T00:00:00Z`) } })).toBe(academy.pupils.length);
  });

  it("counts a mark list's totalCount from its parents' own marks: every pupil of the academy in one statement, a register as its reader may see it", async () => {
    const from = "2025-09-01";
    const to = "2025-10-24";
    type Forms = { academy: { forms: { edges: { node: { pupils: { edges: { node: { id: string; marks: { totalCount: number; edges: unknown[] } } }[] } } }[] } } };
    t.resetStatements();
    const res = await t.graphql<Forms>(`query ($urn: Int!) { academy(urn: $urn) { forms(first: 5) { edges { node { pupils(first: 10) { edges { node { id
      marks(from: "${from}", to: "${to}", first: 100) { totalCount edges { node { id } } } } } } } } } } }`, { urn }, officer.headers);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const pupils = res.data!.academy.forms.edges.flatMap((f) => f.node.pupils.edges.map((e) => e.node));
    expect(pupils.length).toBeGreaterThan(20);
    // One count for every pupil of the page, not one per pupil, nor an aggregate of every mark joined back.
    const counting = t.statements.filter((sql) => /count\(\*\)/i.test(sql) && /current_mark/.test(sql));
    expect(counting).toHaveLength(1);
    expect(counting[0]).toMatch(/pupil_id = ANY\(uuid_list\(/);
    for (const p of pupils) {
      const pupilId = Buffer.from(p.id, "base64").toString().split(":")[1]!;
      const stored = await t.db.prisma.currentMark.count({ where: { pupilId, date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } } });
      expect(p.marks.totalCount).toBe(stored);
      expect(p.marks.edges).toHaveLength(stored);
    }
    expect(pupils.some((p) => p.marks.totalCount > 0)).toBe(true);

    // A register: the officer counts every current mark, a tutor only their own form's pupils.
    const register = await t.db.prisma.register.findFirstOrThrow({ where: { academyId: academy(), date: new Date("2025-09-15T00:00:00Z"), session: "AM" } });
    const tutor = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
    const tutorForm = await t.db.prisma.form.findFirstOrThrow({ where: { tutors: { some: { userId: tutor.userId, revokedAt: null } } } });
    const count = async (as: Credentials) => (await t.graphql<{ register: { marks: { totalCount: number; edges: unknown[] } } }>(
      `{ register(academyUrn: ${urn}, date: "2025-09-15", session: AM) { marks(first: 500) { totalCount edges { node { id } } } } }`, {}, as.headers)).data!.register.marks;
    const all = await t.db.prisma.currentMark.count({ where: { registerId: register.id } });
    expect(await count(officer)).toMatchObject({ totalCount: all });
    const own = await t.db.prisma.currentMark.count({ where: { registerId: register.id, pupil: { formId: tutorForm.id } } });
    const seen = await count(tutor);
    expect(seen.totalCount).toBe(own);
    expect(seen.edges).toHaveLength(own);
    expect(own).toBeGreaterThan(0);
    expect(own).toBeLessThan(all);
  });
});
