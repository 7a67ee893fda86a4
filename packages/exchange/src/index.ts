// File formats for moving a trust's data in and out: see README "Import and export".
export * from "./rows.ts";
export * from "./ctf/index.ts";
