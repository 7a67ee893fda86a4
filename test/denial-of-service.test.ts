// One request must not stop the service for everyone (issue 13, the two High
// items): far-future dates are refused at once while /health keeps answering,
// and a query's cost is priced with its variables bound, so `first: $n` costs
// what `first: 30` costs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { createLoaders, readableScope } from "@attendance/schema";
import { policies } from "@attendance/server";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

describe.each(availableBackends())("one request cannot stop the service (%s)", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let lead: Credentials;
  let pupilId: string;
  let urn: number;

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 3, weeks: 2 } });
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
    lead = officer;
    const academy = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } }, include: { pupils: { take: 1 } } });
    pupilId = academy.pupils[0]!.id;
    urn = academy.urn;
  });
  afterAll(() => t?.close());

  /** Sends a request and, while it runs, asks /health; both must answer within a second. */
  async function answeredQuickly(query: string, variables: Record<string, unknown>, who: Credentials) {
    const started = Date.now();
    const [res, health] = await Promise.all([
      t.graphql(query, variables, who.headers),
      fetch(`${t.server.url}/health`).then((r) => ({ status: r.status, at: Date.now() - started })),
    ]);
    const took = Date.now() - started;
    return { res, health, took };
  }

  const REQUEST_LEAVE = `mutation ($input: RequestLeaveInput!) { requestLeave(input: $input) { id } }`;
  const answers = { purpose: "Family holiday", circumstances: "A wedding" };

  it.each([
    ["to the year 9999", { from: "2025-11-03", to: "9999-12-31" }],
    ["from the year 1", { from: "0001-01-01", to: "2025-11-03" }],
    ["over more than a year", { from: "2025-11-03", to: "2099-12-31" }],
  ])("refuses a leave request %s at once, and /health answers meanwhile", async (_name, dates) => {
    const before = await t.db.prisma.leaveRequest.count();
    const { res, health, took } = await answeredQuickly(REQUEST_LEAVE, { input: { pupilId: gid("Pupil", pupilId), ...dates, answers } }, officer);
    expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
    expect(res.errors![0]!.message).not.toBe("Unexpected error.");
    expect(took).toBeLessThan(1_000);
    expect(health.status).toBe(200);
    expect(await t.db.prisma.leaveRequest.count()).toBe(before);
  });

  it("refuses far-future dates written inline as well as in variables", async () => {
    const inline = await t.graphql(`{ academy(urn: ${urn}) { attendance(from: "2025-09-01", to: "9999-12-31") { total { possibleSessions } } } }`, {}, lead.headers);
    expect(codes(inline), JSON.stringify(inline.errors)).toEqual(["BAD_USER_INPUT"]);
    const variable = await t.graphql(`query ($to: Date!) { academy(urn: ${urn}) { attendance(from: "2025-09-01", to: $to) { total { possibleSessions } } } }`, { to: "9999-12-31" }, lead.headers);
    expect(codes(variable)).toEqual(["BAD_USER_INPUT"]);
  });

  it("bounds every period: statistics and mark lists over decades are refused with the bound named", async () => {
    const stats = await t.graphql(`{ academy(urn: ${urn}) { attendance(from: "2000-01-01", to: "2099-12-31") { total { possibleSessions } } } }`, {}, lead.headers);
    expect(codes(stats)).toEqual(["BAD_USER_INPUT"]);
    expect(stats.errors![0]!.message).toMatch(/At most 731 days/);
    const marks = await t.graphql(`{ node(id: "${gid("Pupil", pupilId)}") { ... on Pupil { marks(from: "2000-01-01", to: "2099-12-31", first: 5) { totalCount } } } }`, {}, officer.headers);
    expect(codes(marks)).toEqual(["BAD_USER_INPUT"]);
    // Within the bound, the same questions are answered.
    const ok = await t.graphql(`{ academy(urn: ${urn}) { attendance(from: "2025-09-01", to: "2026-08-31") { total { possibleSessions } } } }`, {}, lead.headers);
    expect(ok.errors).toBeUndefined();
  });

  // academy → pupils → academy → pupils → academy → pupils: 30 × 30 × 30 pupils.
  const cycle = (first: string) =>
    `{ academy(urn: ${urn}) { pupils(first: ${first}) { edges { node { legalSurname academy { pupils(first: ${first}) { edges { node { legalSurname academy { pupils(first: ${first}) { edges { node { legalSurname upn } } } } } } } } } } } } }`;

  it("prices `first` given as a variable the same as written inline", async () => {
    const inline = await t.graphql(cycle("30"), {}, officer.headers);
    expect(codes(inline)).toEqual(["COST_LIMIT_EXCEEDED"]);
    const variable = await t.graphql(`query ($n: Int) ${cycle("$n")}`, { n: 30 }, officer.headers);
    expect(codes(variable)).toEqual(["COST_LIMIT_EXCEEDED"]);
    expect(variable.data ?? null).toBeNull();
    // The refusal says what drives the cost and how to fit.
    expect(variable.errors![0]!.message).toMatch(/over the limit of 150000.*Academy\.pupils\(first: 30\).*lower `first`/s);
    expect(variable.errors![0]!.extensions).toMatchObject({ maxCost: 150_000 });
    // The same shape with small pages is answered.
    const small = await t.graphql(`query ($n: Int) ${cycle("$n")}`, { n: 2 }, officer.headers);
    expect(small.errors).toBeUndefined();
  });

  it("prices a connection asked for without `first` at its default page, and `nodes` by its ids", async () => {
    const ids = Array.from({ length: 400 }, () => gid("Pupil", pupilId));
    const nested = `academy { pupils { edges { node { academy { pupils { edges { node { legalSurname } } } } } } } }`;
    const res = await t.graphql(`query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Pupil { ${nested} } } }`, { ids }, officer.headers);
    expect(codes(res)).toEqual(["COST_LIMIT_EXCEEDED"]);
  });

  it("loads the history of tens of thousands of marks in batches under PostgreSQL's bind-parameter limit", async () => {
    const actor = null;
    const loaders = createLoaders(t.db.prisma, readableScope(actor), policies);
    // 40,000 keys would be 80,000 bind parameters in one statement (the limit is 65,535).
    const keys = Array.from({ length: 40_000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}/${pupilId}`);
    const histories = await loaders.markHistory.loadMany(keys);
    expect(histories.filter((h) => h instanceof Error)).toEqual([]);
    expect(histories).toHaveLength(40_000);
  });
});
