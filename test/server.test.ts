// End to end: the real HTTP server and GraphQL schema over a migrated database
// holding the demo trusts, on PGlite and (with DATABASE_URL) on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

const SEED_ACADEMIES = [
  "ATT Thurrock Academy (demo)",
  "St James CE Primary School",
  "Stanborough School",
  "Staverton CE Primary School",
  "Woolwich Polytechnic School for Boys",
];

describe.each(availableBackends())("GraphQL over HTTP on %s", (kind) => {
  let t: TestServer;
  /** A trust attendance lead of each demo trust: between them they see every academy. */
  let leads: Record<string, string>[];
  let graphql: TestServer["graphql"];
  beforeAll(async () => {
    t = await startTestServer(kind);
    const trusts = await t.db.prisma.trust.findMany({ orderBy: { name: "asc" } });
    leads = await Promise.all(trusts.map(async (tr) => (await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: tr.name })).headers));
    // The lead of the trust of the first academy by name.
    const first = await t.db.prisma.academy.findFirstOrThrow({ orderBy: { name: "asc" }, include: { trust: true } });
    const headers = (await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: first.trust.name })).headers;
    graphql = (query, variables, extra) => t.graphql(query, variables, { ...headers, ...extra });
  });
  afterAll(() => t?.close());

  it("lists the five seed academies with their URNs, each to its own trust, beside its invented siblings", async () => {
    const names: string[] = [];
    for (const headers of leads) {
      const res = await t.graphql<{ academies: { totalCount: number; edges: { node: { name: string; urn: number } }[] } }>(
        `{ academies(first: 50) { totalCount edges { node { name urn } } } }`,
        {},
        headers,
      );
      expect(res.errors).toBeUndefined();
      // Each demo trust holds one seed academy and two or three invented siblings (README "Demo data").
      expect(res.data!.academies.totalCount).toBeGreaterThanOrEqual(3);
      expect(res.data!.academies.totalCount).toBeLessThanOrEqual(4);
      for (const { node } of res.data!.academies.edges) expect(node.urn).toBeGreaterThan(99_999);
      const seeds = res.data!.academies.edges.map((e) => e.node.name).filter((n) => SEED_ACADEMIES.includes(n));
      expect(seeds).toHaveLength(1);
      names.push(...seeds);
    }
    expect(names.sort()).toEqual(SEED_ACADEMIES);
  });

  it("serves trusts with their academies, local authorities and pupil counts", async () => {
    type Trusts = {
      trusts: { totalCount: number; edges: { node: { name: string; academies: { edges: { node: { localAuthority: { code: number }; pupils: { totalCount: number } } }[] } } }[] };
    };
    const trusts: Trusts["trusts"]["edges"][number]["node"][] = [];
    for (const headers of leads) {
      const res = await t.graphql<Trusts>(`{ trusts(first: 10) { totalCount edges { node { name academies(first: 10) { edges { node {
          localAuthority { code } pupils(first: 1) { totalCount } } } } } } } }`, {}, headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.trusts.totalCount).toBe(1);
      trusts.push(...res.data!.trusts.edges.map((e) => e.node));
    }
    expect(trusts.map((tr) => tr.name)).toContain("Vale Academy Trust");
    // A trust's invented siblings are in its seed academy's local authority.
    const codes = trusts.map((tr) => [...new Set(tr.academies.edges.map((e) => e.node.localAuthority.code))]);
    for (const c of codes) expect(c).toHaveLength(1);
    expect(codes.flat().sort()).toEqual([203, 883, 919, 931, 941]);
    // "A few hundred pupils" a seed academy (issue 3); its invented siblings 20 to 35 (README "Demo data").
    for (const tr of trusts) {
      const pupils = tr.academies.edges.map((e) => e.node.pupils.totalCount).sort((a, b) => b - a);
      expect(pupils[0]).toBeGreaterThanOrEqual(150);
      for (const n of pupils.slice(1)) expect(n >= 20 && n <= 35, String(n)).toBe(true);
    }
  });

  it("pages through pupils with cursors, without gaps or repeats", async () => {
    type Page = { academy: { pupils: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { upn: string } }[] } } };
    const query = `query ($after: String) { academy(urn: ${await firstUrn(t)}) {
      pupils(first: 37, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { upn } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 100; page++) {
      const res: { data?: Page; errors?: unknown } = await graphql<Page>(query, { after });
      expect(res.errors).toBeUndefined();
      const pupils = res.data!.academy.pupils;
      total = pupils.totalCount;
      seen.push(...pupils.edges.map((e) => e.node.upn));
      if (!pupils.pageInfo.hasNextPage) break;
      after = pupils.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it("costs the same number of SQL statements for 10 pupils as for 200", async () => {
    const urn = await firstUrn(t);
    const count = async (n: number) => {
      t.resetStatements();
      const res = await graphql(`{ academy(urn: ${urn}) { name trust { name } pupils(first: ${n}) {
        totalCount edges { node { upn displayName form { name yearGroup } academy { name } } } } } }`);
      expect(res.errors).toBeUndefined();
      return t.statements.length;
    };
    const small = await count(10);
    const large = await count(200);
    expect(large).toBe(small);
    // Three to authenticate (roles, the trust's academies, tutored forms), up
    // to two for the operation's transaction (its COMMIT, which the PostgreSQL
    // adapter sends as a statement, and setting its role and trust), then one
    // per relation level: academy, trust, pupils, forms, pupils' academy.
    expect(small).toBeLessThanOrEqual(10);
  });

  it("finds a pupil by UPN and answers null for an unknown one", async () => {
    const urn = await firstUrn(t);
    const some = await t.db.prisma.pupil.findFirstOrThrow({ where: { academy: { urn } }, orderBy: { upn: "asc" } });
    const res = await graphql<{ pupil: { upn: string; academy: { name: string } } | null; none: null }>(
      `query ($upn: String!) { pupil(upn: $upn) { upn academy { name } } none: pupil(upn: "X000000000000") { upn } }`,
      { upn: some.upn },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.pupil!.upn).toBe(some.upn);
    expect(res.data!.none).toBeNull();
  });

  it("serves the academy's 2025/26 calendar: six half terms and the closures within them", async () => {
    const res = await graphql<{ academy: { terms: { name: string; startDate: string }[]; closures: { kind: string; startDate: string }[] } }>(
      `{ academy(urn: ${await firstUrn(t)}) { terms { name startDate endDate academicYear } closures { kind startDate session reason } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.academy.terms.map((x) => x.name)).toEqual(["Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2"]);
    expect(res.data!.academy.terms[0]!.startDate).toBe("2025-09-03");
    expect(res.data!.academy.closures.map((c) => c.kind)).toContain("INSET");
  });

  it("answers bad input with a GraphQL validation error", async () => {
    const res = await graphql(`{ academies(first: "many") { totalCount } }`);
    expect(res.data).toBeUndefined();
    expect(res.errors![0]!.message).toMatch(/Int cannot represent/);
  });

  it("answers health and readiness checks and serves GraphiQL", async () => {
    expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
    expect((await fetch(`${t.server.url}/ready`)).status).toBe(200);
    const page = await fetch(`${t.server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("GraphiQL");
  });
});

async function firstUrn(t: TestServer): Promise<number> {
  const academy = await t.db.prisma.academy.findFirstOrThrow({ orderBy: { name: "asc" } });
  return academy.urn;
}
