// Refusals that say how to fit (issue 16, item 7): a cost refusal names the
// limit, the cost found, the lists that drive it and the largest `first` that
// fits; Armor's limits no longer say "Syntax Error"; every FORBIDDEN names the
// capability or scope missing; the CSRF refusal names the header to send.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { newApiKey } from "@attendance/schema";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

type ErrorBody = { data?: unknown; errors?: { message: string; extensions?: Record<string, any> }[] };

describe.each(availableBackends())("refusals that say how to fit, on %s", (kind) => {
  let t: TestServer;
  let lead: Credentials;

  /** POSTs as JSON, accepting application/graphql-response+json unless told otherwise; the status and parsed body. */
  async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = lead.headers, accept = "application/graphql-response+json") {
    const res = await fetch(`${t.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as ErrorBody };
  }

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
  });
  afterAll(() => t?.close());

  describe("cost limit", () => {
    // The lead: every pupil of the trust, 500 a page, in one query.
    const inline = (first: number) => `{ trusts(first: 1) { edges { node { academies(first: 50) { edges { node { name pupils(first: ${first}) { edges { node { upn displayName yearGroup form { name } } } } } } } } } } }`;
    const withVariable = `query ($n: Int) { trusts(first: 1) { edges { node { academies(first: 50) { edges { node { name pupils(first: $n) { edges { node { upn displayName yearGroup form { name } } } } } } } } } } }`;

    it("names the limit, the cost, the lists that drive it and the largest `first` that fits; that value fits and one more does not", async () => {
      const { status, body } = await post(inline(500));
      expect(body.data ?? null).toBeNull();
      expect(status).toBe(400);
      const error = body.errors![0]!;
      expect(error.extensions!.code).toBe("COST_LIMIT_EXCEEDED");
      expect(error.message).not.toMatch(/syntax/i);
      const { cost, maxCost, drivers, fit } = error.extensions!;
      expect(maxCost).toBe(150_000);
      expect(cost).toBeGreaterThan(maxCost);
      expect(drivers[0]).toEqual({ field: "Academy.pupils", argument: "first", items: 500, occurrences: 1 });
      expect(drivers[1]).toEqual({ field: "Trust.academies", argument: "first", items: 50, occurrences: 1 });
      expect(fit.field).toBe("Academy.pupils");
      expect(fit.argument).toBe("first");
      expect(fit.atMost).toBeGreaterThan(1);
      expect(fit.atMost).toBeLessThan(500);
      expect(error.message).toContain(`would cost ${cost}, over the limit of ${maxCost}`);
      expect(error.message).toContain(`lower \`first\` on Academy.pupils to at most ${fit.atMost}`);

      // The advice is exact: at most fits, one more is refused, inline or as a variable.
      const fits = await post(inline(fit.atMost));
      expect(fits.body.errors).toBeUndefined();
      expect(fits.status).toBe(200);
      const over = await post(inline(fit.atMost + 1));
      expect(over.body.errors![0]!.extensions!.code).toBe("COST_LIMIT_EXCEEDED");
      const variableFits = await post(withVariable, { n: fit.atMost });
      expect(variableFits.body.errors).toBeUndefined();
      const variableOver = await post(withVariable, { n: 500 });
      expect(variableOver.body.errors![0]!.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", cost, fit });
    });

    it("answers 200 to a legacy application/json client, as yoga does for an invalid document", async () => {
      const { status, body } = await post(inline(500), {}, lead.headers, "application/json");
      expect(status).toBe(200);
      expect(body.errors![0]!.extensions!.code).toBe("COST_LIMIT_EXCEEDED");
      const invalid = await post("{ academies(first: 1) { edges { node { secret } } } }", {}, lead.headers, "application/json");
      expect(invalid.status).toBe(200);
    });

    it("for nodes(ids:), says how many ids fit", async () => {
      const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } }, include: { pupils: { take: 1 } } });
      const own = Buffer.from(`Pupil:${staverton.pupils[0]!.id}`).toString("base64");
      const { body } = await post("query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Pupil { academy { pupils(first: 500) { edges { node { upn } } } } } } }", { ids: Array.from({ length: 500 }, () => own) });
      const error = body.errors![0]!;
      expect(error.extensions!.code).toBe("COST_LIMIT_EXCEEDED");
      // Academy.pupils(first: 500) is the largest list; even one of it per id leaves room for some ids.
      expect(error.extensions!.fit.field).toBe("Academy.pupils");
      expect(error.message).toMatch(/To fit, lower `first` on Academy\.pupils to at most \d+/);
    });
  });

  describe("GraphQL Armor's limits, without 'Syntax Error'", () => {
    it.each([
      {
        name: "depth",
        // 17 levels of selection, which Armor counts as 16 (it does not count the operation's own braces): past the limit of 14.
        query: `{ trusts(first: 1) { edges { node { academies(first: 1) { edges { node { pupils(first: 1) { edges { node { form { academy { trust { academies(first: 1) { edges { node { name } } } } } } } } } } } } } } } }`,
        limit: { name: "maxDepth", max: 14, found: 16 },
        says: /nests fields 16 deep, over the depth limit of 14\. To fit, nest fewer lists/,
      },
      {
        name: "aliases",
        query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: academies(first: 1) { totalCount }`).join(" ")} }`,
        limit: { name: "maxAliases", max: 15, found: 20 },
        says: /uses 20 aliases, over the limit of 15/,
      },
      {
        name: "tokens",
        query: `{ ${"__typename ".repeat(2_100)} }`,
        limit: { name: "maxTokens", max: 2000, found: null },
        says: /more than 2000 tokens/,
      },
    ])("$name: names the limit, what was found and how to fit, 400 as an invalid document", async ({ query, limit, says }) => {
      const { status, body } = await post(query);
      expect(body.data ?? null).toBeNull();
      expect(status).toBe(400);
      const error = body.errors![0]!;
      expect(error.message).not.toMatch(/syntax error/i);
      expect(error.message).toMatch(says);
      expect(error.extensions!.limit).toEqual(limit);
      expect(typeof error.extensions!.code).toBe("string");
    });
  });

  describe("FORBIDDEN names what is missing", () => {
    const missingOf = (res: GraphQLResponse) => res.errors?.find((e) => e.extensions?.code === "FORBIDDEN")?.extensions?.missing as Record<string, unknown> | undefined;

    it("a tutor outside their forms: READ, held for the forms they tutor only", async () => {
      const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
      const forms = (await t.db.prisma.formTutor.findMany({ where: { userId: teacher.userId } })).map((f) => f.formId);
      const other = await t.db.prisma.pupil.findFirstOrThrow({ where: { academy: { name: { contains: "Staverton" } }, formId: { notIn: forms } } });
      const res = await t.graphql(`query ($id: ID!) { node(id: $id) { ... on Pupil { upn } } }`, { id: Buffer.from(`Pupil:${other.id}`).toString("base64") }, teacher.headers);
      expect(missingOf(res)).toMatchObject({ capabilities: ["READ"], formsOnly: true, scopes: ["READ_ATTENDANCE"] });
      expect(res.errors![0]!.message).toContain("Missing: the capability READ for this form (you hold it for the forms you tutor only)");
    });

    it("an API key without read:sensitive asking for a safeguarding flag: the scopes that grant it", async () => {
      const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
      const k = newApiKey();
      await t.db.prisma.apiClient.create({
        data: { trustId: staverton.trustId, name: "Limits test", keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes: ["read:attendance"], academies: { create: { academyId: staverton.id } } },
      });
      const res = await t.graphql(`query ($urn: Int!) { academy(urn: $urn) { pupils(first: 1) { edges { node { upn lookedAfter } } } } }`, { urn: staverton.urn }, { authorization: `Bearer ${k.key}` });
      expect(missingOf(res)).toEqual({
        capabilities: ["READ_SENSITIVE"], trustCapability: null, formsOnly: false,
        roles: ["TRUST_ADMIN", "TRUST_ATTENDANCE_LEAD", "HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER"],
        scopes: ["READ_ATTENDANCE", "READ_SENSITIVE"],
      });
      expect(res.errors![0]!.message).toContain("an API key needs the scopes read:attendance and read:sensitive");
    });

    it("a trust capability, refused by scope-auth (apiClients) and by a resolver (createApiClient)", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
      const listed = await t.graphql(`{ trusts(first: 1) { edges { node { name apiClients(first: 1) { totalCount } } } } }`, {}, officer.headers);
      expect(missingOf(listed)).toMatchObject({ capabilities: [], trustCapability: "MANAGE_API_CLIENTS", roles: ["TRUST_ADMIN"], scopes: [] });
      const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
      const before = await t.db.prisma.apiClient.count();
      const created = await t.graphql(`mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`, { input: { name: "x", scopes: ["READ_ATTENDANCE"], academyUrns: [staverton.urn] } }, officer.headers);
      expect(missingOf(created)).toMatchObject({ trustCapability: "MANAGE_API_CLIENTS", roles: ["TRUST_ADMIN"] });
      expect(created.errors![0]!.message).toContain("Missing: the MANAGE_API_CLIENTS capability across your trust (held by TRUST_ADMIN; no API key may do this).");
      expect(await t.db.prisma.apiClient.count()).toBe(before);
    });
  });

  describe("CSRF", () => {
    it("names the header to send, and the same request with it is answered", async () => {
      const url = `${t.server.url}/graphql?query=${encodeURIComponent("{ trusts(first: 1) { totalCount } }")}`;
      const refused = await fetch(url, { headers: { accept: "application/graphql-response+json", ...lead.headers } });
      expect(refused.status).toBe(403);
      const body = (await refused.json()) as ErrorBody;
      expect(body.errors![0]!.extensions).toMatchObject({ code: "CSRF_HEADER_REQUIRED", header: "x-graphql-yoga-csrf" });
      expect(body.errors![0]!.message).toContain("Send the header `x-graphql-yoga-csrf`");
      const answered = await fetch(url, { headers: { accept: "application/graphql-response+json", "x-graphql-yoga-csrf": "1", ...lead.headers } });
      expect(answered.status).toBe(200);
      expect(((await answered.json()) as { data: { trusts: { totalCount: number } } }).data.trusts.totalCount).toBe(1);
    });
  });
});
