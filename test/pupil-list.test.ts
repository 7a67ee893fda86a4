// Working lists of pupils (issue 16, item 1) through the HTTP API on each back
// end: every list equals the same selection made by packages/core's reference
// (pupilFigures over every current mark, then selectPupilList), computed here
// independently of the SQL; a teacher's and an API client's lists hold only
// what they may see; safeguarding and case filters are refused without the
// right to read them; and a list costs the same number of statements whatever
// its page size or the size of the group.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isoDateOf,
  percent,
  pupilFigures,
  selectPupilList,
  type AttendanceFigures,
  type PupilListCandidate,
  type PupilListFigureFilter,
  type PupilListOrder,
  type SessionMark,
} from "@attendance/core";
import { availableBackends } from "@attendance/db";
import { newApiKey, queryPupilList, type PupilListQuery } from "@attendance/schema";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

// Thursday to the Wednesday a fortnight later: part weeks at both ends (read
// from current_mark) around a whole week (read from the weekly rollup).
const PERIOD = { from: "2025-09-04", to: "2025-09-17" };
const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

const ROW = `possibleSessions present approvedActivity authorisedAbsence unauthorisedAbsence lateBeforeClose lateAfterClose
  attendanceRate attendancePercent absences persistentlyAbsent severelyAbsent pupil { id upn displayName form { name } academy { urn } }`;

/** The list query of the README ("Working lists"), run verbatim below. */
const README_QUERY = `query PersistentAbsence($from: Date!, $to: Date!) {
  trusts(first: 1) { edges { node {
    pupilList(from: $from, to: $to, filter: { persistentlyAbsent: true },
              orderBy: { by: ATTENDANCE_RATE, direction: ASC }, first: 50) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        pupil { upn displayName form { name } academy { name } }
        possibleSessions absences unauthorisedAbsence lateAfterClose
        attendanceRate attendancePercent
      } }
    }
  } } }
}`;

interface Row extends AttendanceFigures {
  attendanceRate: number;
  attendancePercent: string;
  absences: number;
  persistentlyAbsent: boolean;
  severelyAbsent: boolean;
  pupil: { id: string; upn: string; displayName: string; form: { name: string } | null; academy: { urn: number } };
}
interface Page {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: Row }[];
}

type Where = "trust" | "academy" | "yearGroup" | "form";

function listQuery(where: Where, row = ROW): string {
  const list = `pupilList(from: $from, to: $to, filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${row} } } }`;
  const head = "query ($from: Date!, $to: Date!, $filter: PupilListFilter, $orderBy: PupilListOrder, $first: Int, $after: String";
  switch (where) {
    case "trust":
      return `${head}) { trusts(first: 1) { edges { node { list: ${list} } } } }`;
    case "academy":
      return `${head}, $urn: Int!) { academy(urn: $urn) { list: ${list} } }`;
    case "yearGroup":
      return `${head}, $urn: Int!) { academy(urn: $urn) { yearGroups { yearGroup list: ${list} } } }`;
    case "form":
      return `${head}, $form: ID!) { node(id: $form) { ... on Form { list: ${list} } } }`;
  }
}

function pageOf(where: Where, data: Record<string, unknown>, year?: number): Page {
  const d = data as {
    trusts?: { edges: { node: { list: Page } }[] };
    academy?: { list?: Page; yearGroups?: { yearGroup: number; list: Page }[] };
    node?: { list: Page };
  };
  if (where === "trust") return d.trusts!.edges[0]!.node.list;
  if (where === "academy") return d.academy!.list!;
  if (where === "yearGroup") return d.academy!.yearGroups!.find((y) => y.yearGroup === year)!.list;
  return d.node!.list;
}

