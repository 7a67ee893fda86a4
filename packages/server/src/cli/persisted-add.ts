// pnpm persisted:add <file.graphql> — adds a document to the persisted
// operations manifest under the SHA-256 of its text, and prints the hash a
// client sends as extensions.persistedQuery.sha256Hash.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";
import { operationHash } from "../plugins/persisted-operations.ts";

const manifestPath = process.env.PERSISTED_OPERATIONS ?? fileURLToPath(new URL("../../persisted-operations.json", import.meta.url));
const file = process.argv[2];
if (!file) {
  console.error("usage: pnpm persisted:add <file.graphql>");
  process.exit(2);
}
const document = readFileSync(file, "utf8");
parse(document); // refuse a document that does not parse
const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { operations: Record<string, string> };
const hash = operationHash(document);
manifest.operations[hash] = document;
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(hash);
