// The official GraphQL-over-HTTP conformance audit (graphql-http's server
// audits) against the real server. The audits send `{ __typename }` without
// credentials; every data field here needs them, so the audit's requests
// carry a demo user's token through its fetch function (DESIGN.md §9).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverAudits, type AuditResult } from "graphql-http";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

describe("GraphQL over HTTP (graphql-http audit)", () => {
  let t: TestServer;
  let results: AuditResult[];

  beforeAll(async () => {
    t = await startTestServer("pglite", { demo: { pupilsPerForm: 2, weeks: 1 } });
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    const audits = serverAudits({
      url: `${t.server.url}/graphql`,
      fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set("authorization", lead.headers.authorization!);
        return fetch(input, { ...init, headers });
      },
    });
    results = await Promise.all(audits.map((audit) => audit.fn()));
  });
  afterAll(() => t?.close());

  it("passes every MUST", () => {
    const failed = results.filter((r) => r.status === "error").map((r) => `${r.name}: ${(r as { reason?: string }).reason}`);
    expect(failed).toEqual([]);
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    console.log(`graphql-http audit: ${results.length} audits: ${[...counts].map(([status, n]) => `${n} ${status}`).join(", ")}`);
    for (const r of results.filter((r) => r.status !== "ok")) console.log(`  ${r.status}: ${r.name}${(r as { reason?: string }).reason ? `: ${(r as { reason?: string }).reason}` : ""}`);
  });
});
