// Prisma CLI configuration. Only `prisma generate` is run through the CLI: it needs
// no database and no native engine (PRISMA_SCHEMA_ENGINE_BINARY is set in the
// script). Migrations run through the WebAssembly schema engine in packages/db,
// which reads the same schema and migrations folder.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
