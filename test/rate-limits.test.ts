// Rate limits per staff member and per client address, as well as per API key
// (issue 13, item 11; OWASP API4:2023 Unrestricted Resource Consumption): a
// burst as one staff member, anonymously or with a wrong key meets 429
// RATE_LIMITED with Retry-After. The client address is the socket's peer, or
// with TRUST_PROXY_HOPS = 1 the X-Forwarded-For entry the proxy added.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { clientAddress } from "@attendance/server";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const STAFF = 12;
const ANONYMOUS = 6;

describe.each(availableBackends())("rate limits on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let colleague: Credentials;

  beforeAll(async () => {
    t = await startTestServer(kind, {
      demo: { pupilsPerForm: 1, weeks: 1 },
      env: { RATE_LIMIT_STAFF_PER_MINUTE: String(STAFF), RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS), TRUST_PROXY_HOPS: "1" },
    });
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    colleague = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Staverton" });
  });
  afterAll(() => t?.close());

  /** Sends `count` requests from `address` and returns their statuses, codes and Retry-After headers. */
  async function burst(count: number, address: string, headers: Record<string, string> = {}) {
    const answers: { status: number; code: unknown; retryAfter: string | null }[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`${t.server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/graphql-response+json", "x-forwarded-for": address, ...headers },
        body: JSON.stringify({ query: `{ academies(first: 1) { totalCount } }` }),
      });
      const body = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
      answers.push({ status: res.status, code: body.errors?.[0]?.extensions?.code ?? null, retryAfter: res.headers.get("retry-after") });
    }
    return answers;
  }

  it("limits each staff member, not their colleagues", async () => {
    const answers = await burst(STAFF + 3, "198.51.100.1", officer.headers);
    expect(answers.slice(0, STAFF).every((a) => a.status === 200 && a.code === null)).toBe(true);
    for (const a of answers.slice(STAFF)) {
      expect(a).toMatchObject({ status: 429, code: "RATE_LIMITED" });
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    // The same address, another member of staff: their own budget.
    expect((await burst(1, "198.51.100.1", colleague.headers))[0]).toMatchObject({ status: 200, code: null });
  });

  it("limits anonymous requests per client address", async () => {
    const answers = await burst(ANONYMOUS + 2, "198.51.100.2");
    expect(answers.slice(0, ANONYMOUS).every((a) => a.code === "UNAUTHENTICATED")).toBe(true);
    expect(answers.slice(ANONYMOUS).map((a) => [a.status, a.code])).toEqual([
      [429, "RATE_LIMITED"],
      [429, "RATE_LIMITED"],
    ]);
    // Another address has its own budget; a forged left-hand X-Forwarded-For entry does not make a new one.
    expect((await burst(1, "198.51.100.3"))[0]!.code).toBe("UNAUTHENTICATED");
    expect((await burst(1, "203.0.113.99, 198.51.100.2"))[0]!.code).toBe("RATE_LIMITED");
  });

  it("limits wrong keys and bad tokens per client address, while valid staff there go on", async () => {
    const wrongKey = await burst(ANONYMOUS, "198.51.100.4", { "x-api-key": "ak_live_thisisnotakey" });
    expect(wrongKey.every((a) => a.code === "UNAUTHENTICATED")).toBe(true);
    const more = await burst(2, "198.51.100.4", { authorization: "Bearer not.a.token" });
    expect(more.map((a) => [a.status, a.code])).toEqual([
      [429, "RATE_LIMITED"],
      [429, "RATE_LIMITED"],
    ]);
    expect((await burst(1, "198.51.100.4", colleague.headers))[0]).toMatchObject({ status: 200, code: null });
    // /health is never limited.
    expect((await fetch(`${t.server.url}/health`, { headers: { "x-forwarded-for": "198.51.100.4" } })).status).toBe(200);
  });
});

describe("the client address a budget is kept for", () => {
  it("is the peer without trusted proxies, the proxy's entry with them, and an IPv6 /64", () => {
    expect(clientAddress("192.0.2.7", "203.0.113.1", 0)).toBe("192.0.2.7");
    expect(clientAddress("10.0.0.2", "203.0.113.1, 198.51.100.9", 1)).toBe("198.51.100.9");
    expect(clientAddress("10.0.0.2", "198.51.100.9", 3)).toBe("198.51.100.9");
    expect(clientAddress("::ffff:192.0.2.7", null, 0)).toBe("192.0.2.7");
    expect(clientAddress("2001:db8:1:2:aaaa::1", null, 0)).toBe(clientAddress("2001:db8:1:2:bbbb::9", null, 0));
    expect(clientAddress("2001:db8:1:2::1", null, 0)).not.toBe(clientAddress("2001:db8:1:3::1", null, 0));
  });
});
