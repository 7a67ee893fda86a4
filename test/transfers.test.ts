// Transfers within a trust (issue 15, item 2), through the HTTP API on both
// back ends: a pupil moves from St James CE Primary to a sibling academy of
// Vale Academy Trust made here (invented: "Meadowbank Primary"), keeping the
// UPN, both enrolments and every mark; the leaving enrolment closes the day
// before on the ground "registered at another school" (School Attendance
// (Pupil Registration) (England) Regulations 2024, reg. 9(1)); the penalty
// notice window, statistics and mark lists read both rolls for the receiving
// academy, while the academy left keeps its own marks only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, tokenFor, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const problems = (res: GraphQLResponse) => (res.errors?.[0]?.extensions?.problems ?? []) as { field: string; reason?: string; message: string }[];

const TAKE = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`;
const TRANSFER = `mutation ($input: TransferPupilInput!) { transferPupil(input: $input) {
  id upn academy { urn } form { name } enrolments { onRollFrom onRollTo deletionGround deletionNote } } }`;
type Transferred = { transferPupil: { id: string; upn: string; academy: { urn: number }; form: { name: string } | null; enrolments: { onRollFrom: string; onRollTo: string | null; deletionGround: string | null }[] } };
const CANDIDATES = `query ($urn: Int!, $asOf: Date!) { academy(urn: $urn) { penaltyNoticeCandidates(asOf: $asOf) {
  pupil { id } threshold { reached schoolWeeks from to sessions { date session code academyUrn } reason } parents { carer { id } offered nth } } } }`;
type Candidates = { academy: { penaltyNoticeCandidates: { pupil: { id: string }; parents: { carer: { id: string }; offered: boolean; nth: number }[]; threshold: { reached: boolean; sessions: { date: string; session: string; code: string; academyUrn: number | null }[]; reason: string } }[] } };
const ACADEMY_FIGURES = `query ($urn: Int!, $from: Date!, $to: Date!) { academy(urn: $urn) { attendance(from: $from, to: $to) { total { possibleSessions unauthorisedAbsence } } } }`;
type AcademyFigures = { academy: { attendance: { total: { possibleSessions: number; unauthorisedAbsence: number } } } };

// Six unauthorised sessions at the leaving academy, four at the receiving one,
// inside two school weeks (the national framework's 10 sessions in a rolling
// 10 school weeks, "within one or more schools").
const AT_ST_JAMES = [["2025-11-03", "AM"], ["2025-11-03", "PM"], ["2025-11-04", "AM"], ["2025-11-04", "PM"], ["2025-11-05", "AM"], ["2025-11-05", "PM"]] as const;
const TRANSFER_DATE = "2025-11-10";
const AT_MEADOWBANK = [["2025-11-10", "AM"], ["2025-11-10", "PM"], ["2025-11-11", "AM"], ["2025-11-11", "PM"]] as const;
const PERIOD = { from: "2025-11-03", to: "2025-11-14" };

describe.each(availableBackends())("transfers within a trust on %s", (kind) => {
  let t: TestServer;
  let stJames: { id: string; urn: number; trustId: string };
  let meadowbank: { id: string; urn: number };
  let formId: string;
  let pupil: { id: string; upn: string };
  let otherTrustPupilUpn: string;
  let stanboroughUrn: number;
  let head: Credentials;
  let officer: Credentials;
  let stJamesOfficer: Credentials;
  let stJamesHead: Credentials;
  let valeAdmin: Credentials;
  let otherAdmin: Credentials;

  async function take(who: Credentials, urn: number, date: string, session: string, code: string) {
    const res = await t.graphql(TAKE, { input: { academyUrn: urn, date, session, marks: [{ pupilId: gid("Pupil", pupil.id), code }] } }, who.headers);
    return res;
  }

  /** The rows a refused transfer must leave as they were. */
  async function snapshot() {
    const p = t.db.prisma;
    return {
      pupil: await p.pupil.findUniqueOrThrow({ where: { id: pupil.id }, select: { academyId: true, formId: true, upn: true } }),
      enrolments: await p.enrolment.findMany({ where: { pupilId: pupil.id }, orderBy: { onRollFrom: "asc" } }),
      returns: await p.localAuthorityNotification.count({ where: { pupilId: pupil.id } }),
    };
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 2 } });
    const p = t.db.prisma;
    const sj = await p.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } });
    stJames = { id: sj.id, urn: sj.urn, trustId: sj.trustId };
    // A second academy in St James's trust, made here (the demo holds one per trust).
    const made = await p.academy.create({
      data: { trustId: sj.trustId, localAuthorityId: sj.localAuthorityId, urn: 990_115, name: "Meadowbank Primary (invented)", phase: sj.phase },
    });
    meadowbank = { id: made.id, urn: made.urn };
    // Its calendar: St James's own half terms for the year (the trust's closures apply to both).
    const terms = await p.schoolTerm.findMany({ where: { academyId: sj.id, replacedAt: null } });
    await p.schoolTerm.createMany({ data: terms.map((x) => ({ trustId: x.trustId, academyId: made.id, academicYear: x.academicYear, name: x.name, startDate: x.startDate, endDate: x.endDate })) });
    const chosen = await p.pupil.findFirstOrThrow({
      where: { academyId: sj.id, currentMarks: { none: { code: { in: ["G", "N", "O", "U"] } } }, enrolments: { some: { onRollTo: null } } },
      orderBy: { upn: "asc" },
    });
    pupil = { id: chosen.id, upn: chosen.upn };
    formId = (await p.form.create({ data: { academyId: made.id, name: "Oak", yearGroup: chosen.yearGroup } })).id;
    const user = async (email: string, role: "HEADTEACHER" | "ATTENDANCE_OFFICER") => {
      const u = await p.user.create({ data: { email, displayName: `Invented ${role.toLowerCase()}` } });
      await p.roleAssignment.create({ data: { userId: u.id, role, trustId: sj.trustId, academyId: made.id } });
      return { name: `${role} of Meadowbank`, headers: { authorization: `Bearer ${await tokenFor(u.id)}` } };
    };
    head = await user("head.meadowbank@example.org", "HEADTEACHER");
    officer = await user("office.meadowbank@example.org", "ATTENDANCE_OFFICER");
    stJamesOfficer = await staff(p, "ATTENDANCE_OFFICER", { academyName: "St James" });
    stJamesHead = await staff(p, "HEADTEACHER", { academyName: "St James" });
    valeAdmin = await staff(p, "TRUST_ADMIN", { trustName: "Vale" });
    otherAdmin = await staff(p, "TRUST_ADMIN", { trustName: "Peterborough" });
    const stanborough = await p.academy.findFirstOrThrow({ where: { name: { contains: "Stanborough" } } });
    stanboroughUrn = stanborough.urn;
    otherTrustPupilUpn = (await p.pupil.findFirstOrThrow({ where: { academyId: stanborough.id } })).upn;
  });
  afterAll(() => t?.close());

  it("refuses, changing nothing: the leaving academy's staff, another trust, an academy or pupil outside the trust, a bad date", async () => {
    const before = await snapshot();
    const input = { upn: pupil.upn, toAcademyUrn: meadowbank.urn, date: TRANSFER_DATE };
    // Only the receiving academy's headteacher/admin or a trust admin may move a pupil in.
    expect(codes(await t.graphql(TRANSFER, { input }, stJamesOfficer.headers))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.graphql(TRANSFER, { input }, stJamesHead.headers))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.graphql(TRANSFER, { input }, officer.headers))).toEqual(["FORBIDDEN"]);
    expect(codes(await t.graphql(TRANSFER, { input }, {}))).toEqual(["UNAUTHENTICATED"]);
    // Another trust's admin: the URN is not one of their trust's (answered as an unknown one).
    const other = await t.graphql(TRANSFER, { input }, otherAdmin.headers);
    expect(codes(other)).toEqual(["BAD_USER_INPUT"]);
    expect(problems(other)[0]).toMatchObject({ field: "toAcademyUrn", reason: "NOT_IN_TRUST" });
    // Both academies in one trust: an academy of another trust is refused.
    const outside = await t.graphql(TRANSFER, { input: { ...input, toAcademyUrn: stanboroughUrn } }, valeAdmin.headers);
    expect(problems(outside)[0]).toMatchObject({ field: "toAcademyUrn", reason: "NOT_IN_TRUST" });
    // Another trust's pupil is not found (a child from another trust is admitted with admitPupil).
    const stranger = await t.graphql(TRANSFER, { input: { ...input, upn: otherTrustPupilUpn } }, head.headers);
    expect(problems(stranger)[0]).toMatchObject({ field: "upn", reason: "NOT_IN_TRUST" });
    // Already at the academy.
    const same = await t.graphql(TRANSFER, { input: { ...input, toAcademyUrn: stJames.urn } }, valeAdmin.headers);
    expect(problems(same).map((x) => x.reason)).toContain("SAME_ACADEMY");
    // A form of another academy.
    const stJamesForm = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: stJames.id } });
    expect(problems(await t.graphql(TRANSFER, { input: { ...input, formId: gid("Form", stJamesForm.id) } }, head.headers))[0]).toMatchObject({ field: "formId" });
    // Admitting the UPN afresh is refused, pointing at transferPupil.
    const ADMIT = `mutation ($input: AdmitPupilInput!) { admitPupil(input: $input) { id } }`;
    const admit = await t.graphql(ADMIT, {
      input: { academyUrn: meadowbank.urn, upn: pupil.upn, legalForename: "Sam", legalSurname: "Example", dateOfBirth: "2018-03-01", gender: "OTHER", yearGroup: 2, onRollFrom: TRANSFER_DATE },
    }, head.headers);
    expect(codes(admit)).toEqual(["BAD_USER_INPUT"]);
    expect(problems(admit)[0]).toMatchObject({ field: "upn", reason: "KNOWN_IN_TRUST" });
    expect(problems(admit)[0]!.message).toMatch(/transferPupil/);
    expect(await snapshot()).toEqual(before);
    // Every attempt is audited, refusals included.
    expect(await t.db.prisma.auditEntry.count({ where: { operation: { contains: "transferPupil" } } })).toBeGreaterThanOrEqual(8);
  });

  it("moves the pupil: UPN kept, both enrolments listed, the leaving roll closed the day before on reg. 9(1)'s ground, both returns queued", async () => {
    for (const [date, session] of AT_ST_JAMES) expect((await take(stJamesOfficer, stJames.urn, date, session, "O")).errors).toBeUndefined();
    const baseline = await t.graphql<AcademyFigures>(ACADEMY_FIGURES, { urn: stJames.urn, ...PERIOD }, stJamesOfficer.headers);
    expect(baseline.errors).toBeUndefined();

    // The leaving academy has marks on 5 November: a transfer dated then is refused, nothing changed.
    const before = await snapshot();
    const early = await t.graphql(TRANSFER, { input: { upn: pupil.upn, toAcademyUrn: meadowbank.urn, date: "2025-11-05" } }, head.headers);
    expect(problems(early).map((x) => x.reason)).toEqual(["MARKS_AFTER_TRANSFER"]);
    expect(await snapshot()).toEqual(before);

    const moved = await t.graphql<Transferred>(TRANSFER, { input: { upn: pupil.upn, toAcademyUrn: meadowbank.urn, date: TRANSFER_DATE, formId: gid("Form", formId) } }, head.headers);
    expect(moved.errors).toBeUndefined();
    const p = moved.data!.transferPupil;
    expect(p.upn).toBe(pupil.upn);
    expect(p.id).toBe(gid("Pupil", pupil.id));
    expect(p.academy.urn).toBe(meadowbank.urn);
    expect(p.form?.name).toBe("Oak");
    expect(p.enrolments).toHaveLength(2);
    expect(p.enrolments[0]).toMatchObject({ onRollTo: "2025-11-09", deletionGround: "REGISTERED_ELSEWHERE" });
    expect(p.enrolments[1]).toMatchObject({ onRollFrom: TRANSFER_DATE, onRollTo: null, deletionGround: null });
    const returns = await t.db.prisma.localAuthorityNotification.findMany({ where: { pupilId: pupil.id }, select: { academyId: true, kind: true } });
    expect(returns).toEqual(expect.arrayContaining([{ academyId: stJames.id, kind: "DELETION" }, { academyId: meadowbank.id, kind: "NEW_ENTRY" }]));
    expect(await t.db.prisma.auditEntry.count({ where: { operation: { contains: "transferPupil" }, outcome: "OK" } })).toBe(1);

    // The leaving academy may no longer mark the pupil from the transfer date; the receiving one may.
    expect(codes(await take(stJamesOfficer, stJames.urn, TRANSFER_DATE, "AM", "O"))).toEqual(["BAD_USER_INPUT"]);
    for (const [date, session] of AT_MEADOWBANK) expect((await take(officer, meadowbank.urn, date, session, "O")).errors).toBeUndefined();

    // The academy left keeps its own figures: the pupil's six sessions there, none of the four since.
    const after = await t.graphql<AcademyFigures>(ACADEMY_FIGURES, { urn: stJames.urn, ...PERIOD }, stJamesOfficer.headers);
    expect(after.data!.academy.attendance.total).toEqual(baseline.data!.academy.attendance.total);
    const receiving = await t.graphql<AcademyFigures>(ACADEMY_FIGURES, { urn: meadowbank.urn, ...PERIOD }, head.headers);
    expect(receiving.data!.academy.attendance.total).toEqual({ possibleSessions: 4, unauthorisedAbsence: 4 });
  });

  it("reads both rolls for the receiving academy: the penalty notice window, the pupil's statistics, marks and enrolments", async () => {
    // National framework for penalty notices (DfE, "Working together to improve
    // school attendance", Aug 2024): 10 sessions of unauthorised absence in a
    // rolling 10 school weeks, which "can be within one or more schools".
    const res = await t.graphql<Candidates>(CANDIDATES, { urn: meadowbank.urn, asOf: "2025-11-14" }, officer.headers);
    expect(res.errors).toBeUndefined();
    const mine = res.data!.academy.penaltyNoticeCandidates.find((c) => c.pupil.id === gid("Pupil", pupil.id));
    expect(mine?.threshold.reached).toBe(true);
    expect(mine!.threshold.sessions.map((s) => `${s.date} ${s.session} ${s.academyUrn}`)).toEqual([
      ...AT_ST_JAMES.map(([d, s]) => `${d} ${s} ${stJames.urn}`),
      ...AT_MEADOWBANK.map(([d, s]) => `${d} ${s} ${meadowbank.urn}`),
    ]);
    // The parents came with the child: a first notice is offered to each with parental responsibility.
    const carers = await t.db.prisma.carer.findMany({ where: { pupilId: pupil.id, parentalResponsibility: true } });
    expect(carers.length).toBeGreaterThan(0);
    expect(carers.every((c) => c.academyId === meadowbank.id)).toBe(true);
    expect(mine!.parents).toHaveLength(carers.length);
    expect(mine!.parents.every((x) => x.offered && x.nth === 1)).toBe(true);
    // Nine would not do: as of the day before the fourth session at the new school.
    const nine = await t.graphql<Candidates>(CANDIDATES, { urn: meadowbank.urn, asOf: "2025-11-10" }, officer.headers);
    expect(nine.data!.academy.penaltyNoticeCandidates.find((c) => c.pupil.id === gid("Pupil", pupil.id))).toBeUndefined();
    // The academy left no longer lists them: the pupil is the receiving academy's to assess.
    const left = await t.graphql<Candidates>(CANDIDATES, { urn: stJames.urn, asOf: "2025-11-14" }, stJamesOfficer.headers);
    expect(left.errors).toBeUndefined();
    expect(left.data!.academy.penaltyNoticeCandidates.find((c) => c.pupil.id === gid("Pupil", pupil.id))).toBeUndefined();

    // The pupil's own statistics and marks span both rolls.
    const PUPIL = `query ($upn: String!, $from: Date!, $to: Date!) { pupil(upn: $upn) { upn
      attendance(from: $from, to: $to) { total { possibleSessions unauthorisedAbsence attendanceRate } }
      marks(first: 50, from: $from, to: $to) { totalCount edges { node { date session code academyUrn } } }
      enrolments { onRollFrom onRollTo deletionGround } } }`;
    type PupilAnswer = { pupil: { upn: string; attendance: { total: { possibleSessions: number; unauthorisedAbsence: number; attendanceRate: number | null } }; marks: { totalCount: number; edges: { node: { date: string; academyUrn: number } }[] }; enrolments: unknown[] } };
    for (const who of [head, officer, valeAdmin]) {
      const r = await t.graphql<PupilAnswer>(PUPIL, { upn: pupil.upn, ...PERIOD }, who.headers);
      expect(r.errors, `${who.name}: ${JSON.stringify(r.errors)}`).toBeUndefined();
      expect(r.data!.pupil.attendance.total).toEqual({ possibleSessions: 10, unauthorisedAbsence: 10, attendanceRate: 0 });
      expect(r.data!.pupil.marks.totalCount).toBe(10);
      expect(new Set(r.data!.pupil.marks.edges.map((e) => e.node.academyUrn))).toEqual(new Set([stJames.urn, meadowbank.urn]));
      expect(r.data!.pupil.enrolments).toHaveLength(2);
    }
    // Those who work cases at the receiving academy reach the parents.
    const withCarers = await t.graphql<{ pupil: { carers: { surname: string }[] } }>(`query ($upn: String!) { pupil(upn: $upn) { carers { surname } } }`, { upn: pupil.upn }, officer.headers);
    expect(withCarers.errors).toBeUndefined();
    expect(withCarers.data!.pupil.carers.length).toBeGreaterThan(0);
  });

  it("puts the pupil on the receiving academy's absence ladder by their attendance this school year at both academies", async () => {
    const SET = `mutation ($input: SetAcademyPolicyInput!) { setAcademyPolicy(input: $input) { __typename } }`;
    const set = await t.graphql(SET, { input: {
      academyUrn: meadowbank.urn, effectiveFrom: "2025-09-01", reason: "Invented ladder for the test",
      settings: { absenceLadder: [{ below: 0.9, actions: ["Letter home"] }, { below: 0.25, actions: ["Meeting"] }] },
    } }, head.headers);
    expect(set.errors, JSON.stringify(set.errors)).toBeUndefined();
    const Q = `query ($upn: String!) { pupil(upn: $upn) { absenceLadder(asOf: "2025-11-14") { below reached }
      attendance(from: "2025-09-01", to: "2025-11-14") { total { possibleSessions attendanceRate } } } }`;
    const r = await t.graphql<{ pupil: { absenceLadder: { below: number; reached: boolean }[]; attendance: { total: { possibleSessions: number; attendanceRate: number } } } }>(Q, { upn: pupil.upn }, head.headers);
    expect(r.errors).toBeUndefined();
    // The demo's autumn registers at St James (present) and the ten absences at both: over 25%, under 90%.
    // Read at the receiving academy alone (4 sessions, all absent) it would be 0% and reach both steps.
    const { possibleSessions, attendanceRate } = r.data!.pupil.attendance.total;
    expect(possibleSessions).toBeGreaterThan(10);
    expect(attendanceRate).toBeGreaterThan(0.25);
    expect(attendanceRate).toBeLessThan(0.9);
    expect(r.data!.pupil.absenceLadder.map((s) => s.reached)).toEqual([true, false]);
  });

  it("keeps the academy left to its own data: no pupil record, no new marks, its own marks still its own", async () => {
    // The pupil is now on another academy's record: not theirs to read.
    const pupilRead = await t.graphql(`query ($upn: String!) { pupil(upn: $upn) { upn } }`, { upn: pupil.upn }, stJamesOfficer.headers);
    expect(codes(pupilRead)).toEqual(["FORBIDDEN"]);
    // A new mark, by id, and the new academy's register: refused.
    const newMark = await t.db.prisma.mark.findFirstOrThrow({ where: { pupilId: pupil.id, academyId: meadowbank.id } });
    const node = await t.graphql<{ node: unknown }>(`query ($id: ID!) { node(id: $id) { ... on Mark { code } } }`, { id: gid("Mark", newMark.id) }, stJamesOfficer.headers);
    expect(node.data?.node ?? null).toBeNull();
    expect(codes(node)).toEqual(["FORBIDDEN"]);
    const register = await t.graphql(`query { register(academyUrn: ${meadowbank.urn}, date: "2025-11-10", session: AM) { marks(first: 5) { totalCount } } }`, {}, stJamesOfficer.headers);
    expect(codes(register)).toEqual(["FORBIDDEN"]);
    // Its own mark of the pupil, by id, it still reads (its register, reg. 14: kept six years).
    const oldMark = await t.db.prisma.mark.findFirstOrThrow({ where: { pupilId: pupil.id, academyId: stJames.id, code: "O" } });
    const own = await t.graphql<{ node: { code: string } | null }>(`query ($id: ID!) { node(id: $id) { ... on Mark { code } } }`, { id: gid("Mark", oldMark.id) }, stJamesOfficer.headers);
    expect(own.errors).toBeUndefined();
    expect(own.data!.node?.code).toBe("O");
    // A teacher of the academy left sees nothing of the pupil either.
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "St James" });
    expect(codes(await t.graphql(`query ($id: ID!) { node(id: $id) { ... on Mark { code } } }`, { id: gid("Mark", newMark.id) }, teacher.headers))).toEqual(["FORBIDDEN"]);
  });
});
