// The HTTP edge (issue 13, item 8 and the Low items): the body limit enforced
// while the body streams in, CORS by allow-list, GraphiQL self-hosted under a
// CSP, no introspection without credentials, no query string in request logs,
// and a response cache bounded by bytes.
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, openScratchDatabase } from "@attendance/db";
import { boundedCache, createLogger, startServer } from "@attendance/server";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { postChunked } from "./support/chunked.ts";
import { staff, type Credentials } from "./support/actors.ts";

const APP = "https://app.attendance.example";

describe.each(availableBackends())("the HTTP edge on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;

  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 1, weeks: 1 }, env: { CORS_ORIGINS: `${APP},https://admin.attendance.example` } });
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
  });
  afterAll(() => t?.close());

  it("refuses a 20 MiB chunked body (no Content-Length) with 413 once past 256 KiB, without reading the rest", async () => {
    const result = await postChunked(
      `${t.server.url}/graphql`,
      { "content-type": "application/json", accept: "application/graphql-response+json", ...officer.headers },
      { prefix: '{"query":"{ __typename }","variables":{"pad":"', fill: "x", suffix: '"}}', totalBytes: 20 * 1024 * 1024 },
    );
    expect(result.status, result.body.slice(0, 200)).toBe(413);
    expect(JSON.parse(result.body).errors[0].extensions.code).toBe("REQUEST_ENTITY_TOO_LARGE");
    expect(result.bytesSent).toBeLessThan(8 * 1024 * 1024);
    expect(result.ms).toBeLessThan(3_000);
    expect((await fetch(`${t.server.url}/health`)).status).toBe(200);
  });

  it("refuses a 100,000-mark register by its size, before any mark is parsed", async () => {
    const marks = `{"pupilId":"UHVwaWw6MDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAw","code":"/"},`;
    const result = await postChunked(
      `${t.server.url}/graphql`,
      { "content-type": "application/json", accept: "application/graphql-response+json", ...officer.headers },
      {
        prefix: `{"query":"mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }","variables":{"input":{"academyUrn":1,"date":"2025-11-03","session":"AM","marks":[`,
        fill: marks,
        suffix: `{"pupilId":"x","code":"/"}]}}}`,
        totalBytes: 100_000 * marks.length,
      },
    );
    expect(result.status).toBe(413);
    expect(result.ms).toBeLessThan(3_000);
  });

  it("answers CORS only for the allowed origins, never reflecting another, never with credentials", async () => {
    const preflight = (origin: string) =>
      fetch(`${t.server.url}/graphql`, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" } });
    const evil = await preflight("https://evil.example");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    expect(evil.headers.get("access-control-allow-credentials")).toBeNull();
    const post = await fetch(`${t.server.url}/graphql`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/json", ...officer.headers },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(post.headers.get("access-control-allow-origin")).toBeNull();
    const app = await preflight(APP);
    expect(app.headers.get("access-control-allow-origin")).toBe(APP);
    expect(app.headers.get("access-control-allow-credentials")).toBeNull();
    expect(app.headers.get("access-control-allow-headers")).toContain("authorization");
  });

  it("serves GraphiQL from this server under a Content Security Policy that admits only its own script", async () => {
    const page = await fetch(`${t.server.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("YogaGraphiQL");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|unpkg\.com|cdn\.jsdelivr/);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*('unsafe-inline'|\*|https:)/);
    const script = html.slice(html.indexOf("<script>", html.indexOf('<div id="root"></div>')) + 8, html.lastIndexOf("</script>"));
    expect(csp).toContain(`'sha256-${createHash("sha256").update(script).digest("base64")}'`);
  });

  it("refuses introspection without credentials (UNAUTHENTICATED) and answers it when signed in", async () => {
    for (const query of ["{ __schema { types { name } } }", '{ __type(name: "Pupil") { fields { name } } }', "query { ...F } fragment F on Query { __schema { queryType { name } } }"]) {
      const anonymous = await t.graphql(query);
      expect(anonymous.data ?? null, query).toBeNull();
      expect(anonymous.errors?.map((e) => e.extensions?.code), query).toEqual(["UNAUTHENTICATED"]);
    }
    expect((await t.graphql("{ __typename }")).data).toEqual({ __typename: "Query" });
    const signedIn = await t.graphql<{ __schema: { queryType: { name: string } } }>("{ __schema { queryType { name } } }", {}, officer.headers);
    expect(signedIn.data!.__schema.queryType.name).toBe("Query");
  });
});

describe("request logs", () => {
  it("never hold a GET request's query string (variables may name a pupil)", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const db = await openScratchDatabase("pglite");
    const server = await startServer({ prisma: db.prisma, logger: createLogger("info", sink), port: 0, host: "127.0.0.1", webhooks: { pollMs: 3_600_000 } });
    try {
      const upn = "A123456789012";
      const query = encodeURIComponent(`query ($upn: String!) { pupil(upn: $upn) { id } }`);
      const res = await fetch(`${server.url}/graphql?query=${query}&variables=${encodeURIComponent(JSON.stringify({ upn }))}`, {
        headers: { accept: "application/graphql-response+json", "x-graphql-yoga-csrf": "1", referer: `${server.url}/graphql?variables=${upn}` },
      });
      await res.text();
      await new Promise((r) => setTimeout(r, 50));
      const requestLogs = lines.filter((l) => l.includes('"req"'));
      expect(requestLogs.length).toBeGreaterThan(0);
      expect(requestLogs.join("\n")).toContain('"url":"/graphql"');
      expect(lines.join("\n")).not.toContain(upn);
    } finally {
      await server.close();
      await db.close();
    }
  });
});

describe("response cache bounds", () => {
  it("keeps no answer over the entry limit and drops the least recently used past the byte limit", async () => {
    const cache = boundedCache({ maxEntries: 1_000, maxBytes: 10_000, maxEntryBytes: 4_000 });
    const answer = (bytes: number) => ({ data: { text: "x".repeat(bytes - 15) } });
    await cache.set("huge", answer(5_000), [], 60_000);
    expect(await cache.get("huge")).toBeNull();
    for (let i = 0; i < 5; i++) await cache.set(`a${i}`, answer(3_000), [{ typename: "Pupil" }], 60_000);
    expect(cache.bytes()).toBeLessThanOrEqual(10_000);
    expect(await cache.get("a0")).toBeNull();
    expect(await cache.get("a4")).not.toBeNull();
    await cache.invalidate([{ typename: "Pupil" }]);
    expect(await cache.get("a4")).toBeNull();
  });
});
