// One vitest configuration for the whole workspace: each package is a project,
// so `pnpm test` runs every package's tests and the end-to-end suite together.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // One graphql module for everyone: otherwise vitest loads its ESM build for
    // our code and its CommonJS build for dependencies, and graphql refuses to
    // mix the two ("Cannot use GraphQLObjectType from another module or realm").
    alias: { graphql: require.resolve("graphql") },
  },
  test: {
    // Two files at a time on the 2-core CI machine (vitest's default is one
    // fewer than the cores: one here). Most of an end-to-end file's time is
    // spent waiting on PostgreSQL, a process of its own, so two files overlap
    // well: measured from a clean clone, .ci/run took 12 min 13 s with one
    // file at a time and 8 min 15 s with two (901 tests, both back ends).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: "core", root: "packages/core", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "exchange", root: "packages/exchange", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "db", root: "packages/db", include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: "server", root: "packages/server", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "schema", root: "schema", include: ["test/**/*.test.ts"], testTimeout: 60_000 } },
      { extends: true, test: { name: "bench", root: "packages/bench", include: ["test/**/*.test.ts"] } },
      { extends: true, test: { name: "plugins", root: "plugins", include: ["*/test/**/*.test.ts"] } },
      {
        extends: true,
        test: {
          name: "e2e", root: "test", include: ["**/*.test.ts"], testTimeout: 120_000, hookTimeout: 180_000,
          // Seeds the demo once per back end and options, copied for each test
          // server (test/support/demo-template.ts), instead of once per server.
          globalSetup: [fileURLToPath(new URL("test/support/global-setup.ts", import.meta.url))],
        },
      },
    ],
  },
});
