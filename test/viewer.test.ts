// `viewer` (issue 16, item 4): who the token belongs to, read from the
// request's actor, for a trust lead, a teacher and an API client; without
// credentials the usual UNAUTHENTICATED. Statements per request do not grow
// with the number of academies asked for.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { newApiKey } from "@attendance/schema";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

/** The README's viewer query ("Who am I: viewer"), verbatim. */
const README_QUERY = (() => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("### Who am I: `viewer`"));
  return /```graphql\n([\s\S]*?)```/.exec(section)![1]!;
})();

interface Viewer {
  id: string;
  kind: "STAFF" | "API_CLIENT";
  displayName: string;
  trust: { name: string };
  trustRoles: string[];
  trustCapabilities: string[];
  academies: { totalCount: number; edges: { node: { academy: { urn: number; name: string }; roles: string[]; capabilities: string[]; allForms: boolean } }[] };
  forms: { totalCount: number; edges: { node: { name: string; academy: { urn: number } } }[] };
  scopes: string[] | null;
  tokenExpiresAt: string | null;
}

describe.each(availableBackends())("viewer on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind, { demo: { pupilsPerForm: 1, weeks: 1 } });
  });
  afterAll(() => t?.close());

  it("a trust lead: staff, their name, their trust, every academy of it with the lead's role and capabilities, the token's expiry", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const res = await t.graphql<{ viewer: Viewer }>(README_QUERY, {}, lead.headers);
    expect(res.errors).toBeUndefined();
    const viewer = res.data!.viewer;
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { id: lead.userId } });
    const academies = await t.db.prisma.academy.findMany({ where: { trust: { name: { contains: "Peterborough" } } }, orderBy: [{ name: "asc" }, { id: "asc" }] });
    expect(academies.length).toBeGreaterThan(1);
    expect(viewer).toMatchObject({
      id: Buffer.from(`User:${lead.userId}`).toString("base64"),
      kind: "STAFF",
      displayName: user.displayName,
      trust: { name: "Peterborough Diocese Education Trust" },
      trustRoles: ["TRUST_ATTENDANCE_LEAD"],
      // roles.ts ROLE_TRUST_CAPABILITIES.TRUST_ATTENDANCE_LEAD
      trustCapabilities: ["SET_TRUST_DEFAULTS"],
      scopes: null,
    });
    expect(viewer.academies.totalCount).toBe(academies.length);
    expect(viewer.academies.edges.map((e) => e.node.academy.urn)).toEqual(academies.map((a) => a.urn));
    for (const { node } of viewer.academies.edges) {
      // roles.ts ROLE_CAPABILITIES.TRUST_ATTENDANCE_LEAD: read, readSensitive, workCases, in every academy of the trust.
      expect(node).toMatchObject({ roles: ["TRUST_ATTENDANCE_LEAD"], capabilities: ["READ", "READ_SENSITIVE", "WORK_CASES"], allForms: true });
    }
    expect(viewer.forms.totalCount).toBe(0);
    // The token's own exp claim.
    const exp = (JSON.parse(Buffer.from(lead.headers.authorization!.split(".")[1]!, "base64url").toString()) as { exp: number }).exp;
    expect(viewer.tokenExpiresAt).toBe(new Date(exp * 1000).toISOString());
  });

  it("a teacher: their academy only, TEACHER with READ and TAKE_REGISTER for their forms only, and those forms", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
    const res = await t.graphql<{ viewer: Viewer }>(README_QUERY, {}, teacher.headers);
    expect(res.errors).toBeUndefined();
    const viewer = res.data!.viewer;
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    const tutored = await t.db.prisma.form.findMany({ where: { tutors: { some: { userId: teacher.userId, revokedAt: null } } }, orderBy: [{ name: "asc" }] });
    expect(tutored.length).toBeGreaterThan(0);
    expect(viewer).toMatchObject({ kind: "STAFF", trustRoles: [], trustCapabilities: [], scopes: null });
    expect(viewer.academies.edges.map((e) => e.node)).toEqual([
      // roles.ts ROLE_CAPABILITIES.TEACHER, limited to the forms they tutor.
      { academy: { urn: staverton.urn, name: staverton.name }, roles: ["TEACHER"], capabilities: ["READ", "TAKE_REGISTER"], allForms: false },
    ]);
    expect(viewer.forms.totalCount).toBe(tutored.length);
    expect(viewer.forms.edges.map((e) => e.node.name)).toEqual(tutored.map((f) => f.name));
    expect(viewer.forms.edges.every((e) => e.node.academy.urn === staverton.urn)).toBe(true);
  });

  it("an API client: its name, its scopes, its academies with what the scopes grant, no expiry", async () => {
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    const k = newApiKey();
    const client = await t.db.prisma.apiClient.create({
      data: { trustId: staverton.trustId, name: "Viewer test dashboard", keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes: ["read:attendance", "read:sensitive"], academies: { create: { academyId: staverton.id } } },
    });
    const res = await t.graphql<{ viewer: Viewer }>(README_QUERY, {}, { "x-api-key": k.key });
    expect(res.errors).toBeUndefined();
    expect(res.data!.viewer).toEqual({
      id: Buffer.from(`ApiClient:${client.id}`).toString("base64"),
      kind: "API_CLIENT",
      displayName: "Viewer test dashboard",
      trust: { name: "Peterborough Diocese Education Trust" },
      trustRoles: [],
      trustCapabilities: [],
      // roles.ts API_SCOPES: read:attendance → read, read:sensitive → readSensitive.
      academies: { totalCount: 1, edges: [{ node: { academy: { urn: staverton.urn, name: staverton.name }, roles: [], capabilities: ["READ", "READ_SENSITIVE"], allForms: true } }] },
      forms: { totalCount: 0, edges: [] },
      scopes: ["READ_ATTENDANCE", "READ_SENSITIVE"],
      tokenExpiresAt: null,
    });
  });

  it("narrowed by X-Academy-URN: that academy only", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const staverton = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    const res = await t.graphql<{ viewer: Viewer }>(`{ viewer { academies(first: 10) { totalCount edges { node { academy { urn } } } } } }`, {}, { ...lead.headers, "x-academy-urn": String(staverton.urn) });
    expect(res.data!.viewer.academies).toEqual({ totalCount: 1, edges: [{ node: { academy: { urn: staverton.urn } } }] });
  });

  it("without credentials: UNAUTHENTICATED and no data", async () => {
    const res = await t.graphql(README_QUERY);
    expect(res.data ?? null).toBeNull();
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });

  it("costs the same statements for one academy as for every academy of the trust", async () => {
    const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const query = (first: number) => `{ viewer { displayName trust { name } academies(first: ${first}) { totalCount edges { node { roles capabilities academy { urn name localAuthority { name } } } } } } }`;
    const count = async (first: number) => {
      t.resetStatements();
      const res = await t.graphql<{ viewer: Viewer }>(query(first), {}, lead.headers);
      expect(res.errors).toBeUndefined();
      return { statements: t.statements.length, academies: res.data!.viewer.academies.edges.length };
    };
    const one = await count(1);
    const all = await count(50);
    expect(one.academies).toBe(1);
    expect(all.academies).toBeGreaterThan(1);
    expect(all.statements).toBe(one.statements);
    console.log(`viewer (${kind}): ${all.statements} SQL statements for 1 or ${all.academies} academies (authentication and transaction included)`);
  });
});
