// @attendance/server: the HTTP server, for main.ts, tests and benchmarks.
export { startServer, type RunningServer, type StartOptions } from "./server.ts";
export { createAttendanceYoga } from "./yoga.ts";
export { GRAPHIQL_EXAMPLES, PLACEHOLDER_HEADERS, type GraphiQLExample } from "./graphiql-examples.ts";
export { createLogger, type Logger } from "./logger.ts";
export { configFromEnv, type ServerConfig } from "./config.ts";
export { signStaffToken, tokenVerifier } from "./auth/tokens.ts";
export { DEMO_JWT_SECRET } from "./config.ts";
export { ACADEMY_HEADER, clientAddress } from "./context.ts";
export { operationHash } from "./plugins/persisted-operations.ts";
export { policies } from "./policies.ts";
export { boundedCache } from "./plugins/response-cache.ts";
export { startEscalationWorker, type EscalationWorker, type EscalationWorkerOptions } from "./escalations/worker.ts";
