// A small seeded random generator, so the demo is the same on every machine and
// every run (mulberry32: 32-bit state, plenty for invented names and marks).
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A version-4-shaped UUID drawn from this generator (not from the clock). */
  uuid(): string;
}

const HEX = "0123456789abcdef";

export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // A loop over a table, not Array.from(…).join(""): the demo draws 160,000
  // UUIDs, and this was 1.4 s of pnpm start's CPU (issue 17 item 8). The same
  // draws in the same order, so the same ids.
  const hex = (n: number) => {
    let out = "";
    for (let i = 0; i < n; i++) out += HEX[Math.floor(next() * 16)]!;
    return out;
  };
  return {
    next,
    chance: (p) => next() < p,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
  };
}
