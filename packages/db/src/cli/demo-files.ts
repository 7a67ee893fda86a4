// pnpm demo:files: writes the demo's rows as import files under
// examples/demo/<URN>/ (after a change to the demo's generator; a test fails
// while the committed files differ from what it writes).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildDemo, demoBatches } from "../demo/load.ts";
import { demoFiles } from "../demo/files.ts";
import { repoRoot } from "../paths.ts";

const root = join(repoRoot, "examples", "demo");
rmSync(root, { recursive: true, force: true });
const files = demoFiles(demoBatches(buildDemo()));
for (const [path, text] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
console.log(`Wrote ${files.size} files under ${root}`);
