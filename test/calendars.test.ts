// School calendars through the HTTP API (issue 14, item 1): a trust-wide
// calendar each academy inherits and overrides, with provenance; who may
// change which calendar; bad input refused with the field named and nothing
// saved. The calendar the rest of the code reads (registers, leave, the roll)
// is the same effective calendar.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { possibleSessions } from "@attendance/core";
import { availableBackends, type PrismaClient } from "@attendance/db";
import { academyCalendar } from "../schema/src/workflows/calendar.ts";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, tokenFor, type Credentials } from "./support/actors.ts";

interface Term { name: string; startDate: string; endDate: string; source: string; setBy: string | null }
interface Closure { withdrawnBy?: string | null; setBy?: string | null; id: string; kind: string; startDate: string; endDate: string; session: string | null; reason: string; source: string; withdrawnAt: string | null; withdrawalReason: string | null }
interface YearCalendar { schoolYear: string; terms: Term[]; closures: Closure[] }

const CALENDAR = "schoolYear terms { name startDate endDate source setBy } closures { id kind startDate endDate session reason source withdrawnAt withdrawalReason }";
const ACADEMY_CALENDAR = `query ($urn: Int!, $year: String!) { academy(urn: $urn) { calendar(schoolYear: $year) { ${CALENDAR} } } }`;
const TRUST_CALENDAR = `query ($year: String!) { trusts(first: 1) { edges { node { calendar(schoolYear: $year) { ${CALENDAR} } } } } }`;
const SET_TERMS = `mutation ($input: SetSchoolTermsInput!) { setSchoolTerms(input: $input) { ${CALENDAR} } }`;
const ADD_CLOSURE = `mutation ($input: AddSchoolClosureInput!) { addSchoolClosure(input: $input) { id kind startDate endDate session reason source } }`;
const WITHDRAW_CLOSURE = `mutation ($input: WithdrawSchoolClosureInput!) { withdrawSchoolClosure(input: $input) { id withdrawnAt withdrawalReason withdrawnBy setBy } }`;
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const fields = (res: GraphQLResponse) => (res.errors ?? []).flatMap((e) => ((e.extensions?.problems ?? []) as { field: string }[]).map((p) => p.field));

/** An academy's own 2026/27: a two-week October break (eight half terms is common; six here for brevity). */
const OWN_2026_27 = [
  { name: "Autumn 1", startDate: "2026-09-03", endDate: "2026-10-16" },
  { name: "Autumn 2", startDate: "2026-11-02", endDate: "2026-12-18" },
  { name: "Spring 1", startDate: "2027-01-05", endDate: "2027-02-12" },
  { name: "Spring 2", startDate: "2027-02-22", endDate: "2027-03-25" },
  { name: "Summer 1", startDate: "2027-04-12", endDate: "2027-05-28" },
  { name: "Summer 2", startDate: "2027-06-07", endDate: "2027-07-20" },
];

async function calendarRows(prisma: PrismaClient): Promise<string> {
  const [terms, closures] = await Promise.all([prisma.schoolTerm.findMany({ orderBy: { id: "asc" } }), prisma.schoolClosure.findMany({ orderBy: { id: "asc" } })]);
  return JSON.stringify([terms, closures]);
}

