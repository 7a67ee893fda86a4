// The English school year runs from 1 September to 31 August.
import { describe, expect, it } from "vitest";
import { schoolYearOf } from "../src/index.ts";

describe("schoolYearOf", () => {
  it.each([
    ["2025-09-01", "2025-09-01", "2026-08-31"],
    ["2025-10-24", "2025-09-01", "2026-08-31"],
    ["2026-08-31", "2025-09-01", "2026-08-31"],
    ["2025-08-31", "2024-09-01", "2025-08-31"],
  ])("%s is in %s – %s", (date, start, end) => {
    expect(schoolYearOf(date)).toEqual({ start, end });
  });
});
