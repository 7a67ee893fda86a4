// The database as the second line (issue #13 item 9): as the application role,
// the append-only and derived tables cannot be bypassed or rewritten, and a
// query with no trust filter at all still returns only the current trust's rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, openScratchDatabase, withTenant, type Database } from "../src/index.ts";

interface Tenant {
  trust: string;
  academy: string;
  pupil: string;
  register: string;
}

async function seedTrust(db: Database, n: number, la: string): Promise<Tenant> {
  const [trust] = await db.prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO trust (slug, name) VALUES (${`t${n}`}, ${`Trust ${n}`}) RETURNING id`;
  const [academy] = await db.prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO academy (trust_id, local_authority_id, urn, name, phase)
    VALUES (${trust!.id}::uuid, ${la}::uuid, ${n}, ${`Academy ${n}`}, 'PRIMARY') RETURNING id`;
  const [pupil] = await db.prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO pupil (academy_id, trust_id, upn, legal_forename, legal_surname, date_of_birth, gender, year_group)
    VALUES (${academy!.id}::uuid, ${trust!.id}::uuid, ${`A12345678901${n}`}, 'Ada', 'Example', '2015-01-01', 'FEMALE', 5) RETURNING id`;
  const [register] = await db.prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO register (academy_id, date, session) VALUES (${academy!.id}::uuid, '2025-09-08', 'AM') RETURNING id`;
  await db.prisma.$executeRaw`
    INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category)
    VALUES (${register!.id}::uuid, ${pupil!.id}::uuid, ${academy!.id}::uuid, '2025-09-08', 'AM', '/', 'PRESENT')`;
  await db.prisma.$executeRaw`
    INSERT INTO audit_entry (actor_kind, trust_id, operation, variables, outcome)
    VALUES ('user', ${trust!.id}::uuid, 'test', '{}'::jsonb, 'OK')`;
  return { trust: trust!.id, academy: academy!.id, pupil: pupil!.id, register: register!.id };
}

