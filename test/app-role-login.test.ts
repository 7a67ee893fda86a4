// The server's operations on connections logged in as the application role
// (DATABASE_APP_URL), not the owner switched to it (issue 13, item 9: "the
// server connects as a separate non-owner role without BYPASSRLS or
// superuser"). PostgreSQL only: PGlite has one connection, its owner's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const APP_ROLE = "attendance_app";

describe.skipIf(!process.env.DATABASE_URL)("operations logged in as the application role (postgresql)", () => {
  let t: TestServer;
  let officer: Credentials;
  let urn: number;

  beforeAll(async () => {
    // The migration makes the role NOLOGIN (a deployment gives it LOGIN and a
    // password); roles belong to the server, so this holds for every database.
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`ALTER ROLE ${APP_ROLE} LOGIN`).finally(() => admin.end());
    t = await startTestServer("postgresql", { demo: { pupilsPerForm: 2, weeks: 1 }, loginAs: APP_ROLE });
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
    urn = (await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } })).urn;
  });
  afterAll(() => t?.close());

  it("answers queries and amends a mark on connections that are the application role's own", async () => {
    const read = await t.graphql<{ academy: { name: string; pupils: { totalCount: number } } }>(
      `query ($urn: Int!) { academy(urn: $urn) { name pupils { totalCount } } }`, { urn }, officer.headers,
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.academy.pupils.totalCount).toBeGreaterThan(0);

    // A write: the amendment, its derived current mark and its audit row.
    const academy = await t.db.prisma.academy.findFirstOrThrow({ where: { urn } });
    const mark = await t.db.prisma.currentMark.findFirstOrThrow({ where: { academyId: academy.id, code: "/" }, orderBy: { markId: "asc" } });
    const amended = await t.graphql<{ amendMark: { code: string; version: number } }>(
      `mutation ($input: AmendMarkInput!) { amendMark(input: $input) { code version } }`,
      { input: { markId: Buffer.from(`Mark:${mark.markId}`).toString("base64"), code: "I", reason: "Parent phoned: ill" } },
      officer.headers,
    );
    expect(amended.errors).toBeUndefined();
    expect(amended.data!.amendMark).toMatchObject({ code: "I", version: 2 });
    expect((await t.db.prisma.currentMark.findFirstOrThrow({ where: { pupilId: mark.pupilId, registerId: mark.registerId } })).code).toBe("I");
    expect(await t.db.prisma.auditEntry.count({ where: { operation: { contains: "amendMark" }, outcome: "OK" } })).toBe(1);

    // Who is connected to this database: the operations' pool logs in as the role.
    const { url } = t.db;
    const database = new URL(url!).pathname.slice(1);
    const sessions = await t.db.prisma.$queryRaw<{ usename: string; rolsuper: boolean; rolbypassrls: boolean }[]>`
      SELECT a.usename, r.rolsuper, r.rolbypassrls FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
      WHERE a.datname = ${database} AND a.usename = ${APP_ROLE}`;
    expect(sessions.length).toBeGreaterThan(0);
    expect(sessions.every((s) => !s.rolsuper && !s.rolbypassrls)).toBe(true);
  });

  it("cannot, as that login, switch triggers off or become the owner", async () => {
    const client = new pg.Client({ connectionString: Object.assign(new URL(t.db.url!), { username: APP_ROLE, password: "" }).toString() });
    await client.connect();
    try {
      await expect(client.query("SET session_replication_role = replica")).rejects.toThrow(/permission denied/);
      await expect(client.query("SET ROLE postgres")).rejects.toThrow(/permission denied/);
      await expect(client.query("UPDATE current_mark SET code = 'X'")).rejects.toThrow(/permission denied/);
      // No trust set: row-level security shows nothing.
      expect((await client.query("SELECT count(*)::int AS n FROM pupil")).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });
});
