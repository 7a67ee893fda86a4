// Structured JSON logs (pino). One logger per process; requests get a child.
import { pino, type Logger } from "pino";

export type { Logger };

/** Credentials never reach the logs (request headers are logged with each request). */
const REDACT = ["req.headers.authorization", 'req.headers["x-api-key"]', "req.headers.cookie"];

/** The process's logger; `destination` (default stdout) lets tests read what is logged. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: "attendance-api" }, redact: { paths: REDACT, censor: "[redacted]" } }, destination);
}
