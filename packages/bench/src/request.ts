// One GraphQL request over HTTP for the bench, failing loudly: a GraphQL
// error answered with HTTP 200, an HTTP error, a timeout or a dropped
// connection each throws a BenchFailure of its kind (stats.ts counts them),
// so that no failed request is ever timed as a success.
import { BenchFailure, classifyAnswer, classifyFailure } from "./stats.ts";

/** How long a bench request may take before it counts as a timeout (BENCH_TIMEOUT_S, default 180 s: the slowest analytics query took 48 s). */
export const REQUEST_TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 180) * 1000;

export async function graphqlRequest(
  endpoint: string,
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<Record<string, unknown>> {
  let status: number;
  let text: string;
  try {
    const res = await fetch(endpoint, { method: "POST", headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(timeoutMs) });
    status = res.status;
    text = await res.text();
  } catch (e) {
    throw new BenchFailure(classifyFailure(e), `${(e as Error).message}${(e as { cause?: { code?: string } }).cause?.code ? ` (${(e as { cause: { code: string } }).cause.code})` : ""}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BenchFailure(status >= 200 && status < 300 ? "error" : "http-error", `HTTP ${status}, not JSON: ${text.slice(0, 200)}`);
  }
  const outcome = classifyAnswer(status, body);
  if (outcome !== "ok") throw new BenchFailure(outcome, `HTTP ${status}: ${JSON.stringify((body as { errors?: unknown }).errors ?? body).slice(0, 300)}`);
  return (body as { data: Record<string, unknown> }).data;
}
