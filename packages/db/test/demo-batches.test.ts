// The demo as import batches (packages/db/src/demo/batches.ts): one per
// academy, with as many rows of each kind as the demo has, each sourced.
import { describe, expect, it } from "vitest";
import { buildDemo } from "../src/demo/build.ts";
import { demoBatches } from "../src/demo/batches.ts";

const rows = buildDemo({ pupilsPerForm: 3, weeks: 2 });
const batches = demoBatches(rows);
const academyIdOf = new Map(rows.academies.map((a) => [a.urn, a.id!]));

describe("demoBatches", () => {
  it("gives one batch per demo academy, seed academies and their siblings", () => {
    expect(batches.map((b) => b.academyUrn)).toEqual(rows.academies.map((a) => a.urn));
    expect(batches.length).toBe(16);
  });

  it.each(["forms", "pupils", "carers", "marks"] as const)("has the academy's %s, every one", (kind) => {
    const table = { forms: rows.forms, pupils: rows.pupils, carers: rows.carers, marks: rows.marks }[kind] as { academyId: string }[];
    let total = 0;
    for (const { academyUrn, batch } of batches) {
      const expected = table.filter((r) => r.academyId === academyIdOf.get(academyUrn)).length;
      expect(expected, `${academyUrn} ${kind}`).toBeGreaterThan(0);
      expect(batch[kind].length, `${academyUrn} ${kind}`).toBe(expected);
      total += batch[kind].length;
    }
    expect(total).toBe(table.length);
  });

  it("has each academy's staff roles (not the trusts'), forms with their tutors' e-mails, terms and closures", () => {
    for (const { academyUrn, batch } of batches) {
      const id = academyIdOf.get(academyUrn)!;
      expect(batch.staff.length).toBe(rows.roleAssignments.filter((r) => r.academyId === id).length);
      expect(batch.staff.every((s) => s.email.endsWith(".example"))).toBe(true);
      expect(new Set(batch.staff.map((s) => s.role))).toEqual(new Set(["HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER", "TEACHER"]));
      for (const form of batch.forms) expect(form.tutorEmails!.length).toBe(1);
      const tutors = new Set(batch.forms.flatMap((f) => f.tutorEmails!));
      expect(batch.staff.filter((s) => s.role === "TEACHER").every((s) => tutors.has(s.email))).toBe(true);
      expect(batch.calendar.filter((c) => c.kind === "TERM").length).toBe(rows.terms.filter((t) => t.academyId === id).length);
      expect(batch.calendar.filter((c) => c.kind === "CLOSURE").length).toBe(rows.closures.filter((c) => c.academyId === id).length);
    }
  });

  it("keys marks, carers and pupils by UPN, puts amendments after the originals, and numbers lines from 2", () => {
    const { batch } = batches[0]!;
    const upns = new Set(batch.pupils.map((p) => p.upn));
    expect(batch.marks.every((m) => upns.has(m.upn))).toBe(true);
    expect(batch.carers.every((c) => upns.has(c.upn))).toBe(true);
    const amended = batch.marks.findIndex((m) => m.note);
    expect(amended).toBeGreaterThan(0);
    const original = batch.marks.findIndex((m) => m.upn === batch.marks[amended]!.upn && m.date === batch.marks[amended]!.date && m.session === batch.marks[amended]!.session);
    expect(original).toBeLessThan(amended);
    expect(batch.marks[original]!.code).toBe("N");
    expect(batch.pupils.map((p) => p.source.line)).toEqual(batch.pupils.map((_, i) => i + 2));
    expect(batch.pupils[0]!.source.file).toBe(`demo/${batches[0]!.academyUrn}/pupils.csv`);
  });
});
