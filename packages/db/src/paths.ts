// Where the repository's Prisma files live, wherever the process was started.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const schemaPath = join(repoRoot, "prisma", "schema.prisma");
export const migrationsDir = join(repoRoot, "prisma", "migrations");
/** The PGlite data directory used by `pnpm start` when DATABASE_URL is not set. */
export const defaultDataDir = join(repoRoot, ".data", "pglite");
