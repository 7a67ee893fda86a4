import { readFileSync } from "node:fs";
import { summariseProfile } from "./cpu-profile.ts";
const s = summariseProfile(JSON.parse(readFileSync(process.argv[2]!, "utf8")));
console.log(`busy ${(s.busyUs/1000).toFixed(0)} ms of ${(s.totalUs/1000).toFixed(0)}`);
for (const g of s.byPackage.slice(0, 20)) console.log(`  ${(100 * g.us / s.busyUs).toFixed(1).padStart(5)}%  ${g.name}`);
for (const f of s.byFunction.slice(0, Number(process.argv[3] ?? 40))) console.log(`  ${(100 * f.us / s.busyUs).toFixed(1).padStart(5)}%  ${f.name}  (${f.where})`);
