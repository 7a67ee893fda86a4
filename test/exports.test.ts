// Exports on both back ends: census figures per pupil against a hand count of
// the pupil's current marks (school census guide, attendance section; codes
// and categories per SI 2024/208 reg. 10), CSV files that parse back to the
// same rows, access refused to another academy's staff and another trust,
// and a Common Transfer File that reads back as the same pupil, carers and
// marks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { availableBackends } from "@attendance/db";
import { importFile } from "@attendance/db";
import { readCtf } from "@attendance/exchange";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, tokenFor, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const AUTUMN = { from: "2025-08-01", to: "2025-12-31" };


interface CensusNode {
  upn: string;
  sessionsPossible: number;
  sessionsAttended: number;
  sessionsAuthorised: number;
  sessionsUnauthorised: number;
  reasons: { code: string; sessions: number }[];
  notCounted: { code: string; sessions: number }[];
}
const CENSUS = `query Census($urn: Int!, $first: Int, $after: String) {
  censusAttendance(academyUrn: $urn, academicYear: "2025/26", term: AUTUMN, first: $first, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { upn sessionsPossible sessionsAttended sessionsAuthorised sessionsUnauthorised reasons { code sessions } notCounted { code sessions } } }
  }
}`;
const CENSUS_CSV = `query CensusCsv($urn: Int!) { censusAttendanceCsv(academyUrn: $urn, academicYear: "2025/26", term: AUTUMN) { fileName rows csv } }`;
const LIST_CSV = `query ListCsv($urn: Int!, $list: AttendanceList!, $from: Date!, $to: Date!) { attendanceCsv(academyUrn: $urn, list: $list, from: $from, to: $to) { rows csv } }`;
const CTF = `query Ctf($upn: String!) { ctfExport(upn: $upn, destinationLea: 999, destinationEstab: "4001") { fileName xml } }`;

