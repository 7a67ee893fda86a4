// The committed migrations are the only way the schema reaches a database, and
// they must build exactly what prisma/schema.prisma describes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, openScratchDatabase, diffMigrationsToSchema, type Database } from "../src/index.ts";
import { getDatamodel } from "../src/pothos.ts";

describe("migrations", () => {
  it("produce exactly the Prisma schema: no drift", async () => {
    // Replays every migration on a shadow PGlite and diffs it against schema.prisma.
    await using db = await openScratchDatabase("pglite", { migrate: false });
    expect(await diffMigrationsToSchema(db.migrationAdapterFactory)).toBe("");
  });
});

const expectedTables = [
  "academy", "api_client", "api_client_academy", "app_user", "attendance_academy_week", "attendance_span", "attendance_week", "attendance_weekday_span", "audit_entry", "carer", "case_action", "change_event", "current_mark", "enrolment", "escalation_job", "form",
  "form_tutor", "leave_request", "letter", "local_authority", "local_authority_notification", "mark", "penalty_notice", "policy_settings", "pupil",
  "register", "register_submission", "role_assignment", "school_closure", "school_term", "trust", "webhook_delivery", "webhook_endpoint",
];

describe.each(availableBackends())("migrations on %s", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openScratchDatabase(kind);
  });
  afterAll(() => db?.close());

  it("create a table for every model, and record themselves", async () => {
    const tables = await db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`;
    const names = tables.map((t) => t.table_name);
    expect(names).toEqual(["_prisma_migrations", ...expectedTables]);
    // Every model in the Prisma schema has its table.
    expect(Object.keys(getDatamodel().datamodel.models)).toHaveLength(expectedTables.length);
    const applied = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM _prisma_migrations`;
    expect(applied.length).toBeGreaterThan(0);
    expect(applied.every((m) => m.finished_at !== null)).toBe(true);
  });

  it("are idempotent: a second run applies nothing", async () => {
    const { applyMigrations } = await import("../src/index.ts");
    expect(await applyMigrations(db.migrationAdapterFactory)).toEqual([]);
  });

  it("refuse to update or delete a register mark", async () => {
    const [trust] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO trust (slug, name) VALUES ('t', 'T') RETURNING id`;
    const [la] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO local_authority (code, name) VALUES (999, 'LA') RETURNING id`;
    const [academy] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO academy (trust_id, local_authority_id, urn, name, phase)
      VALUES (${trust!.id}::uuid, ${la!.id}::uuid, 1, 'A', 'PRIMARY') RETURNING id`;
    const [pupil] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO pupil (academy_id, trust_id, upn, legal_forename, legal_surname, date_of_birth, gender, year_group)
      VALUES (${academy!.id}::uuid, ${trust!.id}::uuid, 'A123456789012', 'Ada', 'Example', '2015-01-01', 'FEMALE', 5) RETURNING id`;
    const [register] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO register (academy_id, date, session) VALUES (${academy!.id}::uuid, '2025-09-08', 'AM') RETURNING id`;
    await db.prisma.$executeRaw`
      INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category)
      VALUES (${register!.id}::uuid, ${pupil!.id}::uuid, ${academy!.id}::uuid, '2025-09-08', 'AM', '/', 'PRESENT')`;

    await expect(db.prisma.$executeRaw`UPDATE mark SET code = 'O'`).rejects.toThrow(/append-only/);
    await expect(db.prisma.$executeRaw`DELETE FROM mark`).rejects.toThrow(/append-only/);
    // An amendment without a reason is refused by the database itself.
    await expect(db.prisma.$executeRaw`
      INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category, version)
      VALUES (${register!.id}::uuid, ${pupil!.id}::uuid, ${academy!.id}::uuid, '2025-09-08', 'AM', 'I', 'AUTHORISED_ABSENCE', 2)`).rejects.toThrow();
    const marks = await db.prisma.mark.findMany();
    expect(marks.map((m) => m.code)).toEqual(["/"]);

    // An amendment with its reason is a new row, and becomes the current entry.
    await db.prisma.$executeRaw`
      INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category, version, amendment_reason)
      VALUES (${register!.id}::uuid, ${pupil!.id}::uuid, ${academy!.id}::uuid, '2025-09-08', 'AM', 'I', 'AUTHORISED_ABSENCE', 2, 'Parent phoned')`;
    const current = await db.prisma.currentMark.findMany();
    expect(current.map((c) => [c.code, c.version])).toEqual([["I", 2]]);
    expect(await db.prisma.mark.count()).toBe(2);
  });
});

describe.each(availableBackends())("pupil search columns on %s (migration pupil_search)", (kind) => {
  let db: Database;
  beforeAll(async () => {
    db = await openScratchDatabase(kind);
  });
  afterAll(() => db?.close());

  it("are kept folded by the trigger on insert and update, and indexed for prefix searches", async () => {
    const [trust] = await db.prisma.$queryRaw<{ id: string }[]>`INSERT INTO trust (slug, name) VALUES ('s', 'S') RETURNING id`;
    const [la] = await db.prisma.$queryRaw<{ id: string }[]>`INSERT INTO local_authority (code, name) VALUES (998, 'LA') RETURNING id`;
    const [academy] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO academy (trust_id, local_authority_id, urn, name, phase) VALUES (${trust!.id}::uuid, ${la!.id}::uuid, 2, 'A', 'PRIMARY') RETURNING id`;
    const [pupil] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO pupil (academy_id, trust_id, upn, legal_forename, legal_surname, preferred_forename, date_of_birth, gender, year_group)
      VALUES (${academy!.id}::uuid, ${trust!.id}::uuid, 'A123456789013', 'ZOË', 'O’Brien', NULL, '2015-01-01', 'FEMALE', 5) RETURNING id`;
    const folded = () => db.prisma.$queryRaw<{ f: string; s: string; p: string | null }[]>`
      SELECT search_forename AS f, search_surname AS s, search_preferred AS p FROM pupil WHERE id = ${pupil!.id}::uuid`;
    expect(await folded()).toEqual([{ f: "zoe", s: "o'brien", p: null }]);
    await db.prisma.$executeRaw`UPDATE pupil SET preferred_forename = 'Siân' WHERE id = ${pupil!.id}::uuid`;
    expect(await folded()).toEqual([{ f: "zoe", s: "o'brien", p: "sian" }]);
    // With sequential scans priced out, a prefix LIKE is answered from the index.
    const plan = await db.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRawUnsafe<{ "QUERY PLAN": string }[]>("EXPLAIN SELECT id FROM pupil WHERE search_surname LIKE 'o''b%'");
    });
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("pupil_search_surname_idx");
  });
});
