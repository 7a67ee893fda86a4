// @attendance/db: the database. Prisma client factory, migrations, demo data.
export { openDatabase, databaseOptionsFromEnv, SESSION_OPTIONS } from "./client.ts";
export type { Database, DatabaseKind, DatabaseOptions } from "./client.ts";
export { withoutCounting, type StatementListener } from "./statement-counter.ts";
export { applyMigrations, diffMigrationsToSchema, writeMigration } from "./migrations/migrations.ts";
export { defaultDataDir, migrationsDir, schemaPath } from "./paths.ts";
export { PrismaClient, Prisma } from "./generated/prisma/client.ts";
export type * from "./generated/prisma/client.ts";
export * from "./generated/prisma/enums.ts";
export { availableBackends, dropScratchTemplates, openScratchDatabase, processAlive, scratchTemplate, type ScratchDatabase, type ScratchTemplate } from "./scratch.ts";
export { bulkInsert, bulkUpdate } from "./bulk-insert.ts";
export { importBatch, importFile, type ImportActor, type ImportOptions, type ImportProgress } from "./import/import.ts";
export { withTenant, APP_ROLE, TRANSACTION_TIMEOUT_MS, type TenantClient, type TenantOptions } from "./tenant.ts";
export { loadSyntheticTrust, syntheticTrustExists, syntheticSchoolDays, SYNTHETIC_TRUST_SLUG } from "./synthetic/trust.ts";
export { progressBar } from "./synthetic/progress.ts";
export { retentionDue, runRetention, pupilRecords, type PupilRecords, type RetentionCandidate, type RetentionRun } from "./privacy.ts";
