// Authorization rules of issue 13 (items 3, 4 and 5 and their Low items),
// through the real HTTP server on each back end: a refusal never commits, an
// API key never carries more than its creator, keys per trust are capped,
// tokens must expire, and case actions, letter templates and forms' names are
// for those who work cases or hold the form (README "Access").
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { API_CLIENTS_PER_TRUST, newApiKey } from "@attendance/schema";
import { configFromEnv, DEMO_JWT_SECRET } from "@attendance/server";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, tokenFor, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

const CREATE = `mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { key apiClient { id scopes } } }`;
const AMEND = `mutation ($input: AmendMarkInput!) { amendMark(input: $input) { id version } }`;

/** An HS256 JWT signed like the identity provider's, with exactly these claims (jose's SignJWT always adds what it is told to). */
function rawToken(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${part({ alg: "HS256", typ: "JWT" })}.${part(claims)}`;
  return `${body}.${createHmac("sha256", DEMO_JWT_SECRET).update(body).digest("base64url")}`;
}

describe.each(availableBackends())("authorization rules on %s", (kind) => {
  let t: TestServer;
  let woolwich: { id: string; urn: number; trustId: string };
  let att: { id: string; urn: number; trustId: string };

  /** A key stored directly (as a key made before these rules would be), with these scopes on these academies. */
  async function storedKey(trustId: string, scopes: string[], academyIds: string[]): Promise<Credentials> {
    const k = newApiKey();
    await t.db.prisma.apiClient.create({
      data: { trustId, name: `test ${scopes.join("+")}`, keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes, academies: { create: academyIds.map((academyId) => ({ academyId })) } },
    });
    return { name: `key ${scopes.join("+")}`, headers: { authorization: `Bearer ${k.key}` } };
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    woolwich = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Woolwich" } } });
    att = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "ATT Thurrock" } } });
  });
  afterAll(() => t?.close());

  describe("a refusal never commits (item 3)", () => {
    it("amendMark with a write:registers key and no read scope is FORBIDDEN and stores no version", async () => {
      const writer = await storedKey(woolwich.trustId, ["write:registers"], [woolwich.id]);
      const mark = await t.db.prisma.mark.findFirstOrThrow({ where: { academyId: woolwich.id, current: { isNot: null }, code: "/" }, orderBy: { id: "asc" } });
      const versions = () => t.db.prisma.mark.count({ where: { registerId: mark.registerId, pupilId: mark.pupilId } });
      const before = await versions();
      const res = await t.graphql(AMEND, { input: { markId: gid("Mark", mark.id), code: "M", reason: "Medical appointment" } }, writer.headers);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
      expect(res.data ?? null).toBeNull();
      expect(await versions()).toBe(before);
    });

    it("with read:attendance as well, the same key amends and reads the mark back", async () => {
      const writer = await storedKey(woolwich.trustId, ["read:attendance", "write:registers"], [woolwich.id]);
      const mark = await t.db.prisma.mark.findFirstOrThrow({ where: { academyId: woolwich.id, current: { isNot: null }, code: "/" }, orderBy: { id: "desc" } });
      const res = await t.graphql<{ amendMark: { version: number } }>(AMEND, { input: { markId: gid("Mark", mark.id), code: "M", reason: "Medical appointment" } }, writer.headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.amendMark.version).toBe(mark.version + 1);
    });
  });

  describe("API keys never beyond their creator (item 4)", () => {
    let admin: Credentials & { userId: string };
    beforeAll(async () => {
      admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Woolwich" });
    });

    it("a trust admin, who may not amend marks, may not create a write:registers key: FORBIDDEN naming the scope, nothing stored", async () => {
      const before = await t.db.prisma.apiClient.count();
      const res = await t.graphql(CREATE, { input: { name: "Writer", scopes: ["READ_ATTENDANCE", "WRITE_REGISTERS"], academyUrns: [woolwich.urn] } }, admin.headers);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
      expect(res.errors![0]!.message).toContain("write:registers");
      expect(await t.db.prisma.apiClient.count()).toBe(before);
    });

    it("a key made before this rule, by a creator without the capability, is bounded by its creator's roles when used", async () => {
      const k = newApiKey();
      await t.db.prisma.apiClient.create({
        data: {
          trustId: woolwich.trustId, name: "Old writer", keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes: ["read:attendance", "write:registers"],
          createdById: admin.userId, academies: { create: { academyId: woolwich.id } },
        },
      });
      const headers = { authorization: `Bearer ${k.key}` };
      const mark = await t.db.prisma.mark.findFirstOrThrow({ where: { academyId: woolwich.id, current: { isNot: null }, code: "/" }, orderBy: { recordedAt: "asc" } });
      const before = await t.db.prisma.mark.count();
      const res = await t.graphql(AMEND, { input: { markId: gid("Mark", mark.id), code: "M", reason: "Medical appointment" } }, headers);
      expect(codes(res)).toEqual(["FORBIDDEN"]);
      expect(await t.db.prisma.mark.count()).toBe(before);
      // What the creator holds, the key still may: read the academy.
      const read = await t.graphql<{ academy: { name: string } }>(`query ($urn: Int!) { academy(urn: $urn) { name } }`, { urn: woolwich.urn }, headers);
      expect(read.errors).toBeUndefined();
    });

    it("a scope without the scope it needs is refused (write:registers needs read:attendance)", async () => {
      const res = await t.graphql(CREATE, { input: { name: "Writer", scopes: ["WRITE_REGISTERS"], academyUrns: [woolwich.urn] } }, admin.headers);
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    });

    it("a trust admin who is also the academy's headteacher may create one for that academy", async () => {
      await t.db.prisma.roleAssignment.create({ data: { userId: admin.userId, role: "HEADTEACHER", trustId: woolwich.trustId, academyId: woolwich.id } });
      try {
        const res = await t.graphql<{ createApiClient: { apiClient: { scopes: string[] } } }>(
          CREATE,
          { input: { name: "Office MIS", scopes: ["READ_ATTENDANCE", "WRITE_REGISTERS"], academyUrns: [woolwich.urn] } },
          admin.headers,
        );
        expect(res.errors).toBeUndefined();
        expect(res.data!.createApiClient.apiClient.scopes.sort()).toEqual(["READ_ATTENDANCE", "WRITE_REGISTERS"]);
      } finally {
        await t.db.prisma.roleAssignment.deleteMany({ where: { userId: admin.userId, role: "HEADTEACHER" } });
      }
    });

    it(`caps a trust at ${API_CLIENTS_PER_TRUST} active keys with CONFLICT, also when created at once`, async () => {
      const vale = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Vale" });
      const stJames = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } });
      const active = () => t.db.prisma.apiClient.count({ where: { trustId: stJames.trustId, revokedAt: null } });
      // Fill to two below the cap, then ask for five at once: exactly two are made.
      const missing = API_CLIENTS_PER_TRUST - 2 - (await active());
      for (let i = 0; i < missing; i++) await storedKey(stJames.trustId, ["read:attendance"], [stJames.id]);
      const input = { name: "One of many", scopes: ["READ_ATTENDANCE"], academyUrns: [stJames.urn] };
      const answers = await Promise.all(Array.from({ length: 5 }, () => t.graphql(CREATE, { input }, vale.headers)));
      expect(answers.map((a) => codes(a)[0] ?? "OK").sort()).toEqual(["CONFLICT", "CONFLICT", "CONFLICT", "OK", "OK"]);
      expect(await active()).toBe(API_CLIENTS_PER_TRUST);
      // A revoked key makes room again.
      await t.db.prisma.apiClient.updateMany({ where: { trustId: stJames.trustId, name: "One of many" }, data: { revokedAt: new Date() } });
      expect(codes(await t.graphql(CREATE, { input }, vale.headers))).toEqual([]);
    });

    it("refuses a staff token without exp, and accepts the same token with one", async () => {
      const officer = await t.db.prisma.roleAssignment.findFirstOrThrow({ where: { role: "ATTENDANCE_OFFICER", academyId: woolwich.id } });
      const config = configFromEnv({});
      const claims = { sub: officer.userId, iss: config.JWT_ISSUER, aud: config.JWT_AUDIENCE, iat: Math.floor(Date.now() / 1000) };
      const query = `{ academies(first: 1) { totalCount } }`;
      const forever = await t.graphql(query, {}, { authorization: `Bearer ${rawToken(claims)}` });
      expect(codes(forever)).toEqual(["UNAUTHENTICATED"]);
      const expiring = await t.graphql(query, {}, { authorization: `Bearer ${rawToken({ ...claims, exp: claims.iat + 600 })}` });
      expect(expiring.errors).toBeUndefined();
    });
  });

  describe("cases, letter templates and forms' names (item 5)", () => {
    let caseActionId: string;
    beforeAll(async () => {
      const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: woolwich.id }, orderBy: { upn: "asc" } });
      const action = await t.db.prisma.caseAction.create({
        data: {
          academyId: woolwich.id, pupilId: pupil.id, triggerKey: "authz-rules-test", source: "ABSENCE_LADDER", kind: "MEETING",
          action: "Meet the family", dueOn: new Date("2025-10-01"), reason: "Attendance below 90%", rule: {}, evidence: {},
        },
      });
      caseActionId = gid("CaseAction", action.id);
    });

    const CASES = `query ($urn: Int!, $id: ID!) { academy(urn: $urn) { caseActions(first: 5) { totalCount } } node(id: $id) { id } }`;

    it.each([
      ["an API client with read:sensitive", "key"],
      ["a trust admin", "TRUST_ADMIN"],
    ])("case actions are FORBIDDEN to %s", async (_name, who) => {
      const as = who === "key" ? await storedKey(woolwich.trustId, ["read:attendance", "read:sensitive"], [woolwich.id]) : await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Woolwich" });
      const res = await t.graphql<{ academy: { caseActions: unknown } | null; node: unknown }>(CASES, { urn: woolwich.urn, id: caseActionId }, as.headers);
      expect(res.data?.academy?.caseActions ?? null).toBeNull();
      expect(res.data?.node ?? null).toBeNull();
      expect(codes(res)).toEqual(["FORBIDDEN", "FORBIDDEN"]);
      expect(JSON.stringify(res)).not.toContain("Meet the family");
    });

    it("case actions are read by staff who work cases (an attendance officer, the trust's attendance lead)", async () => {
      for (const as of [await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Woolwich" }), await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Woolwich" }).catch(() => null)]) {
        if (!as) continue;
        const res = await t.graphql<{ academy: { caseActions: { totalCount: number } } }>(CASES, { urn: woolwich.urn, id: caseActionId }, as.headers);
        expect(res.errors, as.name).toBeUndefined();
        expect(res.data!.academy.caseActions.totalCount).toBeGreaterThan(0);
      }
    });

    const POLICY = `query ($urn: Int!) { effectivePolicy(academyUrn: $urn, date: "2025-10-01") { settings { key } } }`;
    const ONE = `query ($urn: Int!) { effectivePolicy(academyUrn: $urn, date: "2025-10-01") { setting(key: "letters.templates") { key } } }`;
    const COMPARE = `query ($urn: Int!) { comparePolicies(academyUrns: [$urn], date: "2025-10-01") { key } }`;
    type Keys = { effectivePolicy: { settings: { key: string }[] } };

    it("letter templates are left out of effectivePolicy for a tutor and an API client, and shown to staff who work cases", async () => {
      const tutor = await staff(t.db.prisma, "TEACHER", { academyName: "ATT Thurrock" });
      const key = await storedKey(att.trustId, ["read:attendance", "read:sensitive"], [att.id]);
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "ATT Thurrock" });
      const keysFor = async (as: Credentials) => {
        const res = await t.graphql<Keys>(POLICY, { urn: att.urn }, as.headers);
        expect(res.errors, as.name).toBeUndefined();
        return res.data!.effectivePolicy.settings.map((s) => s.key);
      };
      expect(await keysFor(officer)).toContain("letters.templates");
      for (const as of [tutor, key]) {
        expect(await keysFor(as), as.name).not.toContain("letters.templates");
        expect(codes(await t.graphql(ONE, { urn: att.urn }, as.headers)), as.name).toEqual(["FORBIDDEN"]);
        const compared = await t.graphql<{ comparePolicies: { key: string }[] }>(COMPARE, { urn: att.urn }, as.headers);
        expect(compared.data!.comparePolicies.map((r) => r.key), as.name).not.toContain("letters.templates");
      }
    });

    it("formsTaken shows a tutor only the forms they hold", async () => {
      const tutor = await staff(t.db.prisma, "TEACHER", { academyName: "Woolwich" });
      const own = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: woolwich.id, tutors: { some: { userId: tutor.userId } } } });
      const other = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: woolwich.id, tutors: { none: { userId: tutor.userId } } } });
      const register = await t.db.prisma.register.create({ data: { academyId: woolwich.id, date: new Date("2026-06-30"), session: "PM" } });
      await t.db.prisma.registerSubmission.createMany({ data: [own, other].map((f) => ({ registerId: register.id, formId: f.id })) });
      const query = `query ($urn: Int!) { register(academyUrn: $urn, date: "2026-06-30", session: PM) { formsTaken } }`;
      const asTutor = await t.graphql<{ register: { formsTaken: string[] } }>(query, { urn: woolwich.urn }, tutor.headers);
      expect(asTutor.errors).toBeUndefined();
      expect(asTutor.data!.register.formsTaken).toEqual([own.name]);
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Woolwich" });
      const asOfficer = await t.graphql<{ register: { formsTaken: string[] } }>(query, { urn: woolwich.urn }, officer.headers);
      expect(asOfficer.data!.register.formsTaken).toEqual([own.name, other.name].sort());
    });
  });

  it("tokenFor still signs tokens that expire", async () => {
    const payload = JSON.parse(Buffer.from((await tokenFor("00000000-0000-0000-0000-000000000000")).split(".")[1]!, "base64url").toString());
    expect(typeof payload.exp).toBe("number");
  });
});