describe.each(availableBackends())("exports on %s", (kind) => {
  let t: TestServer;
  let head: Credentials;
  let officer: Credentials;
  let teacher: Credentials & { userId: string };
  let trustAdmin: Credentials;
  let otherTrustHead: Credentials;
  let sisterHead: Credentials;
  let urn: number;
  let academyId: string;

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    const prisma = t.db.prisma;
    const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } });
    urn = academy.urn;
    academyId = academy.id;
    head = await staff(prisma, "HEADTEACHER", { academyName: "St James" });
    officer = await staff(prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
    teacher = await staff(prisma, "TEACHER", { academyName: "St James" });
    trustAdmin = await staff(prisma, "TRUST_ADMIN", { trustName: "Vale" });
    otherTrustHead = await staff(prisma, "HEADTEACHER", { academyName: "Staverton" });
    // Another academy of the same trust, with its own headteacher (the demo trusts hold one academy each).
    const la = await prisma.localAuthority.findFirstOrThrow();
    const sister = await prisma.academy.create({ data: { trustId: academy.trustId, localAuthorityId: la.id, urn: 999_002, name: "Sister Academy (exports test)", phase: "PRIMARY" } });
    const user = await prisma.user.create({
      data: { email: "head@sister-exports.example.org", displayName: "Sister Head", roles: { create: { role: "HEADTEACHER", trustId: academy.trustId, academyId: sister.id } } },
    });
    sisterHead = { name: "sister head", headers: { authorization: `Bearer ${await tokenFor(user.id)}` } };
  });
  afterAll(() => t?.close());

  async function allCensusRows(headers: Record<string, string>): Promise<CensusNode[]> {
    const rows: CensusNode[] = [];
    let after: string | null = null;
    for (;;) {
      const res: GraphQLResponse<{ censusAttendance: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: CensusNode }[] } }> = await t.graphql(CENSUS, { urn, first: 100, after }, headers);
      expect(res.errors).toBeUndefined();
      rows.push(...res.data!.censusAttendance.edges.map((e) => e.node));
      if (!res.data!.censusAttendance.pageInfo.hasNextPage) return rows;
      after = res.data!.censusAttendance.pageInfo.endCursor;
    }
  }

  it("gives a pupil's census figures equal to a hand count of their current marks per code in the term, an amendment counted once", async () => {
    const prisma = t.db.prisma;
    // A pupil with a present mark in the autumn term: amend it to M (medical) through the API first.
    const mark = await prisma.currentMark.findFirstOrThrow({
      where: { academyId, code: "/", date: { gte: new Date("2025-09-01"), lte: new Date(`${AUTUMN.to}T00:00:00Z`) } },
      orderBy: [{ date: "asc" }, { pupilId: "asc" }],
    });
    const amended = await t.graphql(
      `mutation Amend($input: AmendMarkInput!) { amendMark(input: $input) { id } }`,
      { input: { markId: gid("Mark", mark.markId), code: "M", reason: "Dental appointment letter seen" } },
      officer.headers,
    );
    expect(amended.errors).toBeUndefined();
    const pupil = await prisma.pupil.findUniqueOrThrow({ where: { id: mark.pupilId } });

    // The hand count, in SQL: every current mark of the pupil at the academy in the term, per code.
    const counted = await prisma.$queryRawUnsafe<{ code: string; category: string; n: number }[]>(
      `SELECT code, category::text AS category, count(*)::int AS n FROM current_mark
       WHERE pupil_id = $1::uuid AND academy_id = $2::uuid AND date BETWEEN $3::date AND $4::date GROUP BY code, category`,
      pupil.id, academyId, AUTUMN.from, AUTUMN.to,
    );
    const sum = (categories: string[]) => counted.filter((c) => categories.includes(c.category)).reduce((s, c) => s + c.n, 0);
    const perCode = (categories: string[]) => counted.filter((c) => categories.includes(c.category)).map((c) => ({ code: c.code, sessions: c.n })).sort((a, b) => a.code.localeCompare(b.code));
    expect(perCode(["AUTHORISED_ABSENCE"])).toContainEqual({ code: "M", sessions: expect.any(Number) });

    const rows = await allCensusRows(head.headers);
    const row = rows.find((r) => r.upn === pupil.upn)!;
    expect(row).toEqual({
      upn: pupil.upn,
      sessionsPossible: sum(["PRESENT", "APPROVED_ACTIVITY", "AUTHORISED_ABSENCE", "UNAUTHORISED_ABSENCE"]),
      sessionsAttended: sum(["PRESENT", "APPROVED_ACTIVITY"]),
      sessionsAuthorised: sum(["AUTHORISED_ABSENCE"]),
      sessionsUnauthorised: sum(["UNAUTHORISED_ABSENCE"]),
      reasons: perCode(["AUTHORISED_ABSENCE", "UNAUTHORISED_ABSENCE"]),
      notCounted: perCode(["NOT_POSSIBLE"]),
    });
    expect(row.sessionsPossible).toBeGreaterThan(0);
    // Every pupil on the roll in the term has a row.
    const onRoll = await prisma.pupil.count({ where: { enrolments: { some: { academyId, onRollFrom: { lte: new Date(AUTUMN.to) }, OR: [{ onRollTo: null }, { onRollTo: { gte: new Date(AUTUMN.from) } }] } } } });
    expect(rows).toHaveLength(onRoll);
  });

  it("writes the census figures and attendance lists as CSV that parses back to the same rows, formulas escaped", async () => {
    const prisma = t.db.prisma;
    // A name a spreadsheet would run as a formula (OWASP "CSV Injection").
    const victim = await prisma.pupil.findFirstOrThrow({ where: { academyId }, orderBy: { upn: "asc" } });
    await prisma.pupil.update({ where: { id: victim.id }, data: { legalForename: "=HYPERLINK(\"http://example.net\")" } });

    const rows = await allCensusRows(head.headers);
    const res = await t.graphql<{ censusAttendanceCsv: { fileName: string; rows: number; csv: string } }>(CENSUS_CSV, { urn }, head.headers);
    expect(res.errors).toBeUndefined();
    const parsed = parse(res.data!.censusAttendanceCsv.csv, { columns: true }) as Record<string, string>[];
    expect(parsed).toHaveLength(rows.length);
    expect(res.data!.censusAttendanceCsv.rows).toBe(rows.length);
    const byUpn = new Map(parsed.map((p) => [p.UPN, p]));
    for (const row of rows) {
      const line = byUpn.get(row.upn)!;
      expect(Number(line.SessionsPossible)).toBe(row.sessionsPossible);
      expect(Number(line.SessionsAttended)).toBe(row.sessionsAttended);
      expect(Number(line.SessionsAuthorised)).toBe(row.sessionsAuthorised);
      expect(Number(line.SessionsUnauthorised)).toBe(row.sessionsUnauthorised);
      for (const r of row.reasons) expect(Number(line[r.code])).toBe(r.sessions);
      for (const r of row.notCounted) expect(Number(line[`NotCounted_${r.code}`])).toBe(r.sessions);
    }
    expect(byUpn.get(victim.upn)!.Forename!.startsWith("'=")).toBe(true);

    // Every current mark of a fortnight, as a list.
    const period = { from: "2025-09-08", to: "2025-09-19" };
    const marks = await t.graphql<{ attendanceCsv: { rows: number; csv: string } }>(LIST_CSV, { urn, list: "MARK", ...period }, head.headers);
    expect(marks.errors).toBeUndefined();
    const markRows = parse(marks.data!.attendanceCsv.csv, { columns: true }) as Record<string, string>[];
    const current = await prisma.currentMark.findMany({ where: { academyId, date: { gte: new Date(period.from), lte: new Date(period.to) } }, include: { pupil: true } });
    expect(markRows.map((m) => `${m.date} ${m.session} ${m.upn} ${m.code}`).sort()).toEqual(
      current.map((m) => `${m.date.toISOString().slice(0, 10)} ${m.session} ${m.pupil.upn} ${m.code}`).sort(),
    );

    // Per pupil: the same figures as Pupil.attendance.
    const pupils = await t.graphql<{ attendanceCsv: { rows: number; csv: string } }>(LIST_CSV, { urn, list: "PUPIL", ...period }, head.headers);
    expect(pupils.errors).toBeUndefined();
    const pupilRows = parse(pupils.data!.attendanceCsv.csv, { columns: true }) as Record<string, string>[];
    const one = pupilRows.find((p) => p.upn === victim.upn)!;
    const api = await t.graphql<{ pupil: { attendance: { total: { possibleSessions: number; present: number; authorisedAbsence: number; unauthorisedAbsence: number } } } }>(
      `query P($upn: String!, $from: Date!, $to: Date!) { pupil(upn: $upn) { attendance(from: $from, to: $to) { total { possibleSessions present authorisedAbsence unauthorisedAbsence } } } }`,
      { upn: victim.upn, ...period },
      head.headers,
    );
    expect(api.errors).toBeUndefined();
    const total = api.data!.pupil.attendance.total;
    expect([one.possibleSessions, one.present, one.authorisedAbsence, one.unauthorisedAbsence].map(Number)).toEqual([total.possibleSessions, total.present, total.authorisedAbsence, total.unauthorisedAbsence]);

    // Per form and per year group: one row each.
    const forms = await t.graphql<{ attendanceCsv: { rows: number } }>(LIST_CSV, { urn, list: "FORM", ...period }, head.headers);
    expect(forms.data!.attendanceCsv.rows).toBe(await prisma.form.count({ where: { academyId } }));
  });

  it("gives a teacher only their own forms' pupils", async () => {
    const forms = (await t.db.prisma.formTutor.findMany({ where: { userId: teacher.userId } })).map((f) => f.formId);
    const theirs = await t.db.prisma.pupil.findMany({ where: { formId: { in: forms } }, select: { upn: true } });
    const rows = await allCensusRows(teacher.headers);
    expect(rows.map((r) => r.upn).sort()).toEqual(theirs.map((p) => p.upn).sort());
    const years = await t.graphql(LIST_CSV, { urn, list: "YEAR_GROUP", from: "2025-09-08", to: "2025-09-19" }, teacher.headers);
    expect(codes(years)).toEqual(["FORBIDDEN"]);
  });

  it("refuses another academy's staff and another trust, and bad periods, before reading anything", async () => {
    for (const who of [sisterHead, otherTrustHead]) {
      for (const [query, variables] of [
        [CENSUS, { urn, first: 5 }],
        [CENSUS_CSV, { urn }],
        [LIST_CSV, { urn, list: "MARK", from: "2025-09-08", to: "2025-09-19" }],
      ] as const) {
        const res = await t.graphql(query, variables, who.headers);
        expect(codes(res)).toEqual(["FORBIDDEN"]);
        expect(JSON.stringify(res.data ?? null)).not.toContain("upn");
      }
    }
    const tooLong = await t.graphql(LIST_CSV, { urn, list: "MARK", from: "2020-09-01", to: "2025-09-19" }, head.headers);
    expect(codes(tooLong)).toEqual(["BAD_USER_INPUT"]);
    const badYear = await t.graphql(`{ censusAttendanceCsv(academyUrn: ${urn}, academicYear: "2025/27", term: AUTUMN) { rows } }`, {}, head.headers);
    expect(codes(badYear)).toEqual(["BAD_USER_INPUT"]);
  });

  it("exports a leaving pupil's CTF that reads back as the same pupil, carers and marks, for the headteacher only, audited", async () => {
    const prisma = t.db.prisma;
    const pupil = await prisma.pupil.findFirstOrThrow({ where: { academyId, carers: { some: {} } }, include: { carers: { orderBy: { contactOrder: "asc" } } }, orderBy: { upn: "desc" } });
    // Refused: an attendance officer (not the full record), another academy's head; NOT_FOUND for another trust.
    expect(codes(await t.graphql(CTF, { upn: pupil.upn }, officer.headers))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.graphql(CTF, { upn: pupil.upn }, sisterHead.headers))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.graphql(CTF, { upn: pupil.upn }, otherTrustHead.headers))).toEqual(["NOT_FOUND"]);
    expect(codes(await t.graphql(CTF, { upn: pupil.upn }, trustAdmin.headers))).toEqual([]);

    const before = await prisma.auditEntry.count({ where: { operation: { contains: "ctfExport" } } });
    const res = await t.graphql<{ ctfExport: { fileName: string; xml: string } }>(CTF, { upn: pupil.upn }, head.headers);
    expect(res.errors).toBeUndefined();
    expect(await prisma.auditEntry.count({ where: { operation: { contains: "ctfExport" } } })).toBe(before + 1);

    const { batch, problems } = readCtf(new TextEncoder().encode(res.data!.ctfExport.xml), res.data!.ctfExport.fileName);
    expect(problems).toEqual([]);
    expect(batch.pupils).toHaveLength(1);
    expect(batch.pupils[0]).toMatchObject({
      upn: pupil.upn, legalSurname: pupil.legalSurname, legalForename: pupil.legalForename,
      dateOfBirth: pupil.dateOfBirth!.toISOString().slice(0, 10), gender: pupil.gender, yearGroup: pupil.yearGroup,
    });
    expect(batch.carers.map(({ source: _s, upn: _u, ...c }) => c)).toEqual(
      pupil.carers.map((c) => ({
        contactOrder: c.contactOrder, salutation: c.salutation, forename: c.forename, surname: c.surname, relationship: c.relationship,
        parentalResponsibility: c.parentalResponsibility, addressLines: c.addressLines, telephones: c.telephones, email: c.email,
      })),
    );
    const current = await prisma.currentMark.findMany({ where: { pupilId: pupil.id, academyId } });
    expect(current.length).toBeGreaterThan(0);
    expect(batch.marks.map((m) => `${m.date} ${m.session} ${m.code}`).sort()).toEqual(current.map((m) => `${m.date.toISOString().slice(0, 10)} ${m.session} ${m.code}`).sort());
  });

  it("imports the exported CTF at an academy of another trust: the same pupil, carers and marks, and again changes nothing", async () => {
    const prisma = t.db.prisma;
    const pupil = await prisma.pupil.findFirstOrThrow({ where: { academyId, carers: { some: {} } }, include: { carers: { orderBy: { contactOrder: "asc" } } }, orderBy: { upn: "asc" } });
    const res = await t.graphql<{ ctfExport: { fileName: string; xml: string } }>(CTF, { upn: pupil.upn }, head.headers);
    expect(res.errors).toBeUndefined();
    const { fileName, xml } = res.data!.ctfExport;
    expect(readCtf(new TextEncoder().encode(xml), fileName).problems).toEqual([]);
    // Through the import path every CTF takes (pnpm run import ctf, importFile(kind: CTF)).
    const elsewhere = await prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    const load = (apply: boolean) => importFile(prisma, { academyId: elsewhere.id, actor: { kind: "cli", id: null }, apply }, "ctf", new TextEncoder().encode(xml), fileName);
    const dry = await load(false);
    expect(dry.problems).toEqual([]);
    expect(dry.applied).toBe(false);
    expect(await prisma.pupil.count({ where: { upn: pupil.upn, trustId: elsewhere.trustId } })).toBe(0);
    const first = await load(true);
    expect(first.problems).toEqual([]);
    expect(first.applied).toBe(true);
    const imported = await prisma.pupil.findFirstOrThrow({ where: { upn: pupil.upn, trustId: elsewhere.trustId }, include: { carers: { orderBy: { contactOrder: "asc" } } } });
    expect(imported).toMatchObject({ legalSurname: pupil.legalSurname, legalForename: pupil.legalForename, dateOfBirth: pupil.dateOfBirth, gender: pupil.gender, yearGroup: pupil.yearGroup });
    const carer = (c: (typeof pupil.carers)[number]) => [c.contactOrder, c.salutation, c.forename, c.surname, c.relationship, c.parentalResponsibility, c.addressLines, c.telephones, c.email];
    expect(imported.carers.map(carer)).toEqual(pupil.carers.map(carer));
    const marksOf = async (pupilId: string, at: string) =>
      (await prisma.currentMark.findMany({ where: { pupilId, academyId: at } })).map((m) => `${m.date.toISOString().slice(0, 10)} ${m.session} ${m.code}`).sort();
    expect(await marksOf(imported.id, elsewhere.id)).toEqual(await marksOf(pupil.id, academyId));
    const again = await load(true);
    expect(Object.values(again.counts).every((c) => c.added === 0 && c.changed === 0)).toBe(true);
  });
});
