// Sustained mixed load on loopback: workers send reads (an academy's week of
// attendance) and register writes (30 marks, each at a register no one else
// writes), for a fixed time; optionally something breaks on the way (a
// PostgreSQL restart). Afterwards every write the server acknowledged is
// looked for in the database: none may be lost.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { PrismaClient } from "@attendance/db";
import { graphqlRequest } from "./request.ts";
import { classifyFailure, loadNow, Tally } from "./stats.ts";

export interface LoadOptions {
  endpoint: string;
  headers: Record<string, string>;
  prisma: PrismaClient;
  academies: { id: string; urn: number }[];
  seconds: number;
  workers: number;
  /** School days for the registers the writes take, in order (unused by anything else): schoolDaysAfter. */
  dates: string[];
  fault?: { atSecond: number; command: string[] };
}

export interface LoadResult {
  requests: number;
  writes: number;
  /** The writes used every school day given, and the rest of the run was reads. */
  outOfDays: boolean;
  /**
   * Failed requests by kind: a GraphQL error in an HTTP 200 answer or an HTTP
   * error (during an outage: the clean way to fail), a timeout or a dropped
   * connection (no answer at all).
   */
  failures: Tally;
  /** Milliseconds of each successful read and each successful write. */
  readMs: number[];
  writeMs: number[];
  /** The 1-minute load average at the start and end of the run. */
  load: { start: number; end: number };
  lost: number;
  /** From the fault to the first success after the last failure. */
  recoverySeconds: number | null;
}

/**
 * The first `n` school days after `date`: weekdays inside the trust's own
 * terms on which none of its academies is closed (a training day), since
 * takeRegister refuses a weekend, a holiday or a closure (register
 * validity). The bench's registers go after every register the trust has,
 * which for the synthetic trust is the summer holiday. Never a day still to
 * come (takeRegister refuses those): fewer than `n` when the calendar reaches
 * today, and an error only when fewer than `atLeast`.
 */
export async function schoolDaysAfter(prisma: PrismaClient, trustId: string, date: string, n: number, atLeast = n): Promise<string[]> {
  const after = new Date(`${date}T00:00:00Z`);
  const [terms, closures] = await Promise.all([
    prisma.schoolTerm.findMany({ where: { trustId, academyId: null, replacedAt: null, endDate: { gt: after } }, orderBy: { startDate: "asc" } }),
    prisma.schoolClosure.findMany({ where: { trustId, withdrawnAt: null, endDate: { gt: after } }, select: { startDate: true, endDate: true } }),
  ]);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const today = iso(new Date());
  const closed = (day: string) => closures.some((c) => iso(c.startDate) <= day && day <= iso(c.endDate));
  const days: string[] = [];
  for (const term of terms) {
    const start = iso(term.startDate);
    const end = iso(term.endDate);
    // The day before the first one wanted: weekdayAfter steps to the next weekday.
    let d = start > date ? dayBefore(start) : date;
    while ((d = weekdayAfter(d, 1)) <= end) {
      if (closed(d)) continue;
      if (d > today) return enough(days);
      days.push(d);
      if (days.length === n) return days;
    }
  }
  return enough(days);

  function enough(found: string[]): string[] {
    if (found.length >= atLeast) return found;
    throw new Error(
      `the bench writes its registers after the last one written (${date}), and only ${found.length} school day(s) after it are in the trust's terms and not in the future, ${atLeast} needed: ` +
        "load the synthetic trust again into a new database (see README, Benchmarks)",
    );
  }
}

/** Present in each session: / in the morning, \\ in the afternoon (SI 2024/208, table 1); takeRegister refuses the other. */
const PRESENT = { AM: "/", PM: "\\" } as const;

const dayBefore = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** The n-th weekday after `date` (registers the bench writes, one date after another). */
export function weekdayAfter(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  for (let added = 0; added < n; ) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) added++;
  }
  return d.toISOString().slice(0, 10);
}