describe.each(availableBackends())("calendars on %s", (kind) => {
  let t: TestServer;
  let stJames: { id: string; urn: number; trustId: string };
  let admin: Credentials & { userId: string };
  let teacher: Credentials;
  let trustAdmin: Credentials;
  let otherTrustAdmin: Credentials;
  let otherAcademyAdmin: Credentials;
  let sister: { id: string; urn: number };
  let sisterHead: Credentials;

  beforeAll(async () => {
    t = await startTestServer(kind);
    const { prisma } = t.db;
    stJames = await prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } }, select: { id: true, urn: true, trustId: true } });
    admin = await staff(prisma, "ACADEMY_ADMIN", { academyName: "St James" });
    teacher = await staff(prisma, "TEACHER", { academyName: "St James" });
    trustAdmin = await staff(prisma, "TRUST_ADMIN", { trustName: "Vale" });
    otherTrustAdmin = await staff(prisma, "TRUST_ADMIN", { trustName: "Woolwich" });
    otherAcademyAdmin = await staff(prisma, "ACADEMY_ADMIN", { academyName: "Woolwich" });
    // A second academy of the Vale trust (the demo trusts have one each).
    const la = await prisma.localAuthority.findFirstOrThrow();
    sister = await prisma.academy.create({ data: { trustId: stJames.trustId, localAuthorityId: la.id, urn: 999_002, name: "Vale Sister Primary (test)", phase: "PRIMARY" }, select: { id: true, urn: true } });
    const head = await prisma.user.create({
      data: { email: "head@vale-sister.example", displayName: "Sister Head", roles: { create: { role: "HEADTEACHER", trustId: stJames.trustId, academyId: sister.id } } },
    });
    sisterHead = { name: "sister academy's headteacher", headers: { authorization: `Bearer ${await tokenFor(head.id)}` } };
  });
  afterAll(() => t?.close());

  async function academyYear(who: Credentials, urn: number, year: string): Promise<YearCalendar> {
    const res = await t.graphql<{ academy: { calendar: YearCalendar } }>(ACADEMY_CALENDAR, { urn, year }, who.headers);
    expect(res.errors).toBeUndefined();
    return res.data!.academy.calendar;
  }

  it("serves the demo's three school years: 2025/26 the academy's own, 2024/25 and 2026/27 inherited from the trust", async () => {
    const own = await academyYear(teacher, stJames.urn, "2025/26");
    expect(own.terms.map((x) => [x.name, x.source])).toEqual(["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"].map((n) => [n, "ACADEMY"]));
    for (const year of ["2024/25", "2026/27"]) {
      const inherited = await academyYear(teacher, stJames.urn, year);
      expect(inherited.terms).toHaveLength(6);
      expect(new Set(inherited.terms.map((x) => x.source))).toEqual(new Set(["TRUST"]));
      expect(inherited.closures.map((c) => c.kind).sort()).toEqual(["BANK_HOLIDAY", "INSET", "INSET", "INSET"]);
    }
    const trust = await t.graphql<{ trusts: { edges: { node: { calendar: YearCalendar } }[] } }>(TRUST_CALENDAR, { year: "2026/27" }, teacher.headers);
    expect(trust.errors).toBeUndefined();
    expect(trust.data!.trusts.edges[0]!.node.calendar.terms[0]).toMatchObject({ name: "Autumn 1", startDate: "2026-09-02", source: "TRUST" });
    // A year nobody has set: no half terms, so no sessions.
    expect((await academyYear(teacher, stJames.urn, "2030/31")).terms).toEqual([]);
  });

  it("lets an academy admin set its own 2026/27 and add a half-day closure; read back with provenance, and used by the rest of the code", async () => {
    const set = await t.graphql<{ setSchoolTerms: YearCalendar }>(SET_TERMS, { input: { academyUrn: stJames.urn, schoolYear: "2026/27", terms: OWN_2026_27, reason: "Governors approved our own dates" } }, admin.headers);
    expect(set.errors).toBeUndefined();
    expect(set.data!.setSchoolTerms.terms.map((x) => [x.startDate, x.source])).toEqual(OWN_2026_27.map((x) => [x.startDate, "ACADEMY"]));
    // Who set them, as with every policy change.
    const adminName = (await t.db.prisma.user.findUniqueOrThrow({ where: { id: admin.userId } })).displayName;
    expect(new Set(set.data!.setSchoolTerms.terms.map((x) => x.setBy))).toEqual(new Set([adminName]));
    // The trust's INSET days on 2 September and 4 January are in the academy's holidays: left out. Its others fall within its half terms.
    expect(set.data!.setSchoolTerms.closures.map((c) => c.startDate)).toEqual(["2027-05-03", "2027-06-07"]);

    const added = await t.graphql<{ addSchoolClosure: Closure }>(ADD_CLOSURE, {
      input: { academyUrn: stJames.urn, kind: "PLANNED", startDate: "2026-11-05", endDate: "2026-11-05", session: "PM", reason: "Polling station" },
    }, admin.headers);
    expect(added.errors).toBeUndefined();
    expect(added.data!.addSchoolClosure).toMatchObject({ kind: "PLANNED", session: "PM", source: "ACADEMY", reason: "Polling station" });

    const read = await academyYear(teacher, stJames.urn, "2026/27");
    expect(read.closures.map((c) => [c.startDate, c.session, c.source])).toEqual([
      ["2026-11-05", "PM", "ACADEMY"], ["2027-05-03", null, "TRUST"], ["2027-06-07", null, "TRUST"],
    ]);
    // The calendar registers, leave and the roll read: the academy's own half terms and both layers' closures.
    const calendar = await academyCalendar(t.db.prisma, stJames.id);
    const sessions = (from: string, to: string) => possibleSessions(calendar, from, to).map((s) => `${s.date} ${s.session}`);
    expect(sessions("2026-09-02", "2026-09-02")).toEqual([]); // before its own term starts
    expect(sessions("2026-11-05", "2026-11-05")).toEqual(["2026-11-05 AM"]); // the polling-station afternoon
    expect(sessions("2026-10-19", "2026-10-23")).toEqual([]); // its two-week October break
    // Another academy of the trust still follows the trust's dates.
    const sisterCalendar = await academyCalendar(t.db.prisma, sister.id);
    expect(possibleSessions(sisterCalendar, "2026-10-19", "2026-10-19")).toHaveLength(2);
  });

  it.each([
    ["overlapping half terms", { terms: [OWN_2026_27[0], { name: "Autumn 2", startDate: "2026-10-16", endDate: "2026-12-18" }] }, "terms[1].startDate"],
    ["a half term ending before it starts", { terms: [{ name: "Autumn 1", startDate: "2026-10-16", endDate: "2026-09-03" }] }, "terms[0].endDate"],
    ["a half term outside the school year named", { schoolYear: "2027/28", terms: OWN_2026_27.slice(0, 1) }, "terms[0].startDate"],
    ["a school year that is not one", { schoolYear: "2026/28" }, "schoolYear"],
    ["no reason", { reason: " " }, "reason"],
  ])("refuses %s with BAD_USER_INPUT naming the field, and saves nothing", async (_name, change, field) => {
    const before = await calendarRows(t.db.prisma);
    const res = await t.graphql(SET_TERMS, { input: { academyUrn: stJames.urn, schoolYear: "2026/27", terms: OWN_2026_27, reason: "Test", ...change } }, admin.headers);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(fields(res)).toContain(field);
    expect(await calendarRows(t.db.prisma)).toBe(before);
  });

  it.each([
    ["a closure in a holiday (outside any half term)", { startDate: "2026-10-20", endDate: "2026-10-20" }, "startDate"],
    ["a closure ending before it starts", { startDate: "2026-11-10", endDate: "2026-11-09" }, "endDate"],
    ["a half-day closure spanning days", { startDate: "2026-11-09", endDate: "2026-11-10", session: "AM" }, "session"],
  ])("refuses %s with BAD_USER_INPUT naming the field, and saves nothing", async (_name, change, field) => {
    const before = await calendarRows(t.db.prisma);
    const res = await t.graphql(ADD_CLOSURE, { input: { academyUrn: stJames.urn, kind: "UNEXPECTED", reason: "Snow", ...change } }, admin.headers);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(fields(res)).toContain(field);
    expect(await calendarRows(t.db.prisma)).toBe(before);
  });

  it("refuses half terms that would leave a closure outside every half term", async () => {
    const before = await calendarRows(t.db.prisma);
    // The polling-station afternoon (5 November) would be in a holiday.
    const res = await t.graphql(SET_TERMS, { input: { academyUrn: stJames.urn, schoolYear: "2026/27", terms: [{ name: "Autumn 2", startDate: "2026-11-09", endDate: "2026-12-18" }], reason: "Test" } }, admin.headers);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0]!.extensions!.problems).toEqual([expect.objectContaining({ field: "terms", message: expect.stringContaining("2026-11-05") })]);
    expect(await calendarRows(t.db.prisma)).toBe(before);
  });

  it("refuses a teacher, another academy's admin, another trust's admin and an academy admin writing the trust calendar; nothing saved", async () => {
    const before = await calendarRows(t.db.prisma);
    const closure = { kind: "UNEXPECTED", startDate: "2026-11-09", endDate: "2026-11-09", reason: "Snow" };
    const attempts: [Credentials, string, Record<string, unknown>][] = [
      [teacher, SET_TERMS, { academyUrn: stJames.urn, schoolYear: "2026/27", terms: OWN_2026_27, reason: "x" }],
      [teacher, ADD_CLOSURE, { academyUrn: stJames.urn, ...closure }],
      [sisterHead, ADD_CLOSURE, { academyUrn: stJames.urn, ...closure }],
      [otherAcademyAdmin, ADD_CLOSURE, { academyUrn: stJames.urn, ...closure }],
      [otherTrustAdmin, SET_TERMS, { academyUrn: stJames.urn, schoolYear: "2026/27", terms: OWN_2026_27, reason: "x" }],
      [admin, SET_TERMS, { schoolYear: "2026/27", terms: OWN_2026_27, reason: "x" }],
      [admin, ADD_CLOSURE, closure],
    ];
    for (const [who, doc, input] of attempts) {
      const res = await t.graphql(doc, { input }, who.headers);
      expect(codes(res), `${who.name}: ${JSON.stringify(res)}`).toEqual(["FORBIDDEN"]);
    }
    // Another trust's admin: the academy is unknown to it, as one that does not exist.
    const unknown = await t.graphql(ADD_CLOSURE, { input: { academyUrn: 999_999, ...closure } }, otherTrustAdmin.headers);
    const aimed = await t.graphql(ADD_CLOSURE, { input: { academyUrn: stJames.urn, ...closure } }, otherTrustAdmin.headers);
    expect(JSON.stringify({ d: aimed.data, c: codes(aimed) })).toBe(JSON.stringify({ d: unknown.data, c: codes(unknown) }));
    const read = await t.graphql<{ academy: unknown }>(ACADEMY_CALENDAR, { urn: stJames.urn, year: "2026/27" }, otherTrustAdmin.headers);
    expect(read.data?.academy ?? null).toBeNull();
    expect(await calendarRows(t.db.prisma)).toBe(before);
  });

  it("inherits the trust calendar, overridden by an academy, and inherited again when the academy gives up its own", async () => {
    const year = "2027/28";
    const trustTerms = [
      { name: "Autumn 1", startDate: "2027-09-02", endDate: "2027-10-22" },
      { name: "Autumn 2", startDate: "2027-11-01", endDate: "2027-12-17" },
    ];
    const set = await t.graphql<{ setSchoolTerms: YearCalendar }>(SET_TERMS, { input: { schoolYear: year, terms: trustTerms, reason: "Trust calendar 2027/28" } }, trustAdmin.headers);
    expect(set.errors).toBeUndefined();
    const closure = await t.graphql<{ addSchoolClosure: Closure }>(ADD_CLOSURE, {
      input: { kind: "INSET", startDate: "2027-09-02", endDate: "2027-09-02", reason: "Trust-wide training day" },
    }, trustAdmin.headers);
    expect(closure.errors).toBeUndefined();
    expect(closure.data!.addSchoolClosure.source).toBe("TRUST");

    let sisterYear = await academyYear(sisterHead, sister.urn, year);
    expect(sisterYear.terms.map((x) => [x.startDate, x.source])).toEqual([["2027-09-02", "TRUST"], ["2027-11-01", "TRUST"]]);
    expect(sisterYear.closures.map((c) => [c.startDate, c.source])).toEqual([["2027-09-02", "TRUST"]]);

    const own = [{ name: "Autumn", startDate: "2027-09-01", endDate: "2027-12-15" }];
    const overridden = await t.graphql<{ setSchoolTerms: YearCalendar }>(SET_TERMS, { input: { academyUrn: sister.urn, schoolYear: year, terms: own, reason: "Our own year" } }, sisterHead.headers);
    expect(overridden.errors).toBeUndefined();
    expect(overridden.data!.setSchoolTerms.terms.map((x) => [x.startDate, x.source])).toEqual([["2027-09-01", "ACADEMY"]]);
    // The trust's closure still applies within the academy's own half term.
    expect(overridden.data!.setSchoolTerms.closures.map((c) => [c.startDate, c.source])).toEqual([["2027-09-02", "TRUST"]]);
    // St James still follows the trust.
    expect((await academyYear(admin, stJames.urn, year)).terms.map((x) => x.source)).toEqual(["TRUST", "TRUST"]);

    const back = await t.graphql<{ setSchoolTerms: YearCalendar }>(SET_TERMS, { input: { academyUrn: sister.urn, schoolYear: year, terms: [], reason: "Back to the trust's dates" } }, sisterHead.headers);
    expect(back.errors).toBeUndefined();
    expect(back.data!.setSchoolTerms.terms.map((x) => x.source)).toEqual(["TRUST", "TRUST"]);
    // Replaced half terms are kept, marked replaced, never deleted.
    const kept = await t.db.prisma.schoolTerm.findMany({ where: { academyId: sister.id, academicYear: year } });
    expect(kept).toHaveLength(1);
    expect(kept[0]!.replacedAt).not.toBeNull();

    // A trust admin may set an academy's calendar too.
    const byTrust = await t.graphql(SET_TERMS, { input: { academyUrn: sister.urn, schoolYear: year, terms: own, reason: "Set for the academy" } }, trustAdmin.headers);
    expect(byTrust.errors).toBeUndefined();
  });

  it("withdraws a closure: kept with who, when and why; the academy meets again; a second withdrawal is a CONFLICT", async () => {
    const added = await t.graphql<{ addSchoolClosure: Closure }>(ADD_CLOSURE, {
      input: { academyUrn: stJames.urn, kind: "UNEXPECTED", startDate: "2026-12-01", endDate: "2026-12-02", reason: "Snow forecast" },
    }, admin.headers);
    expect(added.errors).toBeUndefined();
    const id = added.data!.addSchoolClosure.id;
    expect(possibleSessions(await academyCalendar(t.db.prisma, stJames.id), "2026-12-01", "2026-12-02")).toEqual([]);

    const refused = await t.graphql(WITHDRAW_CLOSURE, { input: { closureId: id, reason: "x" } }, teacher.headers);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    const withdrawn = await t.graphql<{ withdrawSchoolClosure: Closure }>(WITHDRAW_CLOSURE, { input: { closureId: id, reason: "The snow did not come" } }, admin.headers);
    expect(withdrawn.errors).toBeUndefined();
    const adminName = (await t.db.prisma.user.findUniqueOrThrow({ where: { id: admin.userId } })).displayName;
    expect(withdrawn.data!.withdrawSchoolClosure).toMatchObject({ withdrawalReason: "The snow did not come", withdrawnBy: adminName, setBy: adminName });
    expect(withdrawn.data!.withdrawSchoolClosure.withdrawnAt).not.toBeNull();
    const row = await t.db.prisma.schoolClosure.findFirstOrThrow({ where: { reason: "Snow forecast" } });
    expect(row.withdrawnById).toBe(admin.userId);
    expect(possibleSessions(await academyCalendar(t.db.prisma, stJames.id), "2026-12-01", "2026-12-02")).toHaveLength(4);
    expect((await academyYear(teacher, stJames.urn, "2026/27")).closures.map((c) => c.id)).not.toContain(id);

    const again = await t.graphql(WITHDRAW_CLOSURE, { input: { closureId: id, reason: "Again" } }, admin.headers);
    expect(codes(again)).toEqual(["CONFLICT"]);
  });
});
