// Access end to end: the cases issue 4 names, API clients and their keys,
// the academy header, rate limits, the public-API limits and the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { operationHash } from "@attendance/server";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

type Names = { academies: { totalCount: number; edges: { node: { name: string } }[] } };
const ACADEMY_NAMES = `{ academies(first: 50) { totalCount edges { node { name } } } }`;

function errorCodes(res: { errors?: { extensions?: Record<string, unknown> }[] }): unknown[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

describe.each(availableBackends())("access on %s", (kind) => {
  let t: TestServer;
  let stavertonOfficer: Credentials;
  let pdetLead: Credentials;
  let woolwichUrn: number;
  let woolwichUpn: string;

  beforeAll(async () => {
    t = await startTestServer(kind);
    stavertonOfficer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    pdetLead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const woolwich = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Woolwich" } } });
    woolwichUrn = woolwich.urn;
    woolwichUpn = (await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: woolwich.id } })).upn;
  });
  afterAll(() => t?.close());

  it("answers UNAUTHENTICATED, with no data, without credentials", async () => {
    const res = await t.graphql(ACADEMY_NAMES);
    expect(res.data ?? null).toBeNull();
    expect(errorCodes(res)).toEqual(["UNAUTHENTICATED"]);
  });

  it("refuses a forged or expired token for the whole request", async () => {
    const res = await fetch(`${t.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged" },
      body: JSON.stringify({ query: ACADEMY_NAMES }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe("UNAUTHENTICATED");
  });

  it("gives a Staverton attendance officer nothing for Woolwich pupils, answered as for unknown ones", async () => {
    const res = await t.graphql(
      `query ($urn: Int!, $upn: String!) { academy(urn: $urn) { name pupils(first: 5) { edges { node { upn } } } } pupil(upn: $upn) { upn } }`,
      { urn: woolwichUrn, upn: woolwichUpn },
      stavertonOfficer.headers,
    );
    // Another trust's academy and pupil are null without an error, as unknown
    // ones are, so the answer does not say they exist (issue 13, item 6).
    expect(res.data).toEqual({ academy: null, pupil: null });
    expect(errorCodes(res)).toEqual([]);
    expect(JSON.stringify(res)).not.toContain(woolwichUpn);
  });

  it("shows the Peterborough Diocese trust lead their own academies only", async () => {
    const res = await t.graphql<Names & { trusts: { edges: { node: { name: string } }[] } }>(
      `{ trusts(first: 10) { edges { node { name } } } ${ACADEMY_NAMES.slice(1, -1)} }`,
      {},
      pdetLead.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.trusts.edges.map((e) => e.node.name)).toEqual(["Peterborough Diocese Education Trust"]);
    // The trust's academies, from SQL: Staverton and its invented demo siblings (issue 15), and no other trust's.
    const own = await t.db.prisma.academy.findMany({ where: { trust: { name: "Peterborough Diocese Education Trust" } }, select: { name: true } });
    expect(own.map((a) => a.name)).toContain("Staverton CE Primary School");
    expect(own.length).toBeGreaterThan(1);
    expect(res.data!.academies.edges.map((e) => e.node.name).sort()).toEqual(own.map((a) => a.name).sort());
    expect(res.data!.academies.totalCount).toBe(own.length);
  });

  it("hides safeguarding flags from a teacher, and shows them to the attendance officer", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
    const query = `{ academies(first: 1) { edges { node { pupils(first: 3) { edges { node { upn senProvision lookedAfter hasSocialWorker } } } } } } }`;
    const asTeacher = await t.graphql<{ academies: { edges: { node: { pupils: { edges: { node: { lookedAfter: boolean | null } }[] } } }[] } }>(query, {}, teacher.headers);
    const pupils = asTeacher.data!.academies.edges[0]!.node.pupils.edges;
    expect(pupils.length).toBeGreaterThan(0);
    expect(pupils.every((p) => p.node.lookedAfter === null)).toBe(true);
    expect(new Set(errorCodes(asTeacher))).toEqual(new Set(["FORBIDDEN"]));
    const asOfficer = await t.graphql(query, {}, stavertonOfficer.headers);
    expect(asOfficer.errors).toBeUndefined();
  });

  it("limits a tutor's pupil list to their own forms", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Stanborough" });
    const forms = await t.db.prisma.formTutor.findMany({ where: { userId: teacher.userId } });
    const expected = await t.db.prisma.pupil.count({ where: { formId: { in: forms.map((f) => f.formId) } } });
    const res = await t.graphql<{ academies: { edges: { node: { pupils: { totalCount: number } } }[] } }>(
      `{ academies(first: 5) { edges { node { pupils(first: 1) { totalCount } } } } }`,
      {},
      teacher.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.academies.edges.map((e) => e.node.pupils.totalCount)).toEqual([expected]);
    expect(expected).toBeGreaterThan(0);
  });

  it("narrows a request to the academy in the X-Academy-URN header, and refuses one the actor may not see", async () => {
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    const own = await t.graphql<Names>(ACADEMY_NAMES, {}, { ...pdetLead.headers, "x-academy-urn": String(staverton.urn) });
    expect(own.data!.academies.totalCount).toBe(1);
    const other = await t.graphql(ACADEMY_NAMES, {}, { ...pdetLead.headers, "x-academy-urn": String(woolwichUrn) });
    expect(errorCodes(other)).toEqual(["FORBIDDEN"]);
    expect(other.data ?? null).toBeNull();
  });

  describe("API clients", () => {
    let admin: Credentials;
    let stJamesUrn: number;
    beforeAll(async () => {
      admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Vale" });
      stJamesUrn = (await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } })).urn;
    });

    async function create(input: Record<string, unknown>, as: Credentials = admin) {
      return t.graphql<{ createApiClient: { key: string; apiClient: { id: string; keyPrefix: string; scopes: string[] } } }>(
        `mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { key apiClient { id keyPrefix scopes academies { urn } } } }`,
        { input },
        as.headers,
      );
    }

    it("are created by a trust admin, shown once, stored hashed, and see only their academies and scopes", async () => {
      const res = await create({ name: "Parent app", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn] });
      expect(res.errors).toBeUndefined();
      const { key, apiClient } = res.data!.createApiClient;
      expect(key.startsWith(apiClient.keyPrefix)).toBe(true);
      const stored = await t.db.prisma.apiClient.findUniqueOrThrow({ where: { keyPrefix: apiClient.keyPrefix } });
      expect(stored.keyHash).not.toContain(key.slice(apiClient.keyPrefix.length + 1));

      const asClient = { authorization: `Bearer ${key}` };
      const names = await t.graphql<Names>(ACADEMY_NAMES, {}, asClient);
      expect(names.data!.academies.edges.map((e) => e.node.name)).toEqual(["St James CE Primary School"]);
      // No read:sensitive scope: safeguarding flags are refused.
      const flags = await t.graphql(`{ academies(first: 1) { edges { node { pupils(first: 1) { edges { node { lookedAfter } } } } } } }`, {}, { "x-api-key": key });
      expect(errorCodes(flags)).toContain("FORBIDDEN");
      // Nor may it manage API clients.
      const again = await create({ name: "Sneaky", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn] }, { name: "client", headers: asClient });
      expect(errorCodes(again)).toEqual(["FORBIDDEN"]);
    });

    it("refuse an academy outside the trust and bad input, creating nothing", async () => {
      const before = await t.db.prisma.apiClient.count();
      expect(errorCodes(await create({ name: "X", scopes: ["READ_ATTENDANCE"], academyUrns: [woolwichUrn] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create({ name: " ", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create({ name: "X", scopes: [], academyUrns: [stJamesUrn] }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create({ name: "X", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn], rateLimitPerMinute: 0 }))).toEqual(["BAD_USER_INPUT"]);
      expect(errorCodes(await create({ name: "X", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn] }, stavertonOfficer))).toEqual(["FORBIDDEN"]);
      expect(await t.db.prisma.apiClient.count()).toBe(before);
    });

    it("are listed for the trust admin only, and a revoked key is refused at once", async () => {
      const res = await create({ name: "Dashboard", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn] });
      const { key, apiClient } = res.data!.createApiClient;
      const list = await t.graphql<{ trusts: { edges: { node: { apiClients: { edges: { node: { keyPrefix: string } }[] } } }[] } }>(
        `{ trusts(first: 1) { edges { node { apiClients(first: 50) { edges { node { keyPrefix } } } } } } }`,
        {},
        admin.headers,
      );
      expect(list.data!.trusts.edges[0]!.node.apiClients.edges.map((e) => e.node.keyPrefix)).toContain(apiClient.keyPrefix);
      const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
      const asLead = await t.graphql(`{ trusts(first: 1) { edges { node { apiClients(first: 5) { totalCount } } } } }`, {}, lead.headers);
      expect(errorCodes(asLead)).toContain("FORBIDDEN");

      const revoked = await t.graphql<{ revokeApiClient: { revokedAt: string } }>(
        `mutation ($id: ID!) { revokeApiClient(id: $id) { revokedAt } }`,
        { id: apiClient.id },
        admin.headers,
      );
      expect(revoked.data!.revokeApiClient.revokedAt).toBeTruthy();
      const refused = await fetch(`${t.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ query: ACADEMY_NAMES }),
      });
      expect(refused.status).toBe(401);
    });

    it("are held to their rate limit with 429 and Retry-After", async () => {
      const res = await create({ name: "Busy", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn], rateLimitPerMinute: 3 });
      const key = res.data!.createApiClient.key;
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${t.server.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-api-key": key },
          body: JSON.stringify({ query: "{ academies(first: 1) { totalCount } }" }),
        });
        statuses.push(r.status);
        retryAfter ??= r.headers.get("retry-after");
        await r.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
    });

    it("may send persisted operations by hash", async () => {
      const res = await create({ name: "APQ", scopes: ["READ_ATTENDANCE"], academyUrns: [stJamesUrn] });
      const key = res.data!.createApiClient.key;
      const unknown = await fetch(`${t.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: operationHash("{ nothing }") } } }),
      });
      const body = (await unknown.json()) as { errors: { message: string }[] };
      expect(body.errors[0]!.message).toMatch(/PersistedQueryNotFound/);
      // The AcademyNames operation committed in persisted-operations.json.
      const known = await fetch(`${t.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-api-key": key },
        body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: "5849fd1018f67e7f22d33d880ee5a47574018f6c93c2d3569327d2740b0c8a44" } } }),
      });
      const names = (await known.json()) as Names;
      expect(names).toEqual({ data: { academies: { totalCount: 1, edges: [{ node: { name: "St James CE Primary School", urn: stJamesUrn } }] } } });
    });
  });

  describe("limits", () => {
    it("refuses a query past the depth limit before any resolver runs", async () => {
      // 17 levels: past the limit of 14.
      const deep = `{ trusts(first: 1) { edges { node { academies(first: 1) { edges { node { pupils(first: 1) { edges { node {
        form { academy { trust { academies(first: 1) { edges { node { name } } } } } } } } } } } } } } } }`;
      t.resetStatements();
      const res = await t.graphql(deep, {}, pdetLead.headers);
      expect(res.data ?? null).toBeNull();
      expect(res.errors![0]!.message).toMatch(/depth limit/i);
      // Authentication ran (it reads the user's roles); no resolver did.
      expect(t.statements.some((sql) => /"trust"|"pupil"/.test(sql) && !/role_assignment|form_tutor/.test(sql))).toBe(false);
    });

    it("refuses a query past the cost limit: lists multiply what they contain", async () => {
      const costly = `{ academies(first: 500) { edges { node { pupils(first: 500) { edges { node { upn displayName yearGroup form { name } } } } } } } }`;
      const res = await t.graphql(costly, {}, pdetLead.headers);
      expect(res.data ?? null).toBeNull();
      expect(res.errors![0]!.extensions?.code).toBe("COST_LIMIT_EXCEEDED");
      expect(res.errors![0]!.message).toMatch(/over the limit of/);
    });

    it("refuses an alias bomb and an oversized document", async () => {
      const aliases = Array.from({ length: 30 }, (_, i) => `a${i}: academies(first: 1) { totalCount }`).join(" ");
      const bomb = await t.graphql(`{ ${aliases} }`, {}, pdetLead.headers);
      expect(bomb.errors![0]!.message).toMatch(/aliases/i);
      const huge = await fetch(`${t.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...pdetLead.headers },
        body: JSON.stringify({ query: `{ academies(first: 1) { totalCount } } # ${"x".repeat(300_000)}` }),
      });
      expect(huge.status).toBe(413);
    });

    it("refuses a cross-site form post (CSRF)", async () => {
      const res = await fetch(`${t.server.url}/graphql?query=${encodeURIComponent("{ __typename }")}`, {
        headers: { ...pdetLead.headers },
      });
      expect(res.status).toBe(403);
    });

    it("masks unexpected errors", async () => {
      // A malformed UUID in a global ID reaches the database and fails there.
      const id = Buffer.from("Pupil:not-a-uuid").toString("base64");
      const res = await t.graphql(`query ($id: ID!) { node(id: $id) { id } }`, { id }, pdetLead.headers);
      expect(JSON.stringify(res)).not.toMatch(/uuid|prisma|invalid input syntax/i);
    });
  });

  it("writes an audit entry for every mutation, refused ones included", async () => {
    const before = await t.db.prisma.auditEntry.count();
    await t.graphql(`mutation { revokeApiClient(id: "${Buffer.from("ApiClient:00000000-0000-4000-8000-000000000000").toString("base64")}") { id } }`, {}, stavertonOfficer.headers);
    const entries = await t.db.prisma.auditEntry.findMany({ orderBy: { at: "desc" }, take: 1 });
    expect(await t.db.prisma.auditEntry.count()).toBe(before + 1);
    expect(entries[0]).toMatchObject({ actorKind: "user", outcome: "FORBIDDEN" });
    expect(entries[0]!.operation).toContain("revokeApiClient");
  });
});
