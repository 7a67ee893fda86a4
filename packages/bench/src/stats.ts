// Timing helpers for pnpm bench: percentiles of repeated runs measured side
// by side, what counts as a failure, and the table's rows. Pure except for
// the clock and os.loadavg(), so the rules below are unit-tested
// (packages/bench/test/stats.test.ts).
//
// The rules every row follows (issue 17, item 7):
// - at least MIN_SAMPLES timed samples per side, or the row says how many it had
//   (a slow row may stop early at its time budget) and its p95 says it is the
//   largest sample;
// - warm-up runs before the timed ones, for every row, not counted;
// - an answer is a sample only if it succeeded: a GraphQL error in an HTTP 200
//   answer, an HTTP error, a timeout or a dropped connection is counted and
//   reported in the row, never timed as if it had worked;
// - the 1-minute load average at the start and end of the row, because the
//   machine is shared and a ratio measured under load reads differently.
import os from "node:os";

/** Fewer samples than this and a p95 is just the largest one: the row says so. */
export const MIN_SAMPLES = 20;

/**
 * The p-th percentile by nearest rank (the smallest value with at least p %
 * of the values at or below it). Of 20 values the p95 is the 19th, so one
 * outlier does not make the p95; of 19 or fewer it is the largest.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export const ms = (v: number) => (Number.isNaN(v) ? "—" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A p95 cell: marked as the largest sample when there were too few for a p95 to mean more. */
export function p95Cell(values: readonly number[]): string {
  if (values.length === 0) return "—";
  const v = ms(percentile(values, 95));
  return values.length < MIN_SAMPLES ? `${v} (max of ${values.length})` : v;
}

/** A samples cell: the count, flagged when below MIN_SAMPLES. */
export function samplesCell(...sides: (readonly number[])[]): string {
  const n = Math.min(...sides.map((s) => s.length));
  return n < MIN_SAMPLES ? `${n} (fewer than ${MIN_SAMPLES})` : String(n);
}

// ─── Failures ────────────────────────────────────────────────────────────────

export type Outcome = "ok" | "graphql-error" | "http-error" | "timeout" | "dropped" | "error";

const LABELS: Record<Exclude<Outcome, "ok">, string> = {
  "graphql-error": "GraphQL errors in HTTP 200",
  "http-error": "HTTP errors",
  timeout: "timeouts",
  dropped: "dropped connections",
  error: "other errors",
};

/** A failed request, with what kind of failure it was (thrown by request helpers, read by classifyFailure). */
export class BenchFailure extends Error {
  constructor(
    readonly outcome: Exclude<Outcome, "ok">,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What an HTTP answer to a GraphQL request amounts to. A GraphQL server
 * answers a failed operation with HTTP 200 and `errors` (GraphQL over HTTP,
 * application/json): that is a failure, not a fast success. So is a 200 with
 * neither `data` nor `errors`.
 */
export function classifyAnswer(status: number, body: unknown): Outcome {
  const b = body as { errors?: unknown; data?: unknown } | null;
  if (b && typeof b === "object" && Array.isArray(b.errors) && b.errors.length > 0) return status >= 200 && status < 300 ? "graphql-error" : "http-error";
  if (status < 200 || status >= 300) return "http-error";
  if (!b || typeof b !== "object" || b.data === undefined || b.data === null) return "graphql-error";
  return "ok";
}

/** Socket-level error codes of Node's fetch (undici) and `pg` meaning the connection went away. */
const DROPPED = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "57P01", "57P02", "57P03"]);

/** What a thrown request failure amounts to. */
export function classifyFailure(e: unknown): Exclude<Outcome, "ok"> {
  if (e instanceof BenchFailure) return e.outcome;
  const err = e as { name?: string; code?: string; message?: string; cause?: { code?: string; name?: string } } | null;
  if (err?.name === "TimeoutError" || err?.cause?.name === "TimeoutError" || err?.cause?.code === "UND_ERR_HEADERS_TIMEOUT" || err?.cause?.code === "UND_ERR_BODY_TIMEOUT") return "timeout";
  if (DROPPED.has(err?.code ?? "") || DROPPED.has(err?.cause?.code ?? "")) return "dropped";
  // pg's client when the server closes the socket under it.
  if (/Connection terminated|connection (was )?closed|socket hang up|other side closed/i.test(err?.message ?? "")) return "dropped";
  return "error";
}

/** Failures by kind. */
export class Tally {
  readonly counts: Partial<Record<Exclude<Outcome, "ok">, number>> = {};
  /** The first failure's message, and the first of each kind. */
  first: string | undefined;
  readonly firstOf: Partial<Record<Exclude<Outcome, "ok">, string>> = {};
  add(outcome: Exclude<Outcome, "ok">, message?: string) {
    this.counts[outcome] = (this.counts[outcome] ?? 0) + 1;
    this.first ??= message;
    this.firstOf[outcome] ??= message;
  }
  get total(): number {
    return Object.values(this.counts).reduce((a, b) => a + b, 0);
  }
  merge(other: Tally): this {
    for (const [k, v] of Object.entries(other.counts)) this.counts[k as Exclude<Outcome, "ok">] = (this.counts[k as Exclude<Outcome, "ok">] ?? 0) + v;
    this.first ??= other.first;
    for (const [k, v] of Object.entries(other.firstOf)) this.firstOf[k as Exclude<Outcome, "ok">] ??= v;
    return this;
  }
  /** "none", or e.g. "2 GraphQL errors in HTTP 200, 1 timeouts". */
  toString(): string {
    const parts = (Object.keys(LABELS) as (keyof typeof LABELS)[]).filter((k) => this.counts[k]).map((k) => `${this.counts[k]} ${LABELS[k]}`);
    return parts.length ? parts.join(", ") : "none";
  }
}

