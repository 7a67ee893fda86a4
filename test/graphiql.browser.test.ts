// GraphiQL as a new user meets it (issue 18, item 1): the example tabs answer
// from the demo with the token each tab says how to make, and in Debian's
// Chromium, with every request off this machine refused, the page loads from
// this server alone, takes a demo token in its Headers editor, runs a query
// and shows the demo's data. An outside tester once found the page blank
// without a CDN ("Loading __TITLE__..." forever): this is the proof it is not.
//
// The browser part needs /usr/bin/chromium (`apt-get install chromium`, which
// .ci/run does); without it that part is skipped, saying why.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, type OperationDefinitionNode } from "graphql";
import { chromium, type BrowserContext, type Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { demoUser } from "@attendance/db/demo";
import { configFromEnv, DEMO_JWT_SECRET, GRAPHIQL_EXAMPLES, signStaffToken, type GraphiQLExample } from "@attendance/server";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`test/graphiql.browser.test.ts: the browser test is SKIPPED: no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does).`);

/**
 * Chromium's own flags for a machine with no network (the machine's doc):
 * without the background-networking ones it calls Google's hosts at start.
 * The resolver rule makes every other host unresolvable in Chromium itself,
 * behind the route below that records and refuses them.
 */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
];

const config = configFromEnv({});

const tokens = new Map<string, Promise<string>>();

/**
 * The token `pnpm demo:token <tokenArgs>` prints (the demo's ids are fixed, so
 * the same user as in any demo database); one per arguments, since finding the
 * user builds the demo's rows.
 */
function demoToken(tokenArgs: string): Promise<string> {
  if (!tokens.has(tokenArgs)) tokens.set(tokenArgs, signDemoToken(tokenArgs));
  return tokens.get(tokenArgs)!;
}

async function signDemoToken(tokenArgs: string): Promise<string> {
  const role = /--role (\S+)/.exec(tokenArgs)![1]!;
  const academy = /--academy (\d+)/.exec(tokenArgs)?.[1];
  const user = demoUser(role as Parameters<typeof demoUser>[0], {
    academyUrn: academy === undefined ? undefined : Number(academy),
    trustSlug: /--trust (\S+)/.exec(tokenArgs)?.[1],
  });
  return signStaffToken(user.id, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
}

function example(role: GraphiQLExample["role"]): GraphiQLExample {
  return GRAPHIQL_EXAMPLES.find((e) => e.role === role)!;
}

/** What an editor shows (Monaco renders spaces as no-break spaces). */
async function shown(locator: Locator): Promise<string> {
  return (await locator.innerText()).replace(/\u00a0/g, " ");
}

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (!["http:", "https:", "ws:", "wss:"].includes(protocol)) return true; // data:, blob:, about:
  return hostname === "127.0.0.1" || hostname === "localhost";
}

