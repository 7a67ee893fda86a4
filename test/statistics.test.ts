// Statistics through the HTTP API, held to the reference definitions in
// packages/core (which the core tests hold to hand-computed cases): on a
// small hand-computed register, and on the whole demo on both back ends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addDays,
  groupFigures,
  isoDateOf,
  pupilFigures,
  weekdayOf,
  type AttendanceFigures,
  type GroupFigures,
  type SessionMark,
} from "@attendance/core";
import { availableBackends } from "@attendance/db";
import { DEMO_CLOSURES, DEMO_HALF_TERMS } from "@attendance/db/demo";
import { periodParts, statisticsSql, type StatisticsQuery } from "@attendance/schema";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const FIGURES = `pupils possibleSessions present approvedActivity authorisedAbsence unauthorisedAbsence lateBeforeClose lateAfterClose persistentlyAbsent severelyAbsent`;
const AUTUMN_1 = { from: "2025-09-01", to: "2025-10-24" };
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");

type Figures = GroupFigures & { attendanceRate: number | null };

/** Each back end's answer to the same trust-wide question, compared at the end. */
const answers = new Map<string, unknown>();

function only(f: Figures | GroupFigures): GroupFigures {
  const { pupils, possibleSessions, present, approvedActivity, authorisedAbsence, unauthorisedAbsence, lateBeforeClose, lateAfterClose, persistentlyAbsent, severelyAbsent } = f;
  return { pupils, possibleSessions, present, approvedActivity, authorisedAbsence, unauthorisedAbsence, lateBeforeClose, lateAfterClose, persistentlyAbsent, severelyAbsent };
}

