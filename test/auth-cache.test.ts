// Staff actors are remembered for AUTH_CACHE_MS between requests (a dashboard
// then costs no authentication queries); tokens are still verified every time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

describe("the actor cache", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer("pglite", { demo: { pupilsPerForm: 2, weeks: 1 }, authCacheMs: 60_000 });
  });
  afterAll(() => t?.close());

  it("looks a staff member's roles up once, then not again within the TTL, and still refuses a bad token", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const query = "{ trusts(first: 1) { edges { node { name } } } }";
    const roleLookups = () => t.statements.filter((s) => /role_assignment/.test(s)).length;
    t.resetStatements();
    expect((await t.graphql(query, {}, lead.headers)).errors).toBeUndefined();
    expect(roleLookups()).toBe(1);
    t.resetStatements();
    expect((await t.graphql(query, {}, lead.headers)).errors).toBeUndefined();
    expect(roleLookups()).toBe(0);
    const forged = await t.graphql(query, {}, { authorization: `${lead.headers.authorization}x` });
    expect(forged.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
