// The everyday reads of pnpm bench (issue 17, item 1): what an attendance
// officer and an academy's office open many times a day, each request with
// other arguments (another academy, pupil, register or period) and the
// response cache off, so every answer is computed:
//   - an academy's forms, each with its first 30 pupils and their figures for a period;
//   - a pupil's marks for a term, with totalCount;
//   - a register with its marks (500 of them, with totalCount).
// "The same SQL through pg" is exactly what the server sent: each variant's
// statements, with their arguments, are captured at the driver adapter
// (packages/db/src/statement-counter.ts) from one untimed request, then
// replayed in order on one pg connection inside a transaction, as the
// server runs an operation. The GraphQL side and the SQL side walk the
// variants in the same order. The replay runs as the database owner, so it
// skips row-level security: the difference is the whole stack's cost.
import type pg from "pg";
import { BenchFailure, sideBySide, timedRow, type Row, type SideBySideOptions } from "./stats.ts";
import { LIST_PERIODS } from "./pupil-list-phase.ts";

export interface Statement {
  sql: string;
  args: readonly unknown[];
}

export interface EverydayBench {
  pool: pg.Pool;
  /** One request through the server (response cache off); throws a BenchFailure on any error. */
  graphql: (query: string, variables: Record<string, unknown>) => Promise<unknown>;
  /** Runs `fn` and returns the statements the server sent meanwhile. */
  capture: (fn: () => Promise<unknown>) => Promise<Statement[]>;
  academies: { urn: number; id: string }[];
  /** Pupils' UPNs to ask about, from several academies. */
  upns: string[];
  /** Registers that exist: academy URN, date, session. */
  registers: { urn: number; date: string; session: string }[];
  timing: SideBySideOptions;
}

export const FORMS = `query ($urn: Int!, $from: Date!, $to: Date!) { academy(urn: $urn) { forms(first: 50) { edges { node { name
  pupils(first: 30) { edges { node { upn attendance(from: $from, to: $to) { total { possibleSessions present authorisedAbsence unauthorisedAbsence attendanceRate } } } } } } } } } }`;
const MARKS = `query ($upn: String!, $from: Date!, $to: Date!) { pupil(upn: $upn) { marks(from: $from, to: $to, first: 200) { totalCount edges { node { date session code category } } } } }`;
const REGISTER = `query ($urn: Int!, $date: Date!, $session: Session!) { register(academyUrn: $urn, date: $date, session: $session) { date session marks(first: 500) { totalCount edges { node { code pupil { upn } } } } } }`;

/** The terms of the synthetic school year (2025/26). */
const TERMS = [
  { from: "2025-09-01", to: "2025-12-19" },
  { from: "2026-01-05", to: "2026-03-27" },
  { from: "2026-04-13", to: "2026-07-21" },
];

/**
 * The statements that ask the question: the request's tenant settings (the
 * role and trust, set_config) and its COMMIT are the stack's, not the
 * question's, and are left out, so the replay runs as the database owner,
 * without row-level security. Shared with the throughput phase.
 */
export function questionStatements(statements: readonly Statement[]): Statement[] {
  return statements.filter((s) => !s.sql.includes("set_config(") && s.sql.trim() !== "COMMIT");
}

/** Replays a request's question statements in order on one connection, in a transaction. */
async function replay(pool: pg.Pool, statements: readonly Statement[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const s of questionStatements(statements)) await client.query(s.sql, s.args as unknown[]);
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw new BenchFailure("error", `replay: ${(e as Error).message}`);
  } finally {
    client.release();
  }
}

/** Times one kind of request over its variants, against the replay of its own statements. */
async function measure(b: EverydayBench, name: string, query: string, variants: Record<string, unknown>[]): Promise<Row> {
  const captured: Statement[][] = [];
  for (const v of variants) captured.push(await b.capture(() => b.graphql(query, v)));
  let viaGraphql = 0;
  let viaSql = 0;
  const t = await sideBySide(
    () => b.graphql(query, variants[viaGraphql++ % variants.length]!),
    () => replay(b.pool, captured[viaSql++ % captured.length]!),
    b.timing,
  );
  const counts = captured.map((c) => c.length);
  return timedRow(name, t, `${variants.length} variants in turn; ${Math.min(...counts)}–${Math.max(...counts)} statements a request, replayed through pg`);
}

export async function benchEveryday(b: EverydayBench, note: (row: Row) => void): Promise<void> {
  const n = Math.max(b.timing.samples ?? 20, 8);
  const forms = Array.from({ length: n }, (_, i) => ({ urn: b.academies[i % b.academies.length]!.urn, ...LIST_PERIODS[i % LIST_PERIODS.length]! }));
  note(await measure(b, "officer: an academy's forms × 30 pupils with their figures", FORMS, forms));
  const marks = Array.from({ length: n }, (_, i) => ({ upn: b.upns[i % b.upns.length]!, ...TERMS[i % TERMS.length]! }));
  note(await measure(b, "a pupil's marks for a term, with totalCount", MARKS, marks));
  const registers = Array.from({ length: n }, (_, i) => b.registers[i % b.registers.length]!);
  note(await measure(b, "a register with its marks (500, with totalCount)", REGISTER, registers));
}
