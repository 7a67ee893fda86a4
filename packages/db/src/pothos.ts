// The Pothos integration generated from prisma/schema.prisma, for schema/.
export type { default as PrismaTypes } from "./generated/pothos-types.ts";
export { getDatamodel } from "./generated/pothos-types.ts";