// ─── Load average ────────────────────────────────────────────────────────────

/** The 1-minute load average now (os.loadavg()[0]; 0 on Windows). */
export const loadNow = () => os.loadavg()[0]!;
/** "0.52 → 1.10": the 1-minute load average at a row's start and end. */
export const loadCell = (start: number, end: number) => `${start.toFixed(2)} → ${end.toFixed(2)}`;

// ─── Side by side ────────────────────────────────────────────────────────────

export interface SideBySideOptions {
  /** Timed runs of each side wanted (default MIN_SAMPLES). */
  samples?: number;
  /** Untimed runs of each side first (default 1). */
  warmup?: number;
  /** Stop after this many milliseconds of timed runs, once each side has at least `minSamples` (default: no budget). */
  budgetMs?: number;
  /** The fewest timed runs a budget may cut a row to (default 3). */
  minSamples?: number;
}

export interface SideBySide {
  a: number[];
  b: number[];
  aFailures: Tally;
  bFailures: Tally;
  /** Failures during warm-up (not timed, still reported). */
  warmupFailures: Tally;
  load: { start: number; end: number };
}

/**
 * Runs `a` and `b` alternately (a b, b a, …) so both see the same machine,
 * after `warmup` untimed runs of each. A run that throws is not a sample: it
 * is counted in its side's failures by classifyFailure.
 */
export async function sideBySide(a: () => Promise<unknown>, b: () => Promise<unknown>, o: SideBySideOptions = {}): Promise<SideBySide> {
  const samples = o.samples ?? MIN_SAMPLES;
  const out: SideBySide = { a: [], b: [], aFailures: new Tally(), bFailures: new Tally(), warmupFailures: new Tally(), load: { start: loadNow(), end: 0 } };
  const attempt = async (fn: () => Promise<unknown>, into: number[] | null, failures: Tally) => {
    const started = performance.now();
    try {
      await fn();
      into?.push(performance.now() - started);
    } catch (e) {
      failures.add(classifyFailure(e), String((e as Error)?.message ?? e).slice(0, 300));
    }
  };
  for (let i = 0; i < (o.warmup ?? 1); i++) {
    await attempt(a, null, out.warmupFailures);
    await attempt(b, null, out.warmupFailures);
  }
  const started = performance.now();
  for (let i = 0; i < samples; i++) {
    if (o.budgetMs !== undefined && i >= (o.minSamples ?? 3) && performance.now() - started > o.budgetMs) break;
    const pairs = i % 2 === 0 ? ([[a, out.a, out.aFailures], [b, out.b, out.bFailures]] as const) : ([[b, out.b, out.bFailures], [a, out.a, out.aFailures]] as const);
    for (const [fn, into, failures] of pairs) await attempt(fn, into, failures);
  }
  out.load.end = loadNow();
  return out;
}

// ─── The table ───────────────────────────────────────────────────────────────

export const COLUMNS = ["row", "samples", "GraphQL p50 ms", "GraphQL p95 ms", "SQL p50 ms", "SQL p95 ms", "ratio p50", "failures", "load avg (1 min)", "notes"] as const;
export type Row = Record<(typeof COLUMNS)[number], string>;

/** A row of two timed sides: `a` through GraphQL (or the slower way), `b` the same SQL through `pg` (or the other way). */
export function timedRow(name: string, t: SideBySide, notes = "", ratio?: (a50: number, b50: number) => string): Row {
  const [a50, b50] = [percentile(t.a, 50), percentile(t.b, 50)];
  const failures = new Tally().merge(t.aFailures).merge(t.bFailures);
  const failed = [
    t.aFailures.total ? `GraphQL side: ${t.aFailures}` : "",
    t.bFailures.total ? `SQL side: ${t.bFailures}` : "",
    t.warmupFailures.total ? `warm-up: ${t.warmupFailures}` : "",
  ].filter(Boolean);
  return {
    row: name,
    samples: samplesCell(t.a, t.b),
    "GraphQL p50 ms": ms(a50),
    "GraphQL p95 ms": p95Cell(t.a),
    "SQL p50 ms": ms(b50),
    "SQL p95 ms": p95Cell(t.b),
    "ratio p50": t.a.length && t.b.length ? (ratio ? ratio(a50, b50) : `${(a50 / b50).toFixed(2)}×`) : "—",
    failures: failures.total || t.warmupFailures.total ? failed.join("; ") : "none",
    "load avg (1 min)": loadCell(t.load.start, t.load.end),
    notes,
  };
}

/** A row with cells given (rows that are not two timed sides); unnamed cells print "—". */
export function row(cells: Partial<Row> & { row: string }): Row {
  return Object.fromEntries(COLUMNS.map((c) => [c, cells[c] ?? "—"])) as Row;
}

/** The markdown table. */
export function table(rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [`| ${COLUMNS.join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${COLUMNS.map((c) => esc(r[c])).join(" | ")} |`)].join("\n");
}
