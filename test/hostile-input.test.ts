// A corpus of malformed and hostile requests, each answered with a clear error
// (a typed GraphQL error, or an HTTP status for what is not GraphQL at all)
// and none changing anything (issue 8).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";
import { postChunked } from "./support/chunked.ts";

interface Case {
  name: string;
  /** A raw body (string) or a GraphQL request. */
  body: string | { query: string; variables?: Record<string, unknown> };
  contentType?: string;
  /** The HTTP status, and the error code when the answer is GraphQL. */
  status: number;
  code?: string;
}

describe("hostile input", () => {
  let t: TestServer;
  let officer: Credentials;
  let cases: Case[];

  beforeAll(async () => {
    t = await startTestServer("pglite", { demo: { pupilsPerForm: 3, weeks: 1 } });
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } }, include: { pupils: { take: 1 } } });
    const woolwich = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Woolwich" } }, include: { pupils: { take: 1 } } });
    const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
    const take = (marks: unknown[], date = "2025-11-03", urn = staverton.urn) => ({
      query: `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`,
      variables: { input: { academyUrn: urn, date, session: "AM", marks } },
    });
    const own = gid("Pupil", staverton.pupils[0]!.id);
    cases = [
      { name: "not JSON", body: "{ this is not json", contentType: "application/json", status: 400 },
      { name: "no query", body: { query: "" }, status: 200, code: "PERSISTED_QUERY_ID_REQUIRED" },
      { name: "a syntax error", body: { query: "{ academies(first: 1) { edges { node { name }" }, status: 400, code: "GRAPHQL_PARSE_FAILED" },
      { name: "an unknown field", body: { query: "{ academies(first: 1) { edges { node { secret } } } }" }, status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
      { name: "an oversized document", body: { query: `{ ${"__typename ".repeat(30_000)} }` }, status: 413 },
      // Limits on the whole document (depth, aliases, cost) answer 400 to a
      // client that accepts application/graphql-response+json, as an invalid
      // document does: GraphQL over HTTP, a response without data is 4xx (issue 16, item 7).
      { name: "deep nesting", body: { query: `{ trusts(first: 1) { edges { node { ${"academies(first: 1) { edges { node { trust { ".repeat(5)} name ${"} } } } ".repeat(5)} } } } }` }, status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
      { name: "an alias bomb", body: { query: `{ ${Array.from({ length: 20 }, (_, i) => `a${i}: academies(first: 1) { totalCount }`).join(" ")} }` }, status: 400, code: "GRAPHQL_VALIDATION_FAILED" },
      { name: "an impossible date", body: take([{ pupilId: own, code: "/" }], "2025-13-45"), status: 400, code: "BAD_USER_INPUT" },
      { name: "a code that does not exist", body: take([{ pupilId: own, code: "ZZ" }]), status: 200, code: "BAD_USER_INPUT" },
      { name: "a code withdrawn in 2024", body: take([{ pupilId: own, code: "H" }]), status: 200, code: "BAD_USER_INPUT" },
      { name: "a malformed id", body: take([{ pupilId: "not-an-id", code: "/" }]), status: 200, code: "BAD_USER_INPUT" },
      { name: "too many marks", body: take(Array.from({ length: 2_001 }, () => ({ pupilId: own, code: "/" }))), status: 200, code: "BAD_USER_INPUT" },
      { name: "another trust's academy", body: take([{ pupilId: gid("Pupil", woolwich.pupils[0]!.id), code: "/" }], "2025-11-03", woolwich.urn), status: 200, code: "FORBIDDEN" },
      { name: "another trust's pupil in one's own register", body: take([{ pupilId: gid("Pupil", woolwich.pupils[0]!.id), code: "/" }]), status: 200, code: "BAD_USER_INPUT" },
      { name: "a wrong variable type", body: { query: "query ($n: Int!) { academies(first: $n) { totalCount } }", variables: { n: "ten" } }, status: 400, code: "BAD_USER_INPUT" },
      // Issue 13: non-UUID global ids and NUL characters are refused, coded, before the database sees them.
      { name: "a global id that is not a UUID", body: { query: "query ($id: ID!) { node(id: $id) { id } }", variables: { id: gid("Pupil", "not-a-uuid") } }, status: 200, code: "BAD_USER_INPUT" },
      { name: "global ids with SQL in them", body: { query: "query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", variables: { ids: [gid("Academy", "1' OR '1'='1")] } }, status: 200, code: "BAD_USER_INPUT" },
      { name: "a mark for a non-UUID pupil", body: take([{ pupilId: gid("Pupil", "42"), code: "/" }]), status: 200, code: "BAD_USER_INPUT" },
      { name: "a NUL in a variable", body: { query: "query ($upn: String!) { pupil(upn: $upn) { upn } }", variables: { upn: "A\u0000" } }, status: 200, code: "BAD_USER_INPUT" },
      { name: "a NUL in a mutation's text", body: { query: "mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }", variables: { input: { academyUrn: staverton.urn, date: "2025-11-03", session: "AM", marks: [{ pupilId: own, code: "/", note: "x\u0000y" }] } } }, status: 200, code: "BAD_USER_INPUT" },
      { name: "a NUL escaped in a literal", body: { query: '{ pupil(upn: "A\\u0000") { upn } }' }, status: 200, code: "BAD_USER_INPUT" },
      // Issue 13: far-future dates and variable-driven costs.
      { name: "a leave request to 9999-12-31", body: { query: "mutation ($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }", variables: { input: { pupilId: own, from: "2025-11-03", to: "9999-12-31", answers: {} } } }, status: 400, code: "BAD_USER_INPUT" },
      { name: "a leave request over two years", body: { query: "mutation ($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }", variables: { input: { pupilId: own, from: "2025-11-03", to: "2027-11-03", answers: {} } } }, status: 200, code: "BAD_USER_INPUT" },
      { name: "a year-10000 date", body: take([{ pupilId: own, code: "/" }], "+010000-01-01"), status: 400, code: "BAD_USER_INPUT" },
      { name: "a date in year 1", body: { query: `{ academy(urn: ${staverton.urn}) { attendance(from: "0001-01-01", to: "2025-11-03") { total { possibleSessions } } } }` }, status: 400, code: "BAD_USER_INPUT" },
      { name: "statistics over a century", body: { query: `query ($from: Date!, $to: Date!) { academy(urn: ${staverton.urn}) { attendance(from: $from, to: $to) { total { possibleSessions } } } }`, variables: { from: "2000-01-01", to: "2099-12-31" } }, status: 200, code: "BAD_USER_INPUT" },
      { name: "a cost driven by a variable", body: { query: `query ($n: Int) { academy(urn: ${staverton.urn}) { pupils(first: $n) { edges { node { academy { pupils(first: $n) { edges { node { academy { pupils(first: $n) { edges { node { upn } } } } } } } } } } } } }`, variables: { n: 60 } }, status: 400, code: "COST_LIMIT_EXCEEDED" },
      { name: "nodes by 500 ids with a nested connection", body: { query: "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Pupil { academy { pupils(first: 500) { edges { node { upn } } } } } } }", variables: { ids: Array.from({ length: 500 }, () => own) } }, status: 400, code: "COST_LIMIT_EXCEEDED" },
    ];
  });
  afterAll(() => t?.close());

  it("answers every case with a clear error and changes nothing", async () => {
    const before = [await t.db.prisma.mark.count(), await t.db.prisma.register.count()];
    for (const c of cases) {
      const response = await fetch(`${t.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": c.contentType ?? "application/json", accept: "application/graphql-response+json", ...officer.headers },
        body: typeof c.body === "string" ? c.body : JSON.stringify(c.body),
      });
      const text = await response.text();
      expect(response.status, `${c.name}: ${text.slice(0, 300)}`).toBe(c.status);
      if (c.code) {
        const errors = (JSON.parse(text) as { errors?: { message: string; extensions?: { code?: string } }[] }).errors ?? [];
        expect(errors.map((e) => e.extensions?.code), `${c.name}: ${text.slice(0, 300)}`).toContain(c.code);
        expect(errors.every((e) => e.message.length > 10 && e.message !== "Unexpected error."), c.name).toBe(true);
      }
    }
    expect([await t.db.prisma.mark.count(), await t.db.prisma.register.count()]).toEqual(before);
  });

  it("cuts off chunked bodies (no Content-Length) at the limit: 20 MiB of padding, a 100,000-mark register", async () => {
    const headers = { "content-type": "application/json", accept: "application/graphql-response+json", ...officer.headers };
    const mark = `{"pupilId":"UHVwaWw6eA==","code":"/"},`;
    for (const parts of [
      { prefix: '{"query":"{ __typename }","variables":{"pad":"', fill: "x", suffix: '"}}', totalBytes: 20 * 1024 * 1024 },
      { prefix: '{"query":"mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }","variables":{"input":{"academyUrn":1,"date":"2025-11-03","session":"AM","marks":[', fill: mark, suffix: "{}]}}}", totalBytes: 100_000 * mark.length },
    ]) {
      const result = await postChunked(`${t.server.url}/graphql`, headers, parts);
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body).errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
      expect(result.ms).toBeLessThan(3_000);
    }
  });
});
