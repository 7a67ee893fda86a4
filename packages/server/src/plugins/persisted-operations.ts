// Persisted operations: a third-party client may send the SHA-256 hash of a
// known document instead of the document itself (smaller requests, and the
// operation is one we have seen). Arbitrary documents stay allowed for staff
// tools such as GraphiQL.
import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { usePersistedOperations } from "@graphql-yoga/plugin-persisted-operations";
import type { Plugin } from "graphql-yoga";

export interface PersistedOperationsManifest {
  operations: Record<string, string>;
}

export function loadManifest(path: string): PersistedOperationsManifest {
  const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<PersistedOperationsManifest>;
  return { operations: parsed.operations ?? {} };
}

export function operationHash(document: string): string {
  return createHash("sha256").update(document).digest("hex");
}

export function persistedOperationsPlugin(manifest: PersistedOperationsManifest): Plugin {
  return usePersistedOperations({
    allowArbitraryOperations: true,
    getPersistedOperation: (hash) => manifest.operations[hash] ?? null,
  }) as Plugin;
}