describe.each(availableBackends())("statistics on %s", (kind) => {
  let t: TestServer;
  let lead: Credentials;
  let academy: { id: string; urn: number };

  beforeAll(async () => {
    t = await startTestServer(kind);
    lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Stanborough" });
    academy = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Stanborough" } } });
  });
  afterAll(() => t?.close());

  /** The reference: the core definitions over every current mark, grouped in JavaScript. */
  async function reference(groupOf: (pupil: { id: string; formId: string | null; yearGroup: number }) => string, from: string, to: string) {
    const pupils = await t.db.prisma.pupil.findMany({ where: { academyId: academy.id } });
    const marks = await t.db.prisma.currentMark.findMany({
      where: { academyId: academy.id, date: { gte: new Date(`${from}T00:00:00Z`), lte: new Date(`${to}T00:00:00Z`) } },
    });
    const byPupil = new Map<string, SessionMark[]>();
    for (const m of marks) byPupil.set(m.pupilId, [...(byPupil.get(m.pupilId) ?? []), { date: isoDateOf(m.date), session: m.session, code: m.code, category: m.category }]);
    const groups = new Map<string, AttendanceFigures[]>();
    for (const p of pupils) {
      const key = groupOf(p);
      groups.set(key, [...(groups.get(key) ?? []), pupilFigures(byPupil.get(p.id) ?? [])]);
    }
    return new Map([...groups].map(([k, v]) => [k, groupFigures(v)]));
  }

  it("agrees with the reference definitions for the academy, every form and every year group over the demo half term", async () => {
    const res = await t.graphql<{
      academy: {
        attendance: { total: Figures };
        forms: { edges: { node: { id: string; attendance: { total: Figures } } }[] };
        yearGroups: { yearGroup: number; attendance: { total: Figures } }[];
      };
    }>(
      `query ($urn: Int!, $from: Date!, $to: Date!) { academy(urn: $urn) {
        attendance(from: $from, to: $to) { total { ${FIGURES} attendanceRate } }
        forms(first: 100) { edges { node { id attendance(from: $from, to: $to) { total { ${FIGURES} attendanceRate } } } } }
        yearGroups { yearGroup attendance(from: $from, to: $to) { total { ${FIGURES} } } } } }`,
      { urn: academy.urn, ...AUTUMN_1 },
      lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const whole = (await reference(() => "all", AUTUMN_1.from, AUTUMN_1.to)).get("all")!;
    expect(only(res.data!.academy.attendance.total)).toEqual(whole);
    expect(res.data!.academy.attendance.total.attendanceRate).toBeCloseTo((whole.present + whole.approvedActivity) / whole.possibleSessions, 12);
    expect(whole.persistentlyAbsent).toBeGreaterThan(0);

    const forms = await reference((p) => gid("Form", p.formId!), AUTUMN_1.from, AUTUMN_1.to);
    expect(res.data!.academy.forms.edges.length).toBe(forms.size);
    for (const { node } of res.data!.academy.forms.edges) expect(only(node.attendance.total)).toEqual(forms.get(node.id));

    const years = await reference((p) => String(p.yearGroup), AUTUMN_1.from, AUTUMN_1.to);
    expect(res.data!.academy.yearGroups.map((y) => y.yearGroup)).toEqual([7, 8, 9, 10, 11, 12, 13]);
    for (const y of res.data!.academy.yearGroups) expect(only(y.attendance.total)).toEqual(years.get(String(y.yearGroup)));
    answers.set(kind, res.data);
  });

  it("breaks the figures down by day of the week and by week, adding up to the total", async () => {
    const res = await t.graphql<{ academy: { attendance: { total: Figures; byDayOfWeek: { key: string; figures: Figures }[]; byWeek: { key: string; figures: Figures }[] } } }>(
      `query ($urn: Int!, $from: Date!, $to: Date!) { academy(urn: $urn) { attendance(from: $from, to: $to) {
        total { possibleSessions present } byDayOfWeek { key figures { possibleSessions present } } byWeek { key figures { possibleSessions present } } } } }`,
      { urn: academy.urn, ...AUTUMN_1 },
      lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const { total, byDayOfWeek, byWeek } = res.data!.academy.attendance;
    expect(byDayOfWeek.map((b) => b.key)).toEqual(["1", "2", "3", "4", "5"]);
    expect(byDayOfWeek.reduce((s, b) => s + b.figures.possibleSessions, 0)).toBe(total.possibleSessions);
    expect(byWeek[0]!.key).toBe("2025-09-01");
    expect(byWeek.map((b) => b.key)).toEqual([...byWeek.map((b) => b.key)].sort());
    for (const b of byWeek) expect(weekdayOf(b.key)).toBe(1);
    expect(byWeek.reduce((s, b) => s + b.figures.present, 0)).toBe(total.present);
  });

  it("counts a hand-made register exactly (DESIGN.md §8 definitions)", async () => {
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Stanborough" });
    const form = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: academy.id, name: "8B" }, include: { pupils: { orderBy: { upn: "asc" }, take: 4 } } });
    const [a, b, c, d] = form.pupils;
    const day = "2025-11-10";
    const plan: Record<"AM" | "PM", [string, string][]> = {
      AM: [[a!.id, "/"], [b!.id, "I"], [c!.id, "D"], [d!.id, "/"]],
      PM: [[a!.id, "\\"], [b!.id, "O"], [c!.id, "V"], [d!.id, "O"]],
    };
    const next: Record<"AM" | "PM", [string, string][]> = {
      AM: [[a!.id, "/"], [b!.id, "I"], [c!.id, "D"]],
      PM: [[a!.id, "\\"], [b!.id, "U"], [c!.id, "L"]],
    };
    for (const [date, sessions] of [[day, plan], [addDays(day, 1), next]] as const) {
      for (const session of ["AM", "PM"] as const) {
        const res = await t.graphql(`mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`, {
          input: { academyUrn: academy.urn, date, session, marks: sessions[session].map(([id, code]) => ({ pupilId: gid("Pupil", id), code })) },
        }, officer.headers);
        expect(res.errors).toBeUndefined();
      }
    }
    const res = await t.graphql<{ academy: { forms: { edges: { node: { name: string; attendance: { total: Figures } } }[] } } }>(
      `query ($urn: Int!) { academy(urn: $urn) { forms(first: 50) { edges { node { name attendance(from: "2025-11-10", to: "2025-11-11") { total { ${FIGURES} attendanceRate } } } } } } }`,
      { urn: academy.urn },
      lead.headers,
    );
    const total = res.data!.academy.forms.edges.find((e) => e.node.name === "8B")!.node.attendance.total;
    // a: 4 present. b: I, O, I, U — all absent. c: D, V, D, L — 2 possible (V attends, L present).
    // d: /, O — 2 possible, 1 absent (50%: persistent and severe).
    expect(only(total)).toEqual({
      pupils: 4, possibleSessions: 12, present: 6, approvedActivity: 1, authorisedAbsence: 2, unauthorisedAbsence: 3,
      lateBeforeClose: 1, lateAfterClose: 1, persistentlyAbsent: 2, severelyAbsent: 2,
    });
    expect(total.attendanceRate).toBeCloseTo(7 / 12, 12);
  });

  it("answers a trust-wide query with pupils and their summaries in the same number of statements for 10 pupils as for 200", async () => {
    const count = async (n: number) => {
      t.resetStatements();
      const res = await t.graphql(`{ trusts(first: 5) { edges { node { attendance(from: "2025-09-01", to: "2025-10-24") { total { pupils persistentlyAbsent } }
        academies(first: 10) { edges { node { name attendance(from: "2025-09-01", to: "2025-10-24") { total { attendanceRate } byWeek { key } }
          pupils(first: ${n}) { edges { node { upn attendance(from: "2025-09-01", to: "2025-10-24") { total { attendanceRate persistentlyAbsent } } } } } } } } } } } }`, {}, lead.headers);
      expect(res.errors).toBeUndefined();
      return t.statements.length;
    };
    const small = await count(10);
    expect(await count(200)).toBe(small);
  });

  it("shows which forms have not yet taken a session's register", async () => {
    const res = await t.graphql<{ academy: { registerCompletion: { formsTotal: number; formsTaken: number; complete: boolean; forms: { form: { name: string }; taken: boolean }[] } }; trusts: { edges: { node: { registerCompletion: { formsTotal: number }[] } }[] } }>(
      `query ($urn: Int!) { academy(urn: $urn) { registerCompletion(date: "2025-09-15", session: AM) { formsTotal formsTaken complete forms { form { name } taken } } }
        trusts(first: 1) { edges { node { registerCompletion(date: "2025-11-10", session: AM) { formsTotal formsTaken complete } } } } }`,
      { urn: academy.urn },
      lead.headers,
    );
    expect(res.errors).toBeUndefined();
    // Every form took its register on a demo day.
    expect(res.data!.academy.registerCompletion).toMatchObject({ formsTotal: 14, formsTaken: 14, complete: true });
    // On 10 November the officer's marks recorded no form's submission: one
    // entry per academy of the trust, Stanborough's 14 forms and its invented
    // demo siblings' (issue 15), counted in SQL.
    const perAcademy = await t.db.prisma.$queryRaw<{ forms: number }[]>`
      SELECT count(*)::int AS forms FROM form f JOIN academy a ON a.id = f.academy_id
      WHERE a.trust_id = (SELECT trust_id FROM academy WHERE id = ${academy.id}::uuid) GROUP BY a.id`;
    expect(perAcademy.length).toBeGreaterThan(1);
    const completion = res.data!.trusts.edges[0]!.node.registerCompletion as { formsTotal: number; formsTaken: number; complete: boolean }[];
    expect(completion.map((c) => c.formsTotal).sort((a, b) => a - b)).toEqual(perAcademy.map((r) => r.forms).sort((a, b) => a - b));
    expect(completion.map((c) => c.formsTotal)).toContain(14);
    expect(completion.every((c) => c.formsTaken === 0 && !c.complete)).toBe(true);
  });

  it("says how many more absences would make a pupil persistently absent this school year", async () => {
    const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: academy.id }, orderBy: { upn: "asc" } });
    const res = await t.graphql<{ pupil: { absencesUntilPersistentAbsence: number | null; attendance: { total: Figures } } }>(
      `query ($upn: String!) { pupil(upn: $upn) { absencesUntilPersistentAbsence(asOf: "2025-10-24")
         attendance(from: "2025-09-01", to: "2025-10-24") { total { possibleSessions authorisedAbsence unauthorisedAbsence } } } }`,
      { upn: pupil.upn },
      lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const f = res.data!.pupil.attendance.total;
    // Two sessions for each weekday in term after 24 October 2025, less closure days.
    let remaining = 0;
    for (const term of DEMO_HALF_TERMS) {
      for (let d = term.start; d <= term.end; d = addDays(d, 1)) {
        const closed = DEMO_CLOSURES.some((c) => c.start <= d && d <= c.end);
        if (d > "2025-10-24" && weekdayOf(d) <= 5 && !closed) remaining += 2;
      }
    }
    expect(remaining).toBeGreaterThan(250);
    const expected = Math.max(0, Math.ceil((f.possibleSessions + remaining) / 10) - (f.authorisedAbsence + f.unauthorisedAbsence));
    expect(res.data!.pupil.absencesUntilPersistentAbsence).toBe(expected);
  });

  it("refuses a safeguarding cohort filter to a teacher, and allows it to the lead", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Stanborough" });
    const query = `query ($urn: Int!) { academy(urn: $urn) { attendance(from: "2025-09-01", to: "2025-10-24", cohort: { lookedAfter: true }) { total { pupils } } } }`;
    const refused = await t.graphql(query, { urn: academy.urn }, teacher.headers);
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    const allowed = await t.graphql<{ academy: { attendance: { total: { pupils: number } } } }>(query, { urn: academy.urn }, lead.headers);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.academy.attendance.total.pupils).toBe(await t.db.prisma.pupil.count({ where: { academyId: academy.id, lookedAfter: true } }));
  });
  it("answers the same from the rollups as from every mark, for whole and part weeks, days of the week, cohorts, and after an amendment", async () => {
    const { prisma } = t.db;
    const academies = (await prisma.academy.findMany({ select: { id: true } })).map((a) => a.id);
    const trusts = (await prisma.trust.findMany({ select: { id: true } })).map((x) => x.id);
    const pupilIds = (await prisma.pupil.findMany({ select: { id: true } })).map((p) => p.id);
    const forms = await prisma.form.findMany({ select: { id: true, academyId: true, yearGroup: true } });
    const formIds = forms.map((f) => f.id);
    const yearGroupIds = [...new Set(forms.map((f) => `${f.academyId}:${f.yearGroup}`))];
    const both = async (q: Omit<StatisticsQuery, "scope">) => {
      const query = { ...q, scope: { academyIds: academies, formIds: [] } };
      const run = async (rollup: boolean) => {
        const { sql, params } = statisticsSql(query, { rollup });
        return prisma.$queryRawUnsafe<unknown[]>(sql, ...params);
      };
      const [naive, rolled] = await Promise.all([run(false), run(true)]);
      expect(rolled, JSON.stringify(q)).toEqual(naive);
      expect(naive.length).toBeGreaterThan(0);
    };
    const questions: Omit<StatisticsQuery, "scope">[] = [
      { kind: "TRUST", ids: trusts, from: "2025-09-01", to: "2025-10-24", cohort: {}, by: "TOTAL" }, // whole weeks and a part week
      { kind: "ACADEMY", ids: academies, from: "2025-09-03", to: "2025-10-19", cohort: {}, by: "TOTAL" }, // from a Wednesday to a Sunday
      { kind: "ACADEMY", ids: academies, from: "2025-09-10", to: "2025-10-15", cohort: { freeSchoolMeals: true, yearGroups: [3, 7, 8] }, by: "TOTAL" },
      { kind: "TRUST", ids: trusts, from: "2025-09-01", to: "2025-10-24", cohort: { gender: "FEMALE" }, by: "WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-15", to: "2025-09-17", cohort: {}, by: "TOTAL" }, // no whole week
      // Part weeks added day by day (Thursday–Friday, Monday–Tuesday) and taken away from their week (the rest).
      { kind: "TRUST", ids: trusts, from: "2025-09-04", to: "2025-10-14", cohort: {}, by: "TOTAL" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-02", to: "2025-10-16", cohort: { senProvision: ["NONE", "SEN_SUPPORT"] }, by: "WEEK" },
      { kind: "TRUST", ids: trusts, from: "2025-09-09", to: "2025-10-10", cohort: { pupilPremium: true }, by: "WEEK" },
      // Weekly trends of academies and the trust with no cohort: whole weeks from
      // the per-academy rollup (attendance_academy_week), part weeks as before.
      { kind: "TRUST", ids: trusts, from: "2025-09-01", to: "2025-10-24", cohort: {}, by: "WEEK" },
      { kind: "TRUST", ids: trusts, from: "2025-09-03", to: "2025-10-14", cohort: {}, by: "WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-01", to: "2025-10-19", cohort: {}, by: "WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-04", to: "2025-10-22", cohort: {}, by: "WEEK" },
      { kind: "ACADEMY", ids: academies.slice(0, 1), from: "2025-09-15", to: "2025-09-17", cohort: {}, by: "WEEK" },
      // Pupils, forms and year groups read the rollup too.
      { kind: "PUPIL", ids: pupilIds, from: "2025-09-03", to: "2025-10-24", cohort: {}, by: "TOTAL" },
      { kind: "PUPIL", ids: pupilIds, from: "2025-09-01", to: "2025-10-16", cohort: { freeSchoolMeals: true }, by: "WEEK" },
      { kind: "FORM", ids: formIds, from: "2025-09-04", to: "2025-10-24", cohort: {}, by: "TOTAL" },
      { kind: "FORM", ids: formIds, from: "2025-09-01", to: "2025-10-19", cohort: { gender: "MALE" }, by: "WEEK" },
      { kind: "YEAR_GROUP", ids: yearGroupIds, from: "2025-09-02", to: "2025-10-23", cohort: {}, by: "TOTAL" },
      // Days of the week: whole weeks from the weekday running totals
      // (attendance_weekday_span), part weeks from current_mark added or
      // taken away, per pupil and weekday; across the span boundary of
      // 2025-10-06 and within one span on either side of it.
      { kind: "TRUST", ids: trusts, from: "2025-09-03", to: "2025-10-21", cohort: {}, by: "DAY_OF_WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-01", to: "2025-10-24", cohort: { freeSchoolMeals: true }, by: "DAY_OF_WEEK" },
      { kind: "PUPIL", ids: pupilIds, from: "2025-09-08", to: "2025-10-17", cohort: {}, by: "DAY_OF_WEEK" },
      { kind: "TRUST", ids: trusts, from: "2025-09-01", to: "2025-10-24", cohort: {}, by: "DAY_OF_WEEK" },
      { kind: "TRUST", ids: trusts, from: "2025-09-04", to: "2025-10-14", cohort: { gender: "FEMALE" }, by: "DAY_OF_WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-01", to: "2025-10-05", cohort: {}, by: "DAY_OF_WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-10-06", to: "2025-10-24", cohort: {}, by: "DAY_OF_WEEK" },
      { kind: "ACADEMY", ids: academies, from: "2025-09-15", to: "2025-09-17", cohort: {}, by: "DAY_OF_WEEK" }, // no whole week
      { kind: "FORM", ids: formIds, from: "2025-09-02", to: "2025-10-16", cohort: { senProvision: ["NONE", "SEN_SUPPORT"] }, by: "DAY_OF_WEEK" },
      { kind: "YEAR_GROUP", ids: yearGroupIds, from: "2025-09-03", to: "2025-10-19", cohort: { pupilPremium: true }, by: "DAY_OF_WEEK" },
    ];
    // Which way each part week is read (periodParts): the fewer school days.
    expect(periodParts("2025-09-01", "2025-10-24", true)).toEqual({ weeks: { from: "2025-09-01", to: "2025-10-20" }, plus: [], minus: [["2025-10-25", "2025-10-26"]] });
    expect(periodParts("2025-09-04", "2025-10-14", true)).toEqual({ weeks: { from: "2025-09-08", to: "2025-10-06" }, plus: [["2025-09-04", "2025-09-07"], ["2025-10-13", "2025-10-14"]], minus: [] });
    expect(periodParts("2025-09-03", "2025-10-19", true)).toEqual({ weeks: { from: "2025-09-01", to: "2025-10-13" }, plus: [], minus: [["2025-09-01", "2025-09-02"]] });
    expect(periodParts("2025-09-15", "2025-09-17", true)).toEqual({ weeks: null, plus: [["2025-09-15", "2025-09-17"]], minus: [] });
    for (const q of questions) await both(q);
    // An amendment (a new version, the original kept) corrects its week in the rollup.
    const mark = await prisma.currentMark.findFirstOrThrow({ where: { code: "/", date: new Date("2025-09-16T00:00:00Z") }, orderBy: { markId: "asc" } });
    await prisma.mark.create({
      data: {
        registerId: mark.registerId, pupilId: mark.pupilId, academyId: mark.academyId, date: mark.date, session: mark.session,
        version: mark.version + 1, code: "O", category: "UNAUTHORISED_ABSENCE", amendmentReason: "Left the site after registration",
      },
    });
    for (const q of questions) await both(q);
    expect(statisticsSql({ ...questions[0]!, by: "WEEK", cohort: {}, scope: { academyIds: academies, formIds: [] } }).sql).toContain("attendance_academy_week");
    expect(statisticsSql({ ...questions[0]!, by: "DAY_OF_WEEK", scope: { academyIds: academies, formIds: [] } }).sql).toContain("attendance_weekday_span");
    // Dual registration: the pupil also attends another academy of the trust
    // on a Wednesday of a whole week, so the trust sums both academies'
    // sessions before the 10% test (SI 2024/208 reg. 10, table 1), and that
    // week is read per pupil; the academies' own weeks still come from the rollup.
    const other = await prisma.register.findFirstOrThrow({
      where: { academyId: { not: mark.academyId }, academy: { trustId: (await prisma.academy.findUniqueOrThrow({ where: { id: mark.academyId } })).trustId },
               date: new Date("2025-09-17T00:00:00Z"), session: "AM" },
    });
    // At home the session is D (dual registered, attending elsewhere: not possible, SI 2024/208 reg. 10, table 1).
    const home = await prisma.currentMark.findFirstOrThrow({ where: { pupilId: mark.pupilId, academyId: mark.academyId, date: other.date, session: "AM" } });
    await prisma.mark.create({
      data: { registerId: home.registerId, pupilId: home.pupilId, academyId: home.academyId, date: home.date, session: home.session,
              version: home.version + 1, code: "D", category: "NOT_POSSIBLE", amendmentReason: "Attending another academy (dual registration)" },
    });
    await prisma.mark.create({
      data: { registerId: other.id, pupilId: mark.pupilId, academyId: other.academyId, date: other.date, session: other.session,
              version: 1, code: "O", category: "UNAUTHORISED_ABSENCE" },
    });
    const [shared] = await prisma.$queryRawUnsafe<{ n: number }[]>(
      "SELECT sum(shared)::int AS n FROM attendance_academy_week WHERE week_start = '2025-09-15'");
    expect(shared!.n).toBe(2);
    for (const q of questions) await both(q);
    // The rollup as kept by the triggers equals its recomputation from attendance_week.
    const kept = await prisma.$queryRawUnsafe<unknown[]>("SELECT * FROM attendance_academy_week ORDER BY academy_id, week_start");
    await prisma.$executeRawUnsafe("SELECT attendance_academy_week_rebuild(id) FROM academy");
    expect(await prisma.$queryRawUnsafe<unknown[]>("SELECT * FROM attendance_academy_week ORDER BY academy_id, week_start")).toEqual(kept);
    // And the weekday running totals, kept from current_mark by increments, equal their recomputation.
    const keptDays = await prisma.$queryRawUnsafe<unknown[]>("SELECT * FROM attendance_weekday_span ORDER BY academy_id, pupil_id, span_start, weekday");
    await prisma.$executeRawUnsafe("SELECT attendance_weekday_span_rebuild(id) FROM academy");
    expect(await prisma.$queryRawUnsafe<unknown[]>("SELECT * FROM attendance_weekday_span ORDER BY academy_id, pupil_id, span_start, weekday")).toEqual(keptDays);
  });
});

describe("PGlite and PostgreSQL", () => {
  it.runIf(availableBackends().length === 2)("give identical figures for the demo academy, its forms and year groups", () => {
    expect(answers.get("postgresql")).toEqual(answers.get("pglite"));
    expect(answers.get("pglite")).toBeDefined();
  });
});
