// Structured JSON logs (pino). One logger per process; requests get a child.
import { pino, type Logger } from "pino";

export type { Logger };

/** Credentials never reach the logs (request headers are logged with each request). */
const REDACT = ["req.headers.authorization", 'req.headers["x-api-key"]', "req.headers.cookie"];

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: "attendance-api" }, redact: { paths: REDACT, censor: "[redacted]" } });
}