describe.each(availableBackends())("GraphiQL on %s", (kind) => {
  let t: TestServer;
  /** Runs one operation of an example tab with the token its comment names, as GraphiQL sends it. */
  async function run<T = Record<string, unknown>>(ex: GraphiQLExample, operationName: string, variables = ex.variables): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${t.server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${await demoToken(ex.tokenArgs)}` },
      body: JSON.stringify({ query: ex.query, operationName, variables }),
    });
    return (await response.json()) as GraphQLResponse<T>;
  }

  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(() => t?.close());

  it("every example operation but the error-shape ones answers data from the demo, without errors", async () => {
    for (const ex of GRAPHIQL_EXAMPLES) {
      for (const definition of parse(ex.query).definitions as OperationDefinitionNode[]) {
        const name = definition.name!.value;
        if (name === "ErrorShape" || name === "NodeById") continue;
        const result = await run(ex, name);
        expect(result.errors, `${ex.role}: ${name}`).toBeUndefined();
        expect(result.data, `${ex.role}: ${name}`).toBeTruthy();
      }
    }
  });

  it("answers the trust lead's half term for the trust and each academy, and the officer's register and form list", async () => {
    type Figures = { pupils: number; attendancePercent: string | null };
    const lead = await run<{ trusts: { edges: { node: { name: string; attendance: { total: Figures }; academies: { edges: { node: { attendance: { total: Figures } } }[] } } }[] } }>(example("trust lead"), "TrustLead");
    const trust = lead.data!.trusts.edges[0]!.node;
    expect(trust.name).toBe("Vale Academy Trust");
    expect(trust.attendance.total.pupils).toBeGreaterThan(0);
    expect(trust.academies.edges.length).toBeGreaterThanOrEqual(3);
    for (const { node } of trust.academies.edges) expect(node.attendance.total.attendancePercent).toMatch(/^\d+\.\d$/);

    const officer = await run<{
      academy: { name: string; registerCompletion: { meets: boolean; formsTaken: number }; forms: { edges: { node: { pupilList: { totalCount: number } } }[] } };
      register: { marks: { totalCount: number } } | null;
    }>(example("attendance officer"), "AttendanceOfficer");
    expect(officer.data!.academy.name).toBe("Stanborough School");
    expect(officer.data!.academy.registerCompletion.meets).toBe(true);
    expect(officer.data!.academy.forms.edges[0]!.node.pupilList.totalCount).toBeGreaterThan(0);
    expect(officer.data!.register!.marks.totalCount).toBeGreaterThan(0);
  });

  it("pages the front-end developer's connection, fetches a node by its id, and shows errors beside data", async () => {
    const dev = example("front-end developer");
    type Page = { academies: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; name: string } }[] } };
    const first = await run<Page>(dev, "AcademiesPage");
    expect(first.data!.academies.pageInfo.hasNextPage).toBe(true);
    const second = await run<Page>(dev, "AcademiesPage", { ...dev.variables, after: first.data!.academies.pageInfo.endCursor });
    expect(second.data!.academies.edges[0]!.node.name).not.toBe(first.data!.academies.edges[0]!.node.name);

    const academy = first.data!.academies.edges[0]!.node;
    const node = await run<{ node: { __typename: string; name: string } }>(dev, "NodeById", { id: academy.id });
    expect(node.errors).toBeUndefined();
    expect(node.data!.node).toMatchObject({ __typename: "Academy", name: academy.name });
    // As the tab opens, before an id is pasted: the error its comment promises.
    expect((await run(dev, "NodeById")).errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);

    const errors = await run<{ trusts: { edges: { node: { name: string; apiClients: null } }[] }; node: null }>(dev, "ErrorShape");
    expect(errors.data!.trusts.edges[0]!.node).toEqual({ name: "Vale Academy Trust", apiClients: null });
    expect(errors.data!.node).toBeNull();
    expect(errors.errors!.map((e) => [e.path!.join("."), e.extensions!.code]).sort()).toEqual([
      ["node", "BAD_USER_INPUT"],
      ["trusts.edges.0.node.apiClients", "FORBIDDEN"],
    ]);
  });

  describe.skipIf(!haveChromium)(haveChromium ? "in headless Chromium with every request off 127.0.0.1 refused" : `in headless Chromium: SKIPPED, no ${CHROMIUM}`, () => {
    let context: BrowserContext;
    let profile: string;
    const outside = new Set<string>();
    const consoleErrors: string[] = [];

    beforeAll(async () => {
      profile = mkdtempSync(join(tmpdir(), "graphiql-chromium-"));
      context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      // Every request of every page and worker, refused and recorded unless it is to this machine.
      await context.route("**/*", (route) => {
        const url = route.request().url();
        if (isLocal(url)) return route.continue();
        outside.add(url);
        return route.abort("blockedbyclient");
      });
      context.on("request", (request) => {
        if (!isLocal(request.url())) outside.add(request.url());
      });
      context.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      // The guard itself: a request to another host is refused and recorded.
      const probe = await context.newPage();
      await expect(probe.goto("https://cdn.example.org/graphiql.min.js")).rejects.toThrow();
      expect([...outside]).toEqual(["https://cdn.example.org/graphiql.min.js"]);
      outside.clear();
      await probe.close();
    });
    afterAll(async () => {
      await context?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it("loads GraphiQL on its example tabs, takes a demo token in the Headers editor, runs a query and shows the demo's data", async () => {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on("pageerror", (error) => consoleErrors.push(`page error: ${error.message}`));
      await page.goto(`${t.server.url}/graphql`);
      await expect.poll(() => page.locator(".graphiql-tab").allInnerTexts(), { timeout: 30_000 }).toEqual(["StartHere", "TrustLead", "AttendanceOfficer", "AcademiesPage"]);
      await expect.poll(() => shown(page.locator(".graphiql-query-editor"))).toContain("pnpm demo:token");

      // The Headers editor (Monaco): select its placeholder and put the token in
      // its place, then delete what the editor's quote and bracket completion
      // added after the cursor (a paste would add nothing; typing does).
      const headers = page.locator(".graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor");
      async function signIn(tokenArgs: string) {
        await page.getByRole("button", { name: "Headers", exact: true }).click();
        await expect.poll(() => shown(headers)).toContain("PASTE-A-TOKEN");
        await headers.click();
        await page.keyboard.press("ControlOrMeta+a");
        await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${await demoToken(tokenArgs)}` }));
        await page.keyboard.press("ControlOrMeta+Shift+End");
        await page.keyboard.press("Delete");
        await expect.poll(() => shown(headers)).toContain("Bearer eyJ");
      }
      await signIn(example("start").tokenArgs);

      await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
      const response = page.locator(".graphiql-response");
      await expect.poll(() => shown(response), { timeout: 30_000 }).toContain("Vale Academy Trust");
      expect(await shown(response)).toContain("TRUST_ATTENDANCE_LEAD");
      await page.screenshot({ path: join(tmpdir(), `graphiql-${kind}.png`) });

      // The front-end developer's tab holds three operations: the run button
      // offers them by name, as its comment says.
      await page.locator(".graphiql-tab", { hasText: "AcademiesPage" }).click();
      await signIn(example("front-end developer").tokenArgs);
      await page.getByRole("button", { name: "Execute query (Ctrl-Enter)" }).click();
      await page.getByRole("menuitem", { name: "ErrorShape" }).click();
      await expect.poll(() => shown(response), { timeout: 30_000 }).toContain("FORBIDDEN");
      expect(await shown(response)).toContain("BAD_USER_INPUT");

      expect([...outside], "requests that tried to leave the machine").toEqual([]);
      // A refused script or style (the page's CSP, plugins/browser.ts) would show here.
      expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    });
  });
});
