// withTenant's settings (the application role, the trust) travel with the
// transaction's BEGIN on PostgreSQL, one round trip fewer per operation
// (client.ts, issue 17 item 3), and as the first statement on PGlite. Either
// way they are in force for every statement of the transaction, and for no
// other: not after it on the pooled connection, not for work that was started
// inside it and runs later.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, openScratchDatabase, withTenant, type Database } from "../src/index.ts";

describe.each(availableBackends())("tenant settings with BEGIN on %s", (kind) => {
  let db: Database;
  const statements: string[] = [];
  beforeAll(async () => {
    db = await openScratchDatabase(kind, { onStatement: (sql) => statements.push(sql) });
  });
  afterAll(() => db?.close());

  const who = (client: Database["prisma"]) =>
    client.$queryRaw<{ role: string; trust: string | null }[]>`SELECT current_user::text AS role, nullif(current_setting('app.trust_id', true), '') AS trust`.then((r) => r[0]!);

  it("are in force from the transaction's first statement to its last", async () => {
    const trust = "00000000-0000-4000-8000-000000000001";
    statements.length = 0;
    const seen = await withTenant(db.prisma, trust, async (tx) => [await who(tx), await who(tx)]);
    expect(seen).toEqual([{ role: "attendance_app", trust }, { role: "attendance_app", trust }]);
    const separate = statements.filter((s) => s.includes("set_config")).length;
    // PostgreSQL: sent with BEGIN (which the statement listener does not see); PGlite: a statement of its own.
    expect(separate).toBe(kind === "postgresql" ? 0 : 1);
  });

  it("end with the transaction, on every pooled connection", async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => withTenant(db.prisma, `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, (tx) => who(tx))));
    const after = await Promise.all(Array.from({ length: 12 }, () => db.prisma.$transaction((tx) => who(tx as unknown as Database["prisma"]))));
    for (const w of after) expect(w).toEqual({ role: expect.not.stringMatching(/^attendance_app$/), trust: null });
  });

  it("are not inherited by work started inside the transaction and run after it", async () => {
    let later: Promise<unknown> | undefined;
    await withTenant(db.prisma, "00000000-0000-4000-8000-000000000002", async (tx) => {
      later = new Promise((resolve) => setTimeout(resolve, 20)).then(() => db.prisma.$transaction((t) => who(t as unknown as Database["prisma"])));
      return who(tx);
    });
    expect(await later).toEqual({ role: expect.not.stringMatching(/^attendance_app$/), trust: null });
  });

  it("are sent as quoted values: a quote in one cannot end it", async () => {
    const hostile = "x', true), set_config('role', 'postgres";
    const seen = await withTenant(db.prisma, hostile, (tx) => who(tx));
    expect(seen).toEqual({ role: "attendance_app", trust: hostile });
  });
});
