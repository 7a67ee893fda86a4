// Each operation is one transaction as the application database role, for the
// caller's trust (issue #13 items 3 and 9): a mutation answered with an error
// changes nothing, and a query that forgot its tenant filter still sees only
// the caller's trust, because row-level security is the second line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, withTenant } from "@attendance/db";
import { newApiKey } from "@attendance/schema";
import { queryStatistics } from "../schema/src/statistics/sql.ts";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff } from "./support/actors.ts";

const ACADEMY = "St James";

describe.each(availableBackends())("operation transactions on %s", (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer(kind);
  });
  afterAll(() => t?.close());

  it("a mutation refused after its write (FORBIDDEN with data null) commits nothing, and is audited as refused", async () => {
    const { prisma } = t.db;
    const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: ACADEMY } } });
    // A key that may write registers but read nothing: the amendment's answer
    // (a Mark) is refused when it is read back, after the write.
    const key = newApiKey();
    await prisma.apiClient.create({
      data: {
        trustId: academy.trustId, name: "Write-only register client", keyPrefix: key.keyPrefix, keyHash: key.keyHash,
        scopes: ["write:registers"], academies: { create: { academyId: academy.id } },
      },
    });
    const mark = await prisma.currentMark.findFirstOrThrow({ where: { academyId: academy.id, code: "/" }, orderBy: { markId: "asc" } });
    const before = { marks: await prisma.mark.count(), current: await prisma.currentMark.findUniqueOrThrow({ where: { markId: mark.markId } }) };
    const audited = await prisma.auditEntry.count();

    const res = await t.graphql<{ amendMark: unknown }>(
      `mutation ($input: AmendMarkInput!) { amendMark(input: $input) { id code version history { id code } } }`,
      { input: { markId: Buffer.from(`Mark:${mark.markId}`).toString("base64"), code: "I", reason: "Parent phoned" } },
      { authorization: `Bearer ${key.key}` },
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toContain("FORBIDDEN");
    expect(res.data?.amendMark ?? null).toBeNull();
    expect(await prisma.mark.count()).toBe(before.marks);
    expect(await prisma.currentMark.findUniqueOrThrow({ where: { markId: mark.markId } })).toEqual(before.current);
    const entries = await prisma.auditEntry.findMany({ orderBy: { at: "asc" }, skip: audited });
    expect(entries.map((e) => [e.operation, e.outcome])).toEqual([["anonymous: amendMark", "FORBIDDEN"]]);
  });

  it("trust-wide analytics with the tenant filter removed still return no other trust's rows", async () => {
    const { prisma } = t.db;
    const academy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: ACADEMY } } });
    const all = await prisma.academy.findMany({ select: { id: true, trustId: true } });
    const own = all.filter((a) => a.trustId === academy.trustId).map((a) => a.id);
    expect(all.length).toBeGreaterThan(own.length);
    // The resolver's own filter is the scope: here it is deliberately every
    // academy of every trust, as if a bug had dropped the check.
    const unfiltered = {
      kind: "ACADEMY" as const, ids: all.map((a) => a.id), from: "2000-01-01", to: "2099-12-31", cohort: {}, by: "TOTAL" as const,
      scope: { academyIds: all.map((a) => a.id), formIds: [] },
    };
    const asOwner = await queryStatistics(prisma, unfiltered);
    expect(new Set(asOwner.map((r) => r.groupId)).size).toBeGreaterThan(own.length);
    const asApp = await withTenant(prisma, academy.trustId, async (tx) => ({
      statistics: await queryStatistics(tx, unfiltered),
      pupils: await tx.pupil.findMany({ select: { academyId: true } }),
      carers: await tx.carer.findMany({ select: { academyId: true } }),
      marks: await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT DISTINCT academy_id::text FROM mark"),
      audit: await tx.auditEntry.findMany({ select: { trustId: true } }),
    }));
    expect(asApp.statistics.length).toBeGreaterThan(0);
    expect(asApp.statistics.every((r) => own.includes(r.groupId))).toBe(true);
    expect(asApp.pupils.length).toBeGreaterThan(0);
    expect(asApp.pupils.every((p) => own.includes(p.academyId))).toBe(true);
    expect(asApp.carers.every((c) => own.includes(c.academyId))).toBe(true);
    expect(asApp.marks.every((m) => own.includes(m.academy_id))).toBe(true);
    expect(asApp.audit.every((a) => a.trustId === academy.trustId)).toBe(true);
  });

  it("a node of another trust, hidden by row-level security, answers exactly as an unknown ID does: null", async () => {
    const { prisma } = t.db;
    const officer = await staff(prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const foreign = await prisma.pupil.findFirstOrThrow({ where: { academy: { name: { contains: "Woolwich" } } }, orderBy: { upn: "asc" } });
    const ask = (uuid: string) =>
      t.graphql(`query ($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from(`Pupil:${uuid}`).toString("base64") }, officer.headers);
    const seen = await ask(foreign.id);
    const unknown = await ask("00000000-0000-4000-8000-000000000000");
    expect(seen.data).toEqual({ node: null });
    expect(seen.errors).toBeUndefined();
    expect(seen).toEqual(unknown);
  });
});