export async function loadRun(o: LoadOptions): Promise<LoadResult> {
  const pupils = new Map<string, string[]>();
  for (const a of o.academies) {
    const rows = await o.prisma.pupil.findMany({ where: { academyId: a.id }, select: { id: true }, orderBy: { upn: "asc" }, take: 30 });
    pupils.set(a.id, rows.map((p) => Buffer.from(`Pupil:${p.id}`).toString("base64")));
  }
  const acked: { academy_id: string; date: string; session: string }[] = [];
  const outcomes: { at: number; ok: boolean }[] = [];
  let requests = 0;
  const failures = new Tally();
  const readMs: number[] = [];
  const writeMs: number[] = [];
  const loadStart = loadNow();
  let job = 0;
  let slot = 0;
  const started = performance.now();
  const deadline = started + o.seconds * 1000;
  let faultAt: number | null = null;
  const planned = o.fault;
  const fault = planned
    ? new Promise<void>((resolve) =>
        setTimeout(async () => {
          faultAt = performance.now();
          await promisify(execFile)(planned.command[0]!, planned.command.slice(1)).catch((e) => console.error(`fault command failed: ${e}`));
          resolve();
        }, planned.atSecond * 1000),
      )
    : Promise.resolve();

  async function send(query: string, variables: Record<string, unknown>, into: number[]) {
    const at = performance.now();
    requests++;
    try {
      // 15 s: an answer later than that is a timeout here, whatever the server does with it.
      const data = await graphqlRequest(o.endpoint, o.headers, query, variables, 15_000);
      into.push(performance.now() - at);
      outcomes.push({ at, ok: true });
      return data;
    } catch (e) {
      failures.add(classifyFailure(e), (e as Error).message);
      outcomes.push({ at, ok: false });
      return null;
    }
  }

  async function worker() {
    while (performance.now() < deadline) {
      const n = job++;
      const academy = o.academies[n % o.academies.length]!;
      // Every fourth request a register, while school days are left for them
      // (each day takes an AM and a PM register per academy); then reads only.
      if (n % 4 === 3 && slot < 2 * o.academies.length * o.dates.length) {
        const s = slot++;
        const target = o.academies[s % o.academies.length]!;
        const date = o.dates[Math.floor(s / (2 * o.academies.length))]!;
        const session = Math.floor(s / o.academies.length) % 2 === 0 ? "AM" : "PM";
        const data = await send(`mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`, {
          input: { academyUrn: target.urn, date, session, marks: pupils.get(target.id)!.map((pupilId, i) => ({ pupilId, code: i % 9 === 0 ? "I" : PRESENT[session] })) },
        }, writeMs);
        if ((data?.takeRegister as { recorded?: number } | undefined)?.recorded === 30) acked.push({ academy_id: target.id, date, session });
        else if (data) {
          // Answered without error but not all 30 marks recorded: not a write the bench can look for, so reported.
          failures.add("error", `takeRegister answered ${JSON.stringify(data).slice(0, 200)}`);
        }
      } else {
        await send(`query ($urn: Int!) { academy(urn: $urn) { attendance(from: "2026-03-02", to: "2026-03-08") { total { present possibleSessions } } } }`, { urn: academy.urn }, readMs);
      }
    }
  }
  await Promise.all([...Array.from({ length: o.workers }, worker), fault]);

  const [found] = await o.prisma.$queryRawUnsafe<{ complete: number }[]>(
    `SELECT count(*) FILTER (WHERE n = 30)::int AS complete FROM (
       SELECT count(cm.pupil_id) AS n FROM jsonb_to_recordset($1::jsonb) AS k(academy_id uuid, date date, session session)
       LEFT JOIN register r ON r.academy_id = k.academy_id AND r.date = k.date AND r.session = k.session
       LEFT JOIN current_mark cm ON cm.register_id = r.id
       GROUP BY k.academy_id, k.date, k.session) s`,
    JSON.stringify(acked),
  );
  let recoverySeconds: number | null = null;
  if (faultAt !== null) {
    const failures = outcomes.filter((x) => !x.ok).map((x) => x.at);
    const lastFailure = failures.length ? Math.max(...failures) : faultAt;
    const recovered = outcomes.filter((x) => x.ok && x.at > lastFailure).map((x) => x.at);
    recoverySeconds = recovered.length ? (Math.min(...recovered) - faultAt) / 1000 : null;
  }
  return { requests, outOfDays: slot >= 2 * o.academies.length * o.dates.length, writes: acked.length, failures, readMs, writeMs, load: { start: loadStart, end: loadNow() }, lost: acked.length - (found?.complete ?? 0), recoverySeconds };
}
