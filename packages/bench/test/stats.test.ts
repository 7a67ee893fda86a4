// The bench's statistics and failure rules (issue 17, item 7: "an honest
// bench"): nearest-rank percentiles, rows that say when they had fewer than
// 20 samples, and failures (GraphQL errors in HTTP 200 answers, timeouts,
// dropped connections) counted and never timed.
import { describe, expect, it } from "vitest";
import { BenchFailure, classifyAnswer, classifyFailure, MIN_SAMPLES, p95Cell, percentile, row, samplesCell, sideBySide, table, Tally, timedRow } from "../src/stats.ts";

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe("percentile (nearest rank)", () => {
  it.each([
    // [values, p, expected, why]
    [oneTo(20), 50, 10, "the 10th of 20"],
    [oneTo(20), 95, 19, "the 19th of 20: one outlier is not the p95"],
    [oneTo(100), 95, 95, "the 95th of 100"],
    [oneTo(5), 95, 5, "of 5, the p95 is the largest (the old bench's case)"],
    [oneTo(19), 95, 19, "of 19, still the largest"],
    [[7], 50, 7, "a single value"],
    [[3, 1, 2], 50, 2, "unsorted input"],
  ])("%#: %s p%i = %i (%s)", (values, p, expected) => {
    expect(percentile(values as number[], p as number)).toBe(expected);
  });
  it("of nothing is NaN, printed as a dash", () => {
    expect(percentile([], 50)).toBeNaN();
    expect(p95Cell([])).toBe("—");
  });
});

describe("rows say when they had fewer than 20 samples", () => {
  it.each([
    [oneTo(20), "19.0", "20"],
    [oneTo(5), "5.00 (max of 5)", "5 (fewer than 20)"],
  ])("%#", (values, p95, samples) => {
    expect(MIN_SAMPLES).toBe(20);
    expect(p95Cell(values)).toBe(p95);
    expect(samplesCell(values)).toBe(samples);
  });
  it("counts the smaller side", () => expect(samplesCell(oneTo(20), oneTo(12))).toBe("12 (fewer than 20)"));
});

describe("classifyAnswer: what an HTTP answer to a GraphQL request amounts to", () => {
  it.each([
    [200, { data: { a: 1 } }, "ok"],
    // GraphQL over HTTP: a failed operation is HTTP 200 with `errors` (application/json).
    [200, { errors: [{ message: "Unexpected error." }], data: { a: null } }, "graphql-error"],
    [200, { errors: [{ message: "x" }] }, "graphql-error"],
    [200, { data: null }, "graphql-error"],
    [200, {}, "graphql-error"],
    [200, null, "graphql-error"],
    [500, { errors: [{ message: "Unexpected error." }] }, "http-error"],
    [429, { data: { a: 1 } }, "http-error"],
    [200, { errors: [], data: { a: 1 } }, "ok"],
  ])("%#: HTTP %i %j → %s", (status, body, outcome) => {
    expect(classifyAnswer(status as number, body)).toBe(outcome);
  });
});

describe("classifyFailure: timeouts and dropped connections", () => {
  const withCause = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
  it.each([
    [new DOMException("The operation was aborted due to timeout", "TimeoutError"), "timeout"],
    [withCause("UND_ERR_HEADERS_TIMEOUT"), "timeout"],
    [withCause("ECONNRESET"), "dropped"],
    [withCause("ECONNREFUSED"), "dropped"],
    [withCause("UND_ERR_SOCKET"), "dropped"],
    [Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), "dropped"],
    [new Error("Connection terminated unexpectedly"), "dropped"],
    [new BenchFailure("graphql-error", "x"), "graphql-error"],
    [new Error("syntax error at or near"), "error"],
  ])("%#: %s → %s", (error, outcome) => {
    expect(classifyFailure(error)).toBe(outcome);
  });
});

describe("sideBySide: warm-up, samples, and failures never timed", () => {
  it("warms each side up, then takes the samples asked for, alternating", async () => {
    const calls: string[] = [];
    const t = await sideBySide(async () => calls.push("a"), async () => calls.push("b"), { samples: 3, warmup: 1 });
    expect(calls).toEqual(["a", "b", "a", "b", "b", "a", "a", "b"]);
    expect([t.a.length, t.b.length]).toEqual([3, 3]);
  });
  it("counts a GraphQL error answered with HTTP 200 as a failure of its side, not a sample", async () => {
    let n = 0;
    const t = await sideBySide(
      async () => {
        if (n++ % 2 === 1) throw new BenchFailure("graphql-error", "HTTP 200: [{\"message\":\"Unexpected error.\"}]");
      },
      async () => {},
      { samples: 4, warmup: 0 },
    );
    expect(t.a).toHaveLength(2);
    expect(t.aFailures.counts).toEqual({ "graphql-error": 2 });
    const r = timedRow("q", t);
    expect(r.samples).toBe("2 (fewer than 20)");
    expect(r.failures).toBe("GraphQL side: 2 GraphQL errors in HTTP 200");
  });
  it("reports warm-up failures too", async () => {
    const t = await sideBySide(async () => { throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }); }, async () => {}, { samples: 1, warmup: 1 });
    expect(t.warmupFailures.counts).toEqual({ dropped: 1 });
    expect(timedRow("q", t).failures).toBe("GraphQL side: 1 dropped connections; warm-up: 1 dropped connections");
  });
  it("stops a slow row at its budget, keeping at least minSamples, and the row says so", async () => {
    const slow = () => new Promise((r) => setTimeout(r, 20));
    const t = await sideBySide(slow, slow, { samples: 20, warmup: 0, budgetMs: 1, minSamples: 2 });
    expect(t.a.length).toBe(2);
    expect(timedRow("q", t).samples).toBe("2 (fewer than 20)");
  });
  it("records the load average at the row's start and end", async () => {
    const t = await sideBySide(async () => {}, async () => {}, { samples: 1 });
    expect(timedRow("q", t)["load avg (1 min)"]).toMatch(/^\d+\.\d\d → \d+\.\d\d$/);
  });
});

describe("the table", () => {
  it("prints every column, a dash where a row has no figure, and escapes pipes", () => {
    const tally = new Tally();
    tally.add("timeout");
    tally.add("timeout");
    tally.add("dropped");
    expect(String(tally)).toBe("2 timeouts, 1 dropped connections");
    const out = table([row({ row: "a | b", failures: String(tally) })]).split("\n");
    expect(out[0]).toBe("| row | samples | GraphQL p50 ms | GraphQL p95 ms | SQL p50 ms | SQL p95 ms | ratio p50 | failures | load avg (1 min) | notes |");
    expect(out[2]).toBe("| a \\| b | — | — | — | — | — | — | 2 timeouts, 1 dropped connections | — | — |");
  });
});