describe.each(availableBackends())("database roles on %s", (kind) => {
  let db: Database;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    db = await openScratchDatabase(kind);
    const [la] = await db.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO local_authority (code, name) VALUES (999, 'LA') RETURNING id`;
    a = await seedTrust(db, 1, la!.id);
    b = await seedTrust(db, 2, la!.id);
  });
  afterAll(() => db?.close());

  it("the application role is neither superuser, owner nor exempt from row-level security", async () => {
    const [role] = await db.prisma.$queryRaw<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
      SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = 'attendance_app'`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public' AND tableowner = 'attendance_app'`;
    expect(Number(owned[0]!.n)).toBe(0);
    const unprotected = await db.prisma.$queryRaw<{ relname: string }[]>`
      SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)
      ORDER BY relname`;
    // Shared reference data and Prisma's own bookkeeping only.
    expect(unprotected.map((r) => r.relname)).toEqual(["_prisma_migrations", "local_authority"]);
    await withTenant(db.prisma, a.trust, async (tx) => {
      const [me] = await tx.$queryRaw<{ user: string }[]>`SELECT current_user AS user`;
      expect(me!.user).toBe("attendance_app");
    });
  });

  it("cannot switch the append-only trigger off", async () => {
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica")))
      .rejects.toThrow(/permission denied/);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("ALTER TABLE mark DISABLE TRIGGER mark_append_only")))
      .rejects.toThrow(/must be owner|permission denied/);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("TRUNCATE mark")))
      .rejects.toThrow(/permission denied/);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("UPDATE mark SET code = 'O'")))
      .rejects.toThrow(/permission denied/);
  });

  it.each(["current_mark", "attendance_week", "attendance_span", "attendance_weekday_span", "attendance_academy_week", "audit_entry"])("cannot update or delete %s", async (table) => {
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe(`UPDATE ${table} SET academy_id = academy_id`)))
      .rejects.toThrow(/permission denied/);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe(`DELETE FROM ${table}`)))
      .rejects.toThrow(/permission denied/);
  });

  it("keeps current_mark and attendance_week through the owner's triggers", async () => {
    await withTenant(db.prisma, a.trust, async (tx) => {
      await tx.$executeRaw`
        INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category, version, amendment_reason)
        VALUES (${a.register}::uuid, ${a.pupil}::uuid, ${a.academy}::uuid, '2025-09-08', 'AM', 'I', 'AUTHORISED_ABSENCE', 2, 'Parent phoned')`;
      const current = await tx.currentMark.findMany();
      expect(current.map((c) => [c.code, c.version])).toEqual([["I", 2]]);
      const weeks = await tx.attendanceWeek.findMany();
      expect(weeks.map((w) => [w.present, w.authorised])).toEqual([[0, 1]]);
      // And the running totals kept from attendance_week by its own trigger.
      const spans = await tx.attendanceSpan.findMany();
      expect(spans.map((s) => [s.present.at(-1), s.authorised.at(-1)])).toEqual([[0, 1]]);
      // And the weekday running totals kept from current_mark (2025-09-08 is a Monday).
      const weekdays = await tx.attendanceWeekdaySpan.findMany();
      expect(weekdays.map((s) => [s.weekday, s.present.at(-1), s.authorised.at(-1)])).toEqual([[1, 0, 1]]);
    });
  });

  it("an unfiltered query returns only the current trust's rows, and none with no trust set", async () => {
    const everything = async (trust: string | null) =>
      withTenant(db.prisma, trust, async (tx) => ({
        trusts: (await tx.$queryRawUnsafe<{ id: string }[]>("SELECT id FROM trust")).map((r) => r.id),
        academies: (await tx.$queryRawUnsafe<{ id: string }[]>("SELECT id FROM academy")).map((r) => r.id),
        pupils: (await tx.$queryRawUnsafe<{ id: string }[]>("SELECT id FROM pupil")).map((r) => r.id),
        marks: (await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT academy_id FROM mark")).map((r) => r.academy_id),
        current: (await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT academy_id FROM current_mark")).map((r) => r.academy_id),
        weeks: (await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT academy_id FROM attendance_week")).map((r) => r.academy_id),
        spans: (await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT academy_id FROM attendance_span")).map((r) => r.academy_id),
        academyWeeks: (await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT academy_id FROM attendance_academy_week")).map((r) => r.academy_id),
        weekdaySpans: (await tx.$queryRawUnsafe<{ academy_id: string }[]>("SELECT academy_id FROM attendance_weekday_span")).map((r) => r.academy_id),
        audit: (await tx.$queryRawUnsafe<{ trust_id: string }[]>("SELECT trust_id FROM audit_entry")).map((r) => r.trust_id),
        viaPrisma: (await tx.pupil.findMany({ select: { id: true } })).map((p) => p.id),
      }));
    const seenByA = await everything(a.trust);
    expect(seenByA.trusts).toEqual([a.trust]);
    expect(seenByA.academies).toEqual([a.academy]);
    expect(seenByA.pupils).toEqual([a.pupil]);
    expect(seenByA.viaPrisma).toEqual([a.pupil]);
    expect(new Set(seenByA.marks)).toEqual(new Set([a.academy]));
    expect(new Set(seenByA.current)).toEqual(new Set([a.academy]));
    expect(new Set(seenByA.weeks)).toEqual(new Set([a.academy]));
    expect(new Set(seenByA.spans)).toEqual(new Set([a.academy]));
    expect(new Set(seenByA.academyWeeks)).toEqual(new Set([a.academy]));
    expect(new Set(seenByA.weekdaySpans)).toEqual(new Set([a.academy]));
    expect(seenByA.audit).toEqual([a.trust]);
    const seenByB = await everything(b.trust);
    expect(seenByB.pupils).toEqual([b.pupil]);
    expect(new Set(seenByB.marks)).toEqual(new Set([b.academy]));
    const seenByNobody = await everything(null);
    expect(Object.values(seenByNobody).flat()).toEqual([]);
    // The owner (migrations, seeding, jobs) still sees both.
    expect(await db.prisma.pupil.count()).toBe(2);
  });

  it("inserts new staff only through app_enrol_user, which needs a trust and leaves another trust's staff theirs (issue 15)", async () => {
    // app_user's policy shows users holding a role in the trust: a new one cannot be inserted directly.
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRaw`
      INSERT INTO app_user (email, display_name) VALUES ('direct@example.org', 'Direct')`)).rejects.toThrow(/row-level security/);
    await expect(withTenant(db.prisma, null, (tx) => tx.$queryRaw`SELECT app_enrol_user('x@example.org', 'X', NULL)`)).rejects.toThrow(/needs a trust/);
    const seen = await withTenant(db.prisma, a.trust, async (tx) => {
      const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT app_enrol_user('new@example.org', 'New Starter', 'idp|new') AS id`;
      await tx.$executeRaw`INSERT INTO role_assignment (user_id, role, trust_id, academy_id) VALUES (${row!.id}::uuid, 'TEACHER', ${a.trust}::uuid, ${a.academy}::uuid)`;
      return tx.$queryRaw<{ display_name: string; subject: string }[]>`SELECT display_name, subject FROM app_user WHERE email = 'new@example.org'`;
    });
    expect(seen).toEqual([{ display_name: "New Starter", subject: "idp|new" }]);
    // Trust b cannot see them, nor take them over by e-mail (their sign-in would stop).
    expect(await withTenant(db.prisma, b.trust, (tx) => tx.$queryRaw`SELECT id FROM app_user WHERE email = 'new@example.org'`)).toEqual([]);
    await expect(withTenant(db.prisma, b.trust, (tx) => tx.$queryRaw`SELECT app_enrol_user('new@example.org', 'Poached', NULL)`)).rejects.toThrow(/in use elsewhere/);
  });

  it("cannot write into another trust", async () => {
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRaw`
      INSERT INTO register (academy_id, date, session) VALUES (${b.academy}::uuid, '2025-09-09', 'AM')`))
      .rejects.toThrow(/row-level security/);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRaw`
      INSERT INTO audit_entry (actor_kind, trust_id, operation, variables, outcome)
      VALUES ('user', ${b.trust}::uuid, 'forged', '{}'::jsonb, 'OK')`))
      .rejects.toThrow(/row-level security/);
    // An update aimed at another trust's row finds nothing to update.
    const updated = await withTenant(db.prisma, a.trust, (tx) => tx.$executeRaw`
      UPDATE pupil SET legal_forename = 'Changed' WHERE id = ${b.pupil}::uuid`);
    expect(updated).toBe(0);
  });

  it("keeps calendars to their trust: trust-wide rows, no academy of another trust, no delete, only the replacement columns updated", async () => {
    // Issue 14: trust-wide calendar rows have no academy, so the policy is keyed by trust_id.
    await db.prisma.$executeRaw`
      INSERT INTO school_term (trust_id, academy_id, academic_year, name, start_date, end_date)
      VALUES (${a.trust}::uuid, NULL, '2026/27', 'Autumn 1', '2026-09-02', '2026-10-23'),
             (${b.trust}::uuid, NULL, '2026/27', 'Autumn 1', '2026-09-03', '2026-10-23')`;
    const seen = await withTenant(db.prisma, a.trust, (tx) => tx.$queryRawUnsafe<{ trust_id: string }[]>("SELECT trust_id FROM school_term"));
    expect(seen.map((r) => r.trust_id)).toEqual([a.trust]);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRaw`
      INSERT INTO school_closure (trust_id, academy_id, kind, start_date, end_date, reason) VALUES (${b.trust}::uuid, NULL, 'INSET', '2026-09-03', '2026-09-03', 'x')`))
      .rejects.toThrow(/row-level security/);
    // An academy's row must be in the academy's own trust (composite foreign key).
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRaw`
      INSERT INTO school_closure (trust_id, academy_id, kind, start_date, end_date, reason) VALUES (${a.trust}::uuid, ${b.academy}::uuid, 'INSET', '2026-09-03', '2026-09-03', 'x')`))
      .rejects.toThrow();
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("DELETE FROM school_term"))).rejects.toThrow(/permission denied/);
    await expect(withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("UPDATE school_term SET name = 'Changed'"))).rejects.toThrow(/permission denied/);
    const replaced = await withTenant(db.prisma, a.trust, (tx) => tx.$executeRawUnsafe("UPDATE school_term SET replaced_at = now()"));
    expect(replaced).toBe(1);
  });

  it("a settings change does not outlive its transaction on the pooled connection", async () => {
    await withTenant(db.prisma, a.trust, async () => {});
    const [after] = await db.prisma.$queryRaw<{ user: string; trust: string | null }[]>`
      SELECT current_user AS user, nullif(current_setting('app.trust_id', true), '') AS trust`;
    expect(after!.user).not.toBe("attendance_app");
    expect(after!.trust).toBeNull();
  });

  it("a nested transaction is a savepoint: a caught inner failure leaves the outer one usable", async () => {
    const count = await withTenant(db.prisma, a.trust, async (tx) => {
      await expect(tx.$transaction(async (inner) => {
        await inner.$executeRaw`INSERT INTO register (academy_id, date, session) VALUES (${a.academy}::uuid, '2025-09-10', 'AM')`;
        throw new Error("inner step failed");
      })).rejects.toThrow("inner step failed");
      return tx.register.count();
    });
    expect(count).toBe(1);
  });
});
