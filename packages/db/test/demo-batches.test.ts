// The demo as import batches (packages/db/src/demo/batches.ts): one per
// academy, with as many rows of each kind as the demo has, each sourced.
import { describe, expect, it } from "vitest";
import { buildDemo } from "../src/demo/build.ts";
import { demoBatches } from "../src/demo/batches.ts";

const rows = buildDemo({ pupilsPerForm: 3, weeks: 2 });
const batches = demoBatches(rows);
const academyIdOf = new Map(rows.academies.map((a) => [a.urn, a.id!]));
const amendmentsOf = (urn: number) => batches.find((b) => b.academyUrn === urn)!.amendments.marks.length;

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
      const given = batch[kind].length + (kind === "marks" ? amendmentsOf(academyUrn) : 0);
      expect(given, `${academyUrn} ${kind}`).toBe(expected);
      total += given;
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

  it("keys marks, carers and pupils by UPN, gives the amendments as a second file with their reasons, and numbers lines from 2", () => {
    const { batch, amendments } = batches[0]!;
    const upns = new Set(batch.pupils.map((p) => p.upn));
    expect(batch.marks.every((m) => upns.has(m.upn))).toBe(true);
    expect(batch.carers.every((c) => upns.has(c.upn))).toBe(true);
    // One row a session in each file: an amendment is a later row for a session the first file recorded.
    expect(amendments.marks.length).toBeGreaterThan(0);
    for (const amendment of amendments.marks) {
      const original = batch.marks.find((m) => m.upn === amendment.upn && m.date === amendment.date && m.session === amendment.session);
      expect(original?.code).toBe("N");
      expect(amendment.amendmentReason).toBeTruthy();
      expect(amendment.recordedBy).toMatch(/\.example$/);
      expect(amendment.source.file).toBe(`demo/${batches[0]!.academyUrn}/amendments.csv`);
    }
    // Lates keep when the pupil arrived (so that other register times can be tried on them) and who recorded them.
    const late = batch.marks.find((m) => m.code === "L")!;
    expect(late.arrivedAt).toMatch(/^2025-\d\d-\d\dT/);
    expect(late.recordedBy).toBeTruthy();
    expect(batch.pupils.map((p) => p.source.line)).toEqual(batch.pupils.map((_, i) => i + 2));
    expect(batch.pupils[0]!.source.file).toBe(`demo/${batches[0]!.academyUrn}/pupils.csv`);
  });
});
