// A synthetic trust's database for a bench phase: created if missing,
// migrated, loaded once (later runs reuse it), and served by a server of its
// own with the response cache off (every answer computed) and the per-user
// rate limit lifted (the bench measures the server, not the limit).
import pg from "pg";
import { applyMigrations, loadSyntheticTrust, openDatabase, progressBar, SESSION_OPTIONS, syntheticTrustExists, SYNTHETIC_TRUST_SLUG, type Database } from "@attendance/db";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startServer } from "@attendance/server";

/** Creates the database named by `url` on its server if it does not exist. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: "/postgres" }).toString() });
  await admin.connect();
  try {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name.replace(/"/g, "")}"`);
  } finally {
    await admin.end();
  }
}

export interface BenchTrust {
  db: Database;
  trust: { id: string; name: string; academies: { id: string }[] };
  pupils: number;
  marks: number;
  /** The server's /graphql (response cache off). */
  endpoint: string;
  /** A trust lead's headers. */
  headers: Record<string, string>;
  /** `pg` with the service's session settings, for the SQL side. */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** Opens (creating and loading when missing) the synthetic trust at `url`, with `academies` × `pupilsPerAcademy` when it has to be loaded. */
export async function openBenchTrust(url: string, size: { academies: number; pupilsPerAcademy?: number }): Promise<BenchTrust> {
  await ensureDatabase(url);
  const db = openDatabase({ url, onConnectionError: () => {} });
  await applyMigrations(db.migrationAdapterFactory);
  if (!(await syntheticTrustExists(db.prisma))) {
    console.error(`Loading a synthetic trust of ${size.academies} academies into ${new URL(url).pathname.slice(1)} (once; later runs reuse it)…`);
    const bar = progressBar("academies");
    const loaded = await loadSyntheticTrust(db.prisma, { academies: size.academies, pupilsPerAcademy: size.pupilsPerAcademy ?? 1_000, onProgress: bar.update });
    bar.done();
    console.error(`Loaded ${loaded.marks.toLocaleString("en-GB")} marks in ${loaded.seconds.toFixed(0)} s; ANALYZE…`);
    await db.prisma.$executeRawUnsafe("ANALYZE");
  }
  const trust = await db.prisma.trust.findUniqueOrThrow({ where: { slug: SYNTHETIC_TRUST_SLUG }, select: { id: true, name: true, academies: { select: { id: true }, orderBy: { urn: "asc" } } } });
  // Marks by the planner's estimate: count(*) over tens of millions of rows takes longer than the rows measured here.
  const [pupils, [{ marks }]] = await Promise.all([
    db.prisma.pupil.count({ where: { trustId: trust.id } }),
    db.prisma.$queryRawUnsafe<{ marks: number }[]>("SELECT reltuples::bigint::int AS marks FROM pg_class WHERE relname = 'mark'") as Promise<[{ marks: number }]>,
  ]);
  const lead = await db.prisma.roleAssignment.findFirstOrThrow({ where: { trustId: trust.id, role: "TRUST_ATTENDANCE_LEAD" } });
  const config = configFromEnv({});
  const token = await signStaffToken(lead.userId, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  const server = await startServer({
    prisma: db.prisma, logger: createLogger("silent"), port: 0, host: "127.0.0.1",
    config: configFromEnv({ ...process.env, RESPONSE_CACHE_MS: "0", RATE_LIMIT_STAFF_PER_MINUTE: "1000000000" }), webhooks: { pollMs: 3_600_000 },
  });
  const pool = new pg.Pool({ connectionString: url, max: 4, options: SESSION_OPTIONS });
  return {
    db, trust, pupils, marks, pool,
    endpoint: `${server.url}/graphql`,
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    async close() {
      await server.close();
      await pool.end();
      await db.close();
    },
  };
}
