// Timing helpers: percentiles of repeated runs, measured side by side.
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs `a` and `b` alternately `n` times (after one warm-up each, unless a run takes tens of seconds), so both see the same machine. */
export async function sideBySide(n: number, a: () => Promise<unknown>, b: () => Promise<unknown>, warm = true): Promise<{ a: number[]; b: number[] }> {
  if (warm) {
    await a();
    await b();
  }
  const out = { a: [] as number[], b: [] as number[] };
  for (let i = 0; i < n; i++) {
    for (const [fn, into] of i % 2 === 0 ? ([[a, out.a], [b, out.b]] as const) : ([[b, out.b], [a, out.a]] as const)) {
      const started = performance.now();
      await fn();
      into.push(performance.now() - started);
    }
  }
  return out;
}

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
