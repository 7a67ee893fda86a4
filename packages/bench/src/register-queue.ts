// pnpm --filter @attendance/bench bench:register-queue (PostgreSQL: DATABASE_URL):
// a 1,000-mark takeRegister against the raw multi-row insert of the same
// marks, now that escalation evaluation runs after the commit (issue 17,
// item 4), and the worker's evaluation of each register on its own: what the
// request used to pay as well. A quick check on a scratch database holding a
// one-academy synthetic trust (1,000 pupils, a year of marks), not the full
// bench (pnpm bench, phase "register").
import pg from "pg";
import { loadSyntheticTrust, openScratchDatabase, SESSION_OPTIONS } from "@attendance/db";
import { configFromEnv, createLogger, DEMO_JWT_SECRET, signStaffToken, startEscalationWorker, startServer } from "@attendance/server";
import { schoolDaysAfter } from "./load.ts";
import { rawRegisterInsert } from "./raw-register.ts";

const SAMPLES = Number(process.env.SAMPLES ?? 8);
if (!process.env.DATABASE_URL) throw new Error("DATABASE_URL (PostgreSQL) is required");
const db = await openScratchDatabase("postgresql");
try {
  const loaded = await loadSyntheticTrust(db.prisma, { academies: 1, pupilsPerAcademy: 1_000 });
  console.log(`loaded ${loaded.pupils} pupils, ${loaded.marks} marks in ${loaded.seconds.toFixed(0)} s`);
  await db.prisma.$executeRawUnsafe("ANALYZE");
  const academy = await db.prisma.academy.findFirstOrThrow({ where: { trustId: loaded.trustId } });
  const pupils = await db.prisma.pupil.findMany({ where: { academyId: academy.id }, select: { id: true }, orderBy: { upn: "asc" } });
  const last = (await db.prisma.register.aggregate({ where: { academyId: academy.id }, _max: { date: true } }))._max.date!.toISOString().slice(0, 10);
  const dates = await schoolDaysAfter(db.prisma, loaded.trustId, last, 2 * SAMPLES + 2);
  let next = 0;

  const config = configFromEnv({ ...process.env, RESPONSE_CACHE_MS: "0", RATE_LIMIT_STAFF_PER_MINUTE: "1000000000" });
  // No worker in the server: each register's evaluation is timed on its own below.
  const server = await startServer({ prisma: db.prisma, logger: createLogger("silent"), port: 0, host: "127.0.0.1", config, webhooks: { pollMs: 3_600_000 }, escalations: { start: false } });
  const worker = startEscalationWorker({ prisma: db.prisma, role: config.DATABASE_APP_ROLE, logger: createLogger("silent"), pollMs: 3_600_000 });
  const officer = await db.prisma.user.create({
    data: { email: "officer@register-queue.example", displayName: "Officer", roles: { create: [{ role: "ATTENDANCE_OFFICER", trustId: loaded.trustId, academyId: academy.id }] } },
  });
  const token = await signStaffToken(officer.id, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
  const gid = (id: string) => Buffer.from(`Pupil:${id}`).toString("base64");
  const take = async () => {
    const started = performance.now();
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`,
        variables: { input: { academyUrn: academy.urn, date: dates[next++], session: "AM", marks: pupils.map((p, i) => ({ pupilId: gid(p.id), code: i % 20 === 0 ? "N" : "/" })) } },
      }),
    });
    const body = (await res.json()) as { errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return performance.now() - started;
  };
  const pool = new pg.Pool({ connectionString: db.url!, max: 2, options: SESSION_OPTIONS });
  const raw = async () => {
    const started = performance.now();
    await rawRegisterInsert(pool, academy.id, dates[next++]!, pupils.map((p) => p.id));
    return performance.now() - started;
  };
  const evaluate = async () => {
    const started = performance.now();
    await worker.drain();
    return performance.now() - started;
  };

  // One warm-up of each, then samples taken in turn.
  await take();
  await evaluate();
  await raw();
  const times = { take: [] as number[], evaluate: [] as number[], raw: [] as number[] };
  for (let i = 0; i < SAMPLES; i++) {
    times.take.push(await take());
    times.evaluate.push(await evaluate());
    times.raw.push(await raw());
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const m = { take: median(times.take), evaluate: median(times.evaluate), raw: median(times.raw) };
  console.log(JSON.stringify({ samples: SAMPLES, medianMs: m, ratio: +(m.take / m.raw).toFixed(2), ratioWithEvaluation: +((m.take + m.evaluate) / m.raw).toFixed(2), times }, null, 1));
  await worker.close();
  await server.close();
  await pool.end();
} finally {
  await db.close();
}
