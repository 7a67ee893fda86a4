// Administration through GraphQL (issue 15, items 1 and 6), end to end on the
// real server: each mutation works for the roles that may use it, is refused
// (FORBIDDEN, nothing written) for other roles, academies and trusts, and
// answers bad input with BAD_USER_INPUT and nothing written; a revoked role
// or tutor assignment ends with the holder's next request; pupils are found
// by partial, accent-insensitive names within what the caller may see; the
// audit log is readable by trust admins of its own trust only; reads of
// safeguarding flags are recorded once per request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, type PrismaClient } from "@attendance/db";
import { configFromEnv, DEMO_JWT_SECRET, signStaffToken } from "@attendance/server";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const rawId = (globalId: string) => Buffer.from(globalId, "base64").toString().split(":")[1]!;
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => String(e.extensions?.code));
const problemFields = (res: GraphQLResponse) =>
  (res.errors ?? []).flatMap((e) => ((e.extensions?.problems as { field: string }[] | undefined) ?? []).map((p) => p.field)).sort();
const config = configFromEnv({});
const bearer = async (subject: string) => ({
  authorization: `Bearer ${await signStaffToken(subject, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE })}`,
});

/** A digest of every table administration writes: a refusal or bad input must leave each as it was. */
async function written(prisma: PrismaClient): Promise<string> {
  const tables = ["academy", "form", "app_user", "role_assignment", "form_tutor", "carer", "pupil"];
  const parts = tables.map((table) => `SELECT '${table}' AS t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') AS v FROM "${table}" x`);
  const rows = await prisma.$queryRawUnsafe<{ t: string; v: string }[]>(parts.join(" UNION ALL "));
  return rows.map((r) => `${r.t}=${r.v}`).join("\n");
}