describe.each(availableBackends())("pupil lists on %s", (kind) => {
  let t: TestServer;
  let lead: Credentials;
  let trust: { id: string };
  let academy: { id: string; urn: number };

  /** An API key stored directly with these scopes on these academies. */
  async function key(scopes: string[], academyIds: string[]): Promise<Credentials> {
    const k = newApiKey();
    await t.db.prisma.apiClient.create({
      data: { trustId: trust.id, name: `list ${scopes.join("+")}`, keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes, academies: { create: academyIds.map((academyId) => ({ academyId })) } },
    });
    return { name: `key ${scopes.join("+")}`, headers: { authorization: `Bearer ${k.key}` } };
  }

  /**
   * The reference: the trust's pupils (or those `keep` keeps), their figures
   * by pupilFigures over every current mark of the period, selected and
   * ordered by selectPupilList. Nothing here reads the SQL under test.
   */
  async function reference(keep: (p: { id: string; academyId: string; formId: string | null; yearGroup: number; lookedAfter: boolean }) => boolean, filter: PupilListFigureFilter, order?: PupilListOrder) {
    const pupils = await t.db.prisma.pupil.findMany({ where: { trustId: trust.id } });
    const marks = await t.db.prisma.currentMark.findMany({
      where: { pupil: { trustId: trust.id }, date: { gte: new Date(`${PERIOD.from}T00:00:00Z`), lte: new Date(`${PERIOD.to}T00:00:00Z`) } },
    });
    const byPupil = new Map<string, SessionMark[]>();
    for (const m of marks) byPupil.set(m.pupilId, [...(byPupil.get(m.pupilId) ?? []), { date: isoDateOf(m.date), session: m.session, code: m.code, category: m.category }]);
    const candidates: PupilListCandidate[] = pupils.filter(keep).map((p) => ({
      id: p.id,
      figures: pupilFigures(byPupil.get(p.id) ?? []),
      nameKeys: [p.searchSurname, p.searchForename, p.legalSurname, p.legalForename],
    }));
    return selectPupilList(candidates, filter, order);
  }

  /** Every page of a list, `first` at a time, following endCursor. */
  async function wholeList(where: Where, vars: Record<string, unknown>, as: Credentials, first = 7): Promise<{ total: number; rows: Row[]; pages: number }> {
    const rows: Row[] = [];
    let after: string | null = null;
    let total = -1;
    let pages = 0;
    for (;;) {
      const res = await t.graphql(listQuery(where), { ...PERIOD, ...vars, first, after }, as.headers);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      const page = pageOf(where, res.data!, vars.year as number | undefined);
      pages++;
      if (total === -1) total = page.totalCount;
      expect(page.totalCount).toBe(total);
      rows.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
      expect(pages).toBeLessThan(200);
    }
    return { total, rows, pages };
  }

  function expectSameList(got: { total: number; rows: Row[] }, want: PupilListCandidate[], what: string) {
    expect(got.rows.map((r) => Buffer.from(r.pupil.id, "base64").toString().split(":")[1]), what).toEqual(want.map((c) => c.id));
    expect(got.total, what).toBe(want.length);
    for (const [i, r] of got.rows.entries()) {
      const f = want[i]!.figures;
      const { possibleSessions, present, approvedActivity, authorisedAbsence, unauthorisedAbsence, lateBeforeClose, lateAfterClose } = r;
      expect({ possibleSessions, present, approvedActivity, authorisedAbsence, unauthorisedAbsence, lateBeforeClose, lateAfterClose }, what).toEqual(f);
      const rate = (f.present + f.approvedActivity) / f.possibleSessions;
      expect(r.attendanceRate).toBeCloseTo(rate, 12);
      expect(r.attendancePercent).toBe(percent(rate));
      expect(r.persistentlyAbsent).toBe((f.authorisedAbsence + f.unauthorisedAbsence) * 10 >= f.possibleSessions);
    }
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Woolwich" });
    academy = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Woolwich Polytechnic" } } });
    trust = await t.db.prisma.trust.findFirstOrThrow({ where: { academies: { some: { id: academy.id } } } });
  });
  afterAll(() => t?.close());

  const trustCases: [string, PupilListFigureFilter & { cohort?: Record<string, unknown> }, PupilListOrder | undefined][] = [
    ["every pupil, lowest attendance first (the default order)", {}, undefined],
    ["persistently absent, by rate", { persistentlyAbsent: true }, { by: "ATTENDANCE_RATE", direction: "ASC" }],
    ["below 95% with an unauthorised absence, most unauthorised first", { attendanceBelow: 0.95, unauthorisedAtLeast: 1 }, { by: "UNAUTHORISED_ABSENCE", direction: "DESC" }],
    ["late before close at least once, most lates first", { lateBeforeCloseAtLeast: 1 }, { by: "LATE_BEFORE_CLOSE", direction: "DESC" }],
    ["late after close at least once", { lateAfterCloseAtLeast: 1 }, { by: "LATE_AFTER_CLOSE", direction: "DESC" }],
    ["at least 90%, not severely absent, Years 1, 2, 7 and 8, by name Z to A", { attendanceAtLeast: 0.9, severelyAbsent: false, cohort: { yearGroups: [7, 8, 1, 2] } }, { by: "NAME", direction: "DESC" }],
    ["not looked after (a safeguarding flag the lead may read), most absences first", { persistentlyAbsent: false, cohort: { lookedAfter: false } }, { by: "ABSENCES", direction: "DESC" }],
  ];

  it.each(trustCases)("a trust lead's trust-wide list equals the core reference: %s", async (_name, filter, order) => {
    const { cohort, ...figures } = filter;
    const keep = (p: { yearGroup: number; lookedAfter: boolean }) =>
      (!(cohort?.yearGroups) || (cohort.yearGroups as number[]).includes(p.yearGroup)) && (cohort?.lookedAfter === undefined || p.lookedAfter === cohort.lookedAfter);
    const want = await reference(keep, figures, order);
    const got = await wholeList("trust", { filter, orderBy: order }, lead);
    expectSameList(got, want, _name);
    expect(got.pages).toBe(Math.max(1, Math.ceil(want.length / 7)));
  });

  it.each([
    ["part weeks around a whole week", PERIOD],
    ["Monday to Sunday: whole weeks only", { from: "2025-09-08", to: "2025-09-21" }],
    ["inside one week: marks only", { from: "2025-09-09", to: "2025-09-11" }],
  ])("reads the same list from the weekly rollup as from every mark: %s", async (_name, period) => {
    const q: PupilListQuery = {
      group: { kind: "TRUST", trustId: trust.id }, trustId: trust.id, ...period, filter: {}, cohort: {},
      order: { by: "ATTENDANCE_RATE", direction: "ASC" }, scope: { academyIds: (await t.db.prisma.academy.findMany({ where: { trustId: trust.id } })).map((a) => a.id), formIds: [] },
      offset: 0, limit: 500,
    };
    const rolled = await queryPupilList(t.db.prisma, q, { rollup: true });
    expect(rolled.total).toBeGreaterThan(0);
    expect(await queryPupilList(t.db.prisma, q, { rollup: false })).toEqual(rolled);
  });

  it("has pupils in most of those lists: the comparisons above are not of empty lists", async () => {
    const all = await reference(() => true, {});
    expect(all.length).toBeGreaterThan(50);
    expect((await reference(() => true, { persistentlyAbsent: true })).length).toBeGreaterThan(3);
    expect((await reference(() => true, { lateBeforeCloseAtLeast: 1 })).length).toBeGreaterThan(3);
    expect((await reference(() => true, { attendanceBelow: 0.95, unauthorisedAtLeast: 1 })).length).toBeGreaterThan(1);
  });

  it("an academy's, a year group's and a form's lists equal the reference for their pupils", async () => {
    const form = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: academy.id, yearGroup: 9 }, orderBy: { name: "asc" } });
    const filter = { attendanceBelow: 0.99 };
    const order: PupilListOrder = { by: "ABSENCES", direction: "DESC" };
    const academyList = await wholeList("academy", { urn: academy.urn, filter, orderBy: order }, lead, 5);
    expectSameList(academyList, await reference((p) => p.academyId === academy.id, filter, order), "academy");
    const yearList = await wholeList("yearGroup", { urn: academy.urn, year: 9, filter: {}, orderBy: order }, lead, 5);
    expectSameList(yearList, await reference((p) => p.academyId === academy.id && p.yearGroup === 9, {}, order), "year group");
    const formList = await wholeList("form", { form: gid("Form", form.id), filter: {}, orderBy: { by: "NAME", direction: "ASC" } }, lead, 2);
    expectSameList(formList, await reference((p) => p.formId === form.id, {}, { by: "NAME", direction: "ASC" }), "form");
    expect(formList.rows.length).toBeGreaterThan(0);
  });

  it("runs the README's persistent-absence list verbatim", async () => {
    expect(readFileSync(new URL("../README.md", import.meta.url), "utf8")).toContain(README_QUERY);
    const res = await t.graphql<{ trusts: { edges: { node: { pupilList: Page } }[] } }>(README_QUERY, PERIOD, lead.headers);
    expect(res.errors).toBeUndefined();
    const list = res.data!.trusts.edges[0]!.node.pupilList;
    const want = await reference(() => true, { persistentlyAbsent: true });
    expect(list.totalCount).toBe(want.length);
    expect(list.edges.map((e) => e.node.pupil.upn)).toHaveLength(Math.min(50, want.length));
  });

  it("a teacher's list holds only their own forms' pupils, trust-wide or academy-wide", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Woolwich Polytechnic" });
    const forms = (await t.db.prisma.formTutor.findMany({ where: { userId: teacher.userId } })).map((f) => f.formId);
    expect(forms.length).toBeGreaterThan(0);
    const want = await reference((p) => p.formId !== null && forms.includes(p.formId), {});
    expect(want.length).toBeGreaterThan(0);
    expectSameList(await wholeList("trust", {}, teacher), want, "teacher, trust-wide");
    expectSameList(await wholeList("academy", { urn: academy.urn }, teacher), want, "teacher, academy");
  });

  it("an API client's list holds only its own academies' pupils", async () => {
    const sibling = await t.db.prisma.academy.findFirstOrThrow({ where: { trustId: trust.id, id: { not: academy.id } }, orderBy: { urn: "asc" } });
    const client = await key(["read:attendance"], [sibling.id]);
    const want = await reference((p) => p.academyId === sibling.id, { attendanceBelow: 1 });
    const got = await wholeList("trust", { filter: { attendanceBelow: 1 } }, client);
    expectSameList(got, want, "API client");
    expect(got.rows.every((r) => r.pupil.academy.urn === sibling.urn)).toBe(true);
    // Another academy's list: FORBIDDEN, nothing listed.
    const other = await t.graphql(listQuery("academy"), { ...PERIOD, urn: academy.urn }, client.headers);
    expect(codes(other)).toContain("FORBIDDEN");
    expect(JSON.stringify(other.data ?? null)).not.toContain("possibleSessions");
  });

  it("shows another trust's staff none of the trust's pupils: their lists are their own, the trust's academy and forms are unknown to them", async () => {
    const outsider = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const mine = new Set((await t.db.prisma.pupil.findMany({ where: { trustId: trust.id }, select: { upn: true } })).map((p) => p.upn));
    const theirs = await wholeList("trust", {}, outsider, 200);
    expect(theirs.total).toBeGreaterThan(0);
    expect(theirs.rows.filter((r) => mine.has(r.pupil.upn))).toEqual([]);
    const academyList = await t.graphql<{ academy: unknown }>(listQuery("academy"), { ...PERIOD, urn: academy.urn }, outsider.headers);
    expect(academyList.data?.academy ?? null).toBeNull();
    const form = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: academy.id } });
    const formList = await t.graphql<{ node: unknown }>(listQuery("form"), { ...PERIOD, form: gid("Form", form.id) }, outsider.headers);
    expect(formList.data?.node ?? null).toBeNull();
    for (const res of [academyList, formList]) for (const upn of mine) expect(JSON.stringify(res)).not.toContain(upn);
  });

  it("refuses safeguarding-flag filters without read:sensitive, naming what is missing, and lists nothing", async () => {
    const reader = await key(["read:attendance"], [academy.id]);
    const refused = await t.graphql(listQuery("academy"), { ...PERIOD, urn: academy.urn, filter: { cohort: { lookedAfter: true } } }, reader.headers);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(refused.errors![0]!.message).toContain("read:sensitive");
    expect(refused.errors![0]!.extensions?.missing).toBe("read:sensitive");
    expect((refused.data as { academy: { list: unknown } | null } | null)?.academy?.list ?? null).toBeNull();

    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Woolwich Polytechnic" });
    for (const flag of ["hasSocialWorker", "freeSchoolMeals", "pupilPremium"]) {
      const res = await t.graphql(listQuery("trust"), { ...PERIOD, filter: { cohort: { [flag]: false } } }, teacher.headers);
      expect(codes(res), flag).toEqual(["FORBIDDEN"]);
      expect(res.errors![0]!.message).toContain(flag);
      expect(res.errors![0]!.extensions?.missing).toBe("readSensitive");
    }
    // Case work too: an open case is for those who work cases.
    const cases = await t.graphql(listQuery("trust"), { ...PERIOD, filter: { hasOpenCase: true } }, teacher.headers);
    expect(codes(cases)).toEqual(["FORBIDDEN"]);
    expect(cases.errors![0]!.extensions?.missing).toBe("workCases");

    // The check can pass: the same filter with read:sensitive lists the looked-after pupils.
    const sensitive = await key(["read:attendance", "read:sensitive"], [academy.id]);
    const allowed = await wholeList("academy", { urn: academy.urn, filter: { cohort: { lookedAfter: false } } }, sensitive);
    expectSameList(allowed, await reference((p) => p.academyId === academy.id && !p.lookedAfter, {}), "read:sensitive key");
  });

  it("filters by open case actions for staff who work cases, and shows their count only to them", async () => {
    const [first, second] = await t.db.prisma.pupil.findMany({ where: { academyId: academy.id }, orderBy: { upn: "asc" }, take: 2 });
    for (const [i, p] of [first!, second!].entries()) {
      await t.db.prisma.caseAction.create({
        data: { academyId: academy.id, pupilId: p.id, triggerKey: `list-test-${i}`, source: "ABSENCE_LADDER", kind: "MEETING", action: "Meeting", dueOn: new Date("2025-10-01"), reason: "Test", rule: {}, evidence: {}, ...(i === 0 ? {} : { status: "DONE", statusAt: new Date("2025-10-02T10:00:00Z") }) },
      });
    }
    const open = new Set((await t.db.prisma.caseAction.findMany({ where: { academyId: academy.id, status: "OPEN" } })).map((c) => c.pupilId));
    const withCase = await wholeList("academy", { urn: academy.urn, filter: { hasOpenCase: true } }, lead);
    expectSameList(withCase, await reference((p) => p.academyId === academy.id && open.has(p.id), {}), "open case");
    expect(withCase.rows.map((r) => r.pupil.upn)).toContain(first!.upn);
    expect(withCase.rows.map((r) => r.pupil.upn)).not.toContain(second!.upn);
    const without = await wholeList("academy", { urn: academy.urn, filter: { hasOpenCase: false } }, lead);
    expect(without.total + withCase.total).toBe((await reference((p) => p.academyId === academy.id, {})).length);

    const q = `query ($urn: Int!, $from: Date!, $to: Date!) { academy(urn: $urn) { pupilList(from: $from, to: $to, first: 500) { edges { node { openCaseActions pupil { upn } } } } } }`;
    const res = await t.graphql<{ academy: { pupilList: { edges: { node: { openCaseActions: number | null; pupil: { upn: string } } }[] } } }>(q, { ...PERIOD, urn: academy.urn }, lead.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.academy.pupilList.edges.find((e) => e.node.pupil.upn === first!.upn)!.node.openCaseActions).toBe(1);
    const client = await key(["read:attendance", "read:sensitive"], [academy.id]);
    const hidden = await t.graphql<{ academy: { pupilList: { edges: { node: { openCaseActions: number | null } }[] } } }>(q, { ...PERIOD, urn: academy.urn }, client.headers);
    expect(codes(hidden).every((c) => c === "FORBIDDEN")).toBe(true);
    expect(hidden.data!.academy.pupilList.edges.every((e) => e.node.openCaseActions === null)).toBe(true);
  });

  it("costs the same number of SQL statements for 2 rows or 200, and for a form or the whole trust", async () => {
    const form = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: academy.id }, orderBy: { name: "asc" } });
    const count = async (where: Where, vars: Record<string, unknown>, first: number) => {
      t.resetStatements();
      const res = await t.graphql(listQuery(where), { ...PERIOD, ...vars, first }, lead.headers);
      expect(res.errors).toBeUndefined();
      const rows = pageOf(where, res.data!).edges.length;
      return { statements: t.statements.length, rows };
    };
    const small = await count("trust", {}, 2);
    const large = await count("trust", {}, 200);
    const oneForm = await count("form", { form: gid("Form", form.id) }, 200);
    if (process.env.SHOW_SQL) console.log(t.statements.map((s) => s.slice(0, 160).replace(/\s+/g, " ")).join("\n"));
    console.log(`pupil list statements (${kind}): trust × 2 rows ${small.statements}, trust × ${large.rows} rows ${large.statements}, one form × ${oneForm.rows} rows ${oneForm.statements}`);
    expect(large.rows).toBeGreaterThan(50);
    expect(small.rows).toBe(2);
    expect(large.statements).toBe(small.statements);
    // The form is reached through node(id:), one statement more than through trusts: the list itself costs the same.
    expect(oneForm.statements - 1).toBeLessThanOrEqual(large.statements);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["first over 500", { first: 501 }, "first"],
    ["a negative first", { first: -1 }, "first"],
    ["a rate over 1", { filter: { attendanceBelow: 1.5 } }, "filter.attendanceBelow"],
    ["a negative count", { filter: { unauthorisedAtLeast: -1 } }, "filter.unauthorisedAtLeast"],
    ["a cursor not of this list", { after: "bm90IGEgY3Vyc29y" }, "after"],
    ["a period backwards", { from: "2025-09-17", to: "2025-09-04" }, "from"],
    ["a period over two years", { from: "2023-09-01", to: "2025-09-17" }, "to"],
    ["an id that is not a form's", { filter: { forms: ["UHVwaWw6MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw"] } }, "filter.forms"],
  ])("refuses %s with BAD_USER_INPUT naming the argument", async (_name, vars, field) => {
    const res = await t.graphql(listQuery("trust"), { ...PERIOD, ...vars }, lead.headers);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(JSON.stringify(res.errors![0]!.extensions?.problems)).toContain(field);
  });

  it("gives every rate of the statistics a DfE-rounded percentage beside it (item 3)", async () => {
    const res = await t.graphql<{ academy: { attendance: { total: Record<string, number | string | null> } } }>(
      `query ($urn: Int!, $from: Date!, $to: Date!) { academy(urn: $urn) { attendance(from: $from, to: $to) { total {
        attendanceRate attendancePercent absenceRate absencePercent persistentAbsenceRate persistentAbsencePercent } } } }`,
      { ...PERIOD, urn: academy.urn },
      lead.headers,
    );
    expect(res.errors).toBeUndefined();
    const total = res.data!.academy.attendance.total;
    for (const [rate, pct] of [["attendanceRate", "attendancePercent"], ["absenceRate", "absencePercent"], ["persistentAbsenceRate", "persistentAbsencePercent"]] as const) {
      expect(typeof total[rate]).toBe("number");
      expect(total[pct]).toBe(percent(total[rate] as number));
      expect(total[pct]).toMatch(/^\d{1,3}\.\d$/);
    }
  });
});
