export * from "./ctf.ts";