describe.each(availableBackends())("administration on %s", (kind) => {
  let t: TestServer;
  let prisma: PrismaClient;
  let trustAdmin: Credentials;
  let head: Credentials & { userId: string };
  let academyAdmin: Credentials & { userId: string };
  let officer: Credentials;
  let teacher: Credentials & { userId: string };
  let valeAdmin: Credentials;
  let staverton: { id: string; urn: number; policyPlugin: string | null; trustId: string };
  let trustSlug: string;
  let pupil: { id: string; upn: string; formId: string | null };
  const NEW_URN = 900_101;

  /** Runs `op` and checks it was refused with `code` and changed nothing. */
  async function refused(code: string, query: string, variables: Record<string, unknown>, who: Credentials) {
    const before = await written(prisma);
    const res = await t.graphql(query, variables, who.headers);
    expect(codes(res), `${who.name}: ${JSON.stringify(res).slice(0, 300)}`).toContain(code);
    expect(await written(prisma)).toBe(before);
    return res;
  }

  async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, who: Credentials | { headers: Record<string, string> }) {
    const res = await t.graphql<T>(query, variables, who.headers);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    prisma = t.db.prisma;
    trustAdmin = await staff(prisma, "TRUST_ADMIN", { trustName: "Peterborough" });
    head = await staff(prisma, "HEADTEACHER", { academyName: "Staverton" });
    academyAdmin = await staff(prisma, "ACADEMY_ADMIN", { academyName: "Staverton" });
    officer = await staff(prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    teacher = await staff(prisma, "TEACHER", { academyName: "Staverton" });
    valeAdmin = await staff(prisma, "TRUST_ADMIN", { trustName: "Vale" });
    const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } }, include: { trust: true } });
    staverton = academy;
    trustSlug = academy.trust.slug;
    const tutored = (await prisma.formTutor.findMany({ where: { userId: teacher.userId } })).map((f) => f.formId);
    pupil = await prisma.pupil.findFirstOrThrow({ where: { academyId: academy.id, formId: { notIn: tutored } }, orderBy: { upn: "asc" } });
  });
  afterAll(() => t?.close());

  describe("academies and forms", () => {
    const CREATE = `mutation NewAcademy($input: CreateAcademyInput!) { createAcademy(input: $input) { id urn name phase localAuthority { code } } }`;
    const UPDATE = `mutation RenameAcademy($input: UpdateAcademyInput!) { updateAcademy(input: $input) { urn name } }`;
    const CREATE_FORM = `mutation NewForm($input: CreateFormInput!) { createForm(input: $input) { id name yearGroup academy { urn } } }`;
    const input = () => ({ trustSlug, urn: NEW_URN, name: "Nene Valley Primary (test)", localAuthorityCode: 941, phase: "PRIMARY", policyPlugin: staverton.policyPlugin });

    it("lets a trust admin add an academy to their trust, audited with the academy", async () => {
      const data = await ok<{ createAcademy: { urn: number; localAuthority: { code: number } } }>(CREATE, { input: input() }, trustAdmin);
      expect(data.createAcademy).toMatchObject({ urn: NEW_URN, localAuthority: { code: 941 } });
      const created = await prisma.academy.findUniqueOrThrow({ where: { urn: NEW_URN } });
      expect(created.trustId).toBe(staverton.trustId);
      const entry = await prisma.auditEntry.findFirstOrThrow({ where: { operation: "NewAcademy: createAcademy", outcome: "OK" } });
      expect(entry.academyId).toBe(created.id);
    });

    it("refuses other roles and other trusts, with nothing written", async () => {
      const other = { ...input(), urn: NEW_URN + 1 };
      await refused("FORBIDDEN", CREATE, { input: other }, head);
      await refused("FORBIDDEN", CREATE, { input: other }, valeAdmin);
      await refused("FORBIDDEN", CREATE, { input: { ...other, trustSlug: "vale-academy-trust" } }, trustAdmin);
    });

    it("answers bad input with its problems and nothing written", async () => {
      const bad = await refused("BAD_USER_INPUT", CREATE, { input: { ...input(), urn: 12_345, name: " ", localAuthorityCode: 999, policyPlugin: "trust-vale-academy-trust" } }, trustAdmin);
      expect(problemFields(bad)).toEqual(["localAuthorityCode", "name", "policyPlugin", "urn"]);
      // A URN already used, here by another trust's academy: URNs are unique nationally.
      const taken = await refused("BAD_USER_INPUT", CREATE, { input: { ...input(), urn: 123_118 } }, trustAdmin);
      expect(problemFields(taken)).toEqual(["urn"]);
    });

    it("changes an academy of the trust, and refuses another trust's admin", async () => {
      const data = await ok<{ updateAcademy: { name: string } }>(UPDATE, { input: { academyUrn: NEW_URN, name: "Nene Valley Academy (test)" } }, trustAdmin);
      expect(data.updateAcademy.name).toBe("Nene Valley Academy (test)");
      await refused("FORBIDDEN", UPDATE, { input: { academyUrn: NEW_URN, name: "Taken over" } }, valeAdmin);
      await refused("FORBIDDEN", UPDATE, { input: { academyUrn: staverton.urn, name: "Renamed" } }, head);
      await refused("BAD_USER_INPUT", UPDATE, { input: { academyUrn: NEW_URN, phase: "SECONDARY", policyPlugin: "no-such-plugin" } }, trustAdmin);
    });

    it("adds forms in the phase's year groups, for the trust admin and the academy's own administrators", async () => {
      const data = await ok<{ createForm: { yearGroup: number; academy: { urn: number } } }>(CREATE_FORM, { input: { academyUrn: NEW_URN, name: "Reception Oak", yearGroup: 0 } }, trustAdmin);
      expect(data.createForm).toMatchObject({ yearGroup: 0, academy: { urn: NEW_URN } });
      await ok(CREATE_FORM, { input: { academyUrn: staverton.urn, name: "Year 6 Willow (test)", yearGroup: 6 } }, head);
      // A primary has no Year 9; a name is unique in its academy.
      const bad = await refused("BAD_USER_INPUT", CREATE_FORM, { input: { academyUrn: NEW_URN, name: "Year 9", yearGroup: 9 } }, trustAdmin);
      expect(problemFields(bad)).toEqual(["yearGroup"]);
      await refused("BAD_USER_INPUT", CREATE_FORM, { input: { academyUrn: NEW_URN, name: "Reception Oak", yearGroup: 0 } }, trustAdmin);
      // Staverton's headteacher has no say in the new academy; nobody outside the trust has.
      await refused("FORBIDDEN", CREATE_FORM, { input: { academyUrn: NEW_URN, name: "Year 1", yearGroup: 1 } }, head);
      await refused("FORBIDDEN", CREATE_FORM, { input: { academyUrn: staverton.urn, name: "Year 1 (x)", yearGroup: 1 } }, officer);
      await refused("FORBIDDEN", CREATE_FORM, { input: { academyUrn: staverton.urn, name: "Year 1 (x)", yearGroup: 1 } }, valeAdmin);
    });

    it("renames a form and moves it within the phase", async () => {
      const form = await prisma.form.findFirstOrThrow({ where: { academy: { urn: NEW_URN } } });
      const UPDATE_FORM = `mutation ($input: UpdateFormInput!) { updateForm(input: $input) { name yearGroup } }`;
      const data = await ok<{ updateForm: { name: string; yearGroup: number } }>(UPDATE_FORM, { input: { formId: gid("Form", form.id), name: "Year 1 Oak", yearGroup: 1 } }, trustAdmin);
      expect(data.updateForm).toEqual({ name: "Year 1 Oak", yearGroup: 1 });
      await refused("BAD_USER_INPUT", UPDATE_FORM, { input: { formId: gid("Form", form.id), yearGroup: 11 } }, trustAdmin);
      await refused("FORBIDDEN", UPDATE_FORM, { input: { formId: gid("Form", form.id), name: "Mine" } }, valeAdmin);
    });
  });

  describe("staff, roles and form tutors", () => {
    const INVITE = `mutation Invite($input: InviteStaffInput!) { inviteStaff(input: $input) { id email displayName subject roles { id role academy { urn } } } }`;
    const ASSIGN = `mutation ($input: AssignRoleInput!) { assignRole(input: $input) { id role revokedAt } }`;
    const REVOKE = `mutation Revoke($id: ID!) { revokeRole(roleAssignmentId: $id) { role revokedAt } }`;
    const TUTOR = `mutation ($input: FormTutorInput!) { assignFormTutor(input: $input) { revokedAt form { name } user { email } } }`;
    const UNTUTOR = `mutation ($input: FormTutorInput!) { revokeFormTutor(input: $input) { revokedAt } }`;
    const MY_PUPILS = `{ academies(first: 5) { edges { node { pupils(first: 100) { totalCount } } } } }`;
    const SUBJECT = "idp|new-teacher-0001";
    let newUser: { id: string; roles: { id: string; role: string }[] };

    it("lets the headteacher invite a teacher to their academy; the new user signs in by the identity provider's subject", async () => {
      const data = await ok<{ inviteStaff: typeof newUser & { email: string; subject: string } }>(
        INVITE, { input: { email: "New.Teacher@example.org", displayName: "Nia Newcomer", subject: SUBJECT, role: "TEACHER", academyUrn: staverton.urn } }, head,
      );
      newUser = data.inviteStaff;
      expect(data.inviteStaff).toMatchObject({ email: "new.teacher@example.org", subject: SUBJECT, roles: [{ role: "TEACHER", academy: { urn: staverton.urn } }] });
      // Signed in, a teacher with no forms yet sees no pupils.
      const mine = await ok<{ academies: { edges: { node: { pupils: { totalCount: number } } }[] } }>(MY_PUPILS, {}, { headers: await bearer(SUBJECT) });
      expect(mine.academies.edges.map((e) => e.node.pupils.totalCount)).toEqual([0]);
    });

    it("refuses to grant a role above one's own, elsewhere, or without an administering role", async () => {
      const invite = (role: string, academyUrn: number | null) => ({ input: { email: "someone@example.org", displayName: "Some One", role, academyUrn } });
      await refused("FORBIDDEN", INVITE, invite("HEADTEACHER", staverton.urn), academyAdmin);
      await refused("FORBIDDEN", INVITE, invite("TRUST_ADMIN", null), head);
      await refused("FORBIDDEN", INVITE, invite("TEACHER", NEW_URN), head);
      await refused("FORBIDDEN", INVITE, invite("TEACHER", staverton.urn), officer);
      await refused("FORBIDDEN", INVITE, invite("TEACHER", staverton.urn), teacher);
      await refused("FORBIDDEN", INVITE, invite("TEACHER", staverton.urn), valeAdmin);
      await refused("FORBIDDEN", ASSIGN, { input: { userId: newUser.id, role: "HEADTEACHER", academyUrn: staverton.urn } }, academyAdmin);
    });

    it("answers bad staff input with its problems and nothing written", async () => {
      const bad = await refused("BAD_USER_INPUT", INVITE, { input: { email: "not an address", displayName: "", subject: "has spaces", role: "TEACHER", academyUrn: staverton.urn } }, head);
      expect(problemFields(bad)).toEqual(["displayName", "email", "subject"]);
      await refused("BAD_USER_INPUT", INVITE, { input: { email: "x@example.org", displayName: "X", role: "TEACHER" } }, head);
      // A member of another trust's staff stays theirs (a second trust would stop their sign-in).
      const valeUser = await prisma.user.findFirstOrThrow({ where: { roles: { some: { trust: { slug: "vale-academy-trust" } } } } });
      await refused("BAD_USER_INPUT", INVITE, { input: { email: valeUser.email, displayName: "Poached", role: "TEACHER", academyUrn: staverton.urn } }, trustAdmin);
    });

    it("assigns roles once (CONFLICT the second time) and a form to its tutor, who then sees its pupils", async () => {
      const role = await ok<{ assignRole: { role: string; revokedAt: null } }>(ASSIGN, { input: { userId: newUser.id, role: "ATTENDANCE_OFFICER", academyUrn: staverton.urn } }, academyAdmin);
      expect(role.assignRole).toEqual(expect.objectContaining({ role: "ATTENDANCE_OFFICER", revokedAt: null }));
      await refused("CONFLICT", ASSIGN, { input: { userId: newUser.id, role: "ATTENDANCE_OFFICER", academyUrn: staverton.urn } }, academyAdmin);
      // The officer role sees the whole academy; revoke it again so the tutor rule shows.
      const officerRole = await prisma.roleAssignment.findFirstOrThrow({ where: { userId: rawId(newUser.id), role: "ATTENDANCE_OFFICER" } });
      await ok(REVOKE, { id: gid("RoleAssignment", officerRole.id) }, head);
      const form = await prisma.form.findUniqueOrThrow({ where: { id: pupil.formId! } });
      const tutorInput = { input: { formId: gid("Form", form.id), userId: newUser.id } };
      await refused("FORBIDDEN", TUTOR, tutorInput, officer);
      await refused("FORBIDDEN", TUTOR, tutorInput, valeAdmin);
      const tutor = await ok<{ assignFormTutor: { revokedAt: null; user: { email: string } } }>(TUTOR, tutorInput, head);
      expect(tutor.assignFormTutor).toMatchObject({ revokedAt: null, user: { email: "new.teacher@example.org" } });
      const inForm = await prisma.pupil.count({ where: { formId: form.id } });
      const mine = await ok<{ academies: { edges: { node: { pupils: { totalCount: number } } }[] } }>(MY_PUPILS, {}, { headers: await bearer(SUBJECT) });
      expect(mine.academies.edges[0]!.node.pupils.totalCount).toBe(inForm);
      await refused("CONFLICT", TUTOR, tutorInput, head);
    });

    it("takes a revoked tutor assignment and a revoked role away at the holder's next request, keeping both rows", async () => {
      const form = await prisma.form.findUniqueOrThrow({ where: { id: pupil.formId! } });
      const untutored = await ok<{ revokeFormTutor: { revokedAt: string } }>(UNTUTOR, { input: { formId: gid("Form", form.id), userId: newUser.id } }, academyAdmin);
      expect(untutored.revokeFormTutor.revokedAt).not.toBeNull();
      const mine = await ok<{ academies: { edges: { node: { pupils: { totalCount: number } } }[] } }>(MY_PUPILS, {}, { headers: await bearer(SUBJECT) });
      expect(mine.academies.edges[0]!.node.pupils.totalCount).toBe(0);

      const teacherRole = newUser.roles.find((r) => r.role === "TEACHER")!;
      await refused("FORBIDDEN", REVOKE, { id: teacherRole.id }, officer);
      await refused("FORBIDDEN", REVOKE, { id: teacherRole.id }, valeAdmin);
      const revoked = await ok<{ revokeRole: { revokedAt: string } }>(REVOKE, { id: teacherRole.id }, head);
      expect(revoked.revokeRole.revokedAt).not.toBeNull();
      const after = await t.graphql(MY_PUPILS, {}, await bearer(SUBJECT));
      expect(codes(after)).toContain("UNAUTHENTICATED");
      // Kept, with who revoked it; revoking again is a conflict.
      const row = await prisma.roleAssignment.findUniqueOrThrow({ where: { id: rawId(teacherRole.id) } });
      expect(row.revokedById).toBe(head.userId);
      await refused("CONFLICT", REVOKE, { id: teacherRole.id }, head);
      // Nobody revokes their own role.
      const own = await prisma.roleAssignment.findFirstOrThrow({ where: { userId: head.userId, revokedAt: null } });
      await refused("BAD_USER_INPUT", REVOKE, { id: gid("RoleAssignment", own.id) }, head);
    });

    it("changes a member of staff only for someone who could grant all their roles", async () => {
      const UPDATE = `mutation ($input: UpdateStaffInput!) { updateStaff(input: $input) { displayName subject } }`;
      await refused("FORBIDDEN", UPDATE, { input: { userId: gid("User", head.userId), subject: "idp|takeover" } }, academyAdmin);
      await refused("FORBIDDEN", UPDATE, { input: { userId: gid("User", academyAdmin.userId), displayName: "X" } }, valeAdmin);
      const data = await ok<{ updateStaff: { displayName: string } }>(UPDATE, { input: { userId: gid("User", academyAdmin.userId), displayName: "Ada Admin" } }, head);
      expect(data.updateStaff.displayName).toBe("Ada Admin");
    });
  });

  describe("carers and pupils' details", () => {
    const CREATE = `mutation AddCarer($input: CreateCarerInput!) { createCarer(input: $input) { id forename contactOrder relationship email noContact telephones { kind number } } }`;
    const UPDATE_PUPIL = `mutation ($input: UpdatePupilInput!) { updatePupil(input: $input) { preferredForename lookedAfter senProvision form { id } } }`;
    let order: number;

    beforeAll(async () => {
      order = ((await prisma.carer.aggregate({ where: { pupilId: pupil.id }, _max: { contactOrder: true } }))._max.contactOrder ?? 0) + 1;
    });
    const carer = () => ({
      pupilId: gid("Pupil", pupil.id), salutation: "Mx Example", forename: "Robin", surname: "Example", addressLines: ["1 Example Road", "Staverton"],
      relationship: "car", contactOrder: order, telephones: [{ kind: "MOBILE", number: "07700 900123" }, { kind: "HOME", number: "01632 960001" }], email: "robin@example.org",
    });

    it("adds a carer with validated telephones and e-mail, for the academy's administrators", async () => {
      const data = await ok<{ createCarer: { id: string; relationship: string; telephones: unknown[] } }>(CREATE, { input: carer() }, academyAdmin);
      expect(data.createCarer).toMatchObject({ relationship: "CAR", noContact: false, telephones: [{ kind: "MOBILE", number: "07700 900123" }, { kind: "HOME", number: "01632 960001" }] });
      const UPDATE = `mutation ($input: UpdateCarerInput!) { updateCarer(input: $input) { noContact email } }`;
      const changed = await ok<{ updateCarer: { noContact: boolean; email: null } }>(UPDATE, { input: { carerId: data.createCarer.id, noContact: true, email: null } }, head);
      expect(changed.updateCarer).toEqual({ noContact: true, email: null });
      await refused("FORBIDDEN", UPDATE, { input: { carerId: data.createCarer.id, noContact: false } }, valeAdmin);
    });

    it("refuses carers from the wrong roles and bad carer input, with nothing written", async () => {
      await refused("FORBIDDEN", CREATE, { input: { ...carer(), contactOrder: order + 1 } }, officer);
      await refused("FORBIDDEN", CREATE, { input: { ...carer(), contactOrder: order + 1 } }, teacher);
      await refused("FORBIDDEN", CREATE, { input: { ...carer(), contactOrder: order + 1 } }, valeAdmin);
      const bad = await refused("BAD_USER_INPUT", CREATE, {
        input: { ...carer(), contactOrder: order + 1, relationship: "ZZZ", email: "robin@", telephones: [{ kind: "HOME", number: "12" }] },
      }, head);
      expect(problemFields(bad)).toEqual(["email", "relationship", "telephones[0].number"]);
      // The contact priority is the pupil's carers' own: taken already.
      const taken = await refused("BAD_USER_INPUT", CREATE, { input: carer() }, head);
      expect(problemFields(taken)).toEqual(["contactOrder"]);
    });

    it("changes a pupil's details and flags for the academy's administrators only", async () => {
      const data = await ok<{ updatePupil: { preferredForename: string; lookedAfter: boolean; senProvision: string } }>(
        UPDATE_PUPIL, { input: { pupilId: gid("Pupil", pupil.id), preferredForename: "Zoë", lookedAfter: true, senProvision: "SEN_SUPPORT" } }, head,
      );
      expect(data.updatePupil).toMatchObject({ preferredForename: "Zoë", lookedAfter: true, senProvision: "SEN_SUPPORT" });
      await refused("FORBIDDEN", UPDATE_PUPIL, { input: { pupilId: gid("Pupil", pupil.id), lookedAfter: false } }, officer);
      await refused("FORBIDDEN", UPDATE_PUPIL, { input: { pupilId: gid("Pupil", pupil.id), lookedAfter: false } }, valeAdmin);
      const otherForm = await prisma.form.findFirstOrThrow({ where: { academy: { urn: NEW_URN } } });
      const bad = await refused("BAD_USER_INPUT", UPDATE_PUPIL, { input: { pupilId: gid("Pupil", pupil.id), formId: gid("Form", otherForm.id), yearGroup: 14, legalSurname: "" } }, trustAdmin);
      expect(problemFields(bad)).toEqual(["formId", "legalSurname", "yearGroup"]);
    });
  });

  describe("searchPupils", () => {
    const SEARCH = `query ($q: String!) { searchPupils(query: $q, first: 500) { totalCount edges { node { upn preferredForename legalSurname } } } }`;
    type Found = { searchPupils: { totalCount: number; edges: { node: { upn: string } }[] } };
    const upns = (d: Found) => d.searchPupils.edges.map((e) => e.node.upn);

    it("finds partial names whatever their case and accents, and UPN prefixes", async () => {
      // The pupil's preferred forename is Zoë (set above).
      const { legalSurname } = await prisma.pupil.findUniqueOrThrow({ where: { id: pupil.id } });
      for (const q of ["zoe", "ZOË", "Zo", `zoe ${legalSurname.slice(0, 3).toLowerCase()}`]) {
        expect(upns(await ok<Found>(SEARCH, { q }, officer)), q).toContain(pupil.upn);
      }
      expect(upns(await ok<Found>(SEARCH, { q: pupil.upn.slice(0, 9) }, officer))).toContain(pupil.upn);
      // A second word must match too.
      expect(upns(await ok<Found>(SEARCH, { q: "zoe qqqqq" }, officer))).not.toContain(pupil.upn);
    });

    it("finds only the pupils the caller may see", async () => {
      // The demo teacher does not tutor the pupil's form; another trust sees nothing of it.
      expect(upns(await ok<Found>(SEARCH, { q: "zoe" }, teacher))).not.toContain(pupil.upn);
      expect(upns(await ok<Found>(SEARCH, { q: "zoe" }, valeAdmin))).not.toContain(pupil.upn);
      expect(upns(await ok<Found>(SEARCH, { q: pupil.upn }, valeAdmin))).toEqual([]);
    });

    it("bounds the query", async () => {
      for (const q of ["z", " a ", "x".repeat(101), "a b c d e f"]) expect(codes(await t.graphql(SEARCH, { q }, officer.headers)), q).toContain("BAD_USER_INPUT");
    });
  });

  describe("the audit log and the read audit", () => {
    const LOG = `query Log($op: String, $urn: Int, $email: String, $from: DateTime, $to: DateTime) {
      auditLog(first: 100, operation: $op, academyUrn: $urn, actorEmail: $email, from: $from, to: $to) {
        totalCount edges { node { at actorKind actorEmail actorName academyUrn operation outcome variables } }
      }
    }`;
    type Log = { auditLog: { totalCount: number; edges: { node: { operation: string; outcome: string; academyUrn: number | null; actorEmail: string | null } }[] } };
    const nodes = (d: Log) => d.auditLog.edges.map((e) => e.node);

    it("shows a trust admin their trust's entries, filtered by operation, academy, actor and period", async () => {
      const carers = nodes(await ok<Log>(LOG, { op: "createCarer" }, trustAdmin));
      expect(carers.length).toBeGreaterThan(0);
      expect(carers.every((n) => n.operation.includes("createCarer"))).toBe(true);
      // Allowed and refused alike, each with its academy.
      expect(new Set(carers.map((n) => n.outcome))).toEqual(new Set(["OK", "FORBIDDEN", "BAD_USER_INPUT"]));
      const byName = nodes(await ok<Log>(LOG, { op: "AddCarer" }, trustAdmin));
      expect(byName.length).toBe(carers.length);
      const inNew = nodes(await ok<Log>(LOG, { urn: NEW_URN }, trustAdmin));
      expect(inNew.length).toBeGreaterThan(0);
      expect(inNew.every((n) => n.academyUrn === NEW_URN)).toBe(true);
      const adminEmail = (await prisma.user.findUniqueOrThrow({ where: { id: academyAdmin.userId } })).email;
      const byAdmin = nodes(await ok<Log>(LOG, { email: adminEmail.toUpperCase() }, trustAdmin));
      expect(byAdmin.length).toBeGreaterThan(0);
      expect(byAdmin.every((n) => n.actorEmail === adminEmail)).toBe(true);
      const future = nodes(await ok<Log>(LOG, { from: "2099-01-01T00:00:00Z" }, trustAdmin));
      expect(future).toEqual([]);
      expect(codes(await t.graphql(LOG, { from: "2020-01-01T00:00:00Z", to: "2025-01-01T00:00:00Z" }, trustAdmin.headers))).toContain("BAD_USER_INPUT");
    });

    it("shows another trust's admin none of it, and nobody else anything", async () => {
      const theirs = nodes(await ok<Log>(LOG, {}, valeAdmin));
      const ours = new Set((await prisma.user.findMany({ where: { roles: { some: { trustId: staverton.trustId } } }, select: { email: true } })).map((u) => u.email));
      expect(theirs.length).toBeGreaterThan(0);
      expect(theirs.some((n) => n.actorEmail !== null && ours.has(n.actorEmail))).toBe(false);
      expect(nodes(await ok<Log>(LOG, { urn: staverton.urn }, valeAdmin))).toEqual([]);
      for (const who of [head, officer, teacher]) expect(codes(await t.graphql(LOG, {}, who.headers))).toContain("FORBIDDEN");
    });

    it("records reads of safeguarding flags, SEN provision included, once per request however many pupils", async () => {
      const READ = `query Flags { academies(first: 5) { edges { node { pupils(first: 10) { edges { node { upn lookedAfter senProvision } } } } } } }`;
      const before = await prisma.auditEntry.count({ where: { operation: { startsWith: "read Flags" } } });
      await ok(READ, {}, officer);
      const rows = await prisma.auditEntry.findMany({ where: { operation: { startsWith: "read Flags" } }, orderBy: { at: "asc" } });
      expect(rows.length).toBe(before + 1);
      expect(rows.at(-1)!.operation).toBe("read Flags: Pupil.lookedAfter, Pupil.senProvision");
      expect((rows.at(-1)!.variables as { pupilIds: string[] }).pupilIds.length).toBe(10);
      // Readable by the trust admin through the log.
      const logged = nodes(await ok<Log>(LOG, { op: "read Flags" }, trustAdmin));
      expect(logged.length).toBe(before + 1);
    });
  });
});
