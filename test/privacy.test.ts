// Personal data: the audit log survives hostile text, reads of safeguarding
// flags and contact details are audited, and the trust's data-protection
// officer can export, and the retention job anonymise, what is held about a
// pupil (UK GDPR Art. 15 and 17; School Attendance (Pupil Registration)
// (England) Regulations 2024, reg. 14).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, runRetention } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";
import { sanitiseForAudit } from "../packages/server/src/plugins/audit.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

describe("the audit sanitiser", () => {
  it("replaces NUL and lone surrogates, in values and keys, and leaves other text alone", () => {
    expect(sanitiseForAudit({ reason: "a\u0000b", "k\u0000": ["\ud800", "ok 😀"], n: 3, x: null })).toEqual({
      reason: "a\uFFFDb", "k\uFFFD": ["\uFFFD", "ok 😀"], n: 3, x: null,
    });
  });
});

describe.each(availableBackends())("personal data on %s", (kind) => {
  let t: TestServer;
  let officer: Credentials;
  let academyId: string;

  beforeAll(async () => {
    t = await startTestServer(kind);
    officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    academyId = (await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } })).id;
  });
  afterAll(() => t?.close());

  it("writes the audit row for a mutation whose variables hold a NUL byte", async () => {
    const mark = await t.db.prisma.currentMark.findFirstOrThrow({ where: { academyId }, orderBy: [{ date: "desc" }, { pupilId: "asc" }] });
    const before = await t.db.prisma.auditEntry.count();
    const res = await t.graphql(
      `mutation AmendNul($input: AmendMarkInput!) { amendMark(input: $input) { id } }`,
      { input: { markId: gid("Mark", mark.markId), code: "/", reason: "phoned\u0000in", note: "x\u0000" } },
      officer.headers,
    );
    // Refused or not, never "Unexpected error." for the audit's sake, and the row is there.
    expect(await t.db.prisma.auditEntry.count()).toBe(before + 1);
    const [entry] = await t.db.prisma.auditEntry.findMany({ orderBy: { at: "desc" }, take: 1 });
    expect(entry!.operation).toContain("amendMark");
    expect(JSON.stringify(entry!.variables)).toContain("phoned\uFFFDin");
    expect(entry!.outcome === "OK").toBe(!res.errors?.length);
  });

  it("writes a mutation's audit row in its own transaction: if the row cannot be written, nothing is", async () => {
    const prisma = t.db.prisma;
    const urn = (await prisma.academy.findUniqueOrThrow({ where: { id: academyId } })).urn;
    const form = await prisma.form.findFirstOrThrow({ where: { academyId, name: "Year 3" }, include: { pupils: { select: { id: true }, orderBy: { upn: "asc" }, take: 3 } } });
    const TAKE = `mutation Take($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`;
    const input = (note: string) => ({ academyUrn: urn, date: "2025-11-04", session: "AM", marks: form.pupils.map((p) => ({ pupilId: gid("Pupil", p.id), code: "/", note })) });
    // A stand-in for any failure of the audit INSERT (a full disk, a lost connection).
    await prisma.$executeRawUnsafe(`CREATE FUNCTION audit_must_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.variables::text LIKE '%AUDIT-MUST-FAIL%' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER audit_must_fail BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION audit_must_fail()`);
    const marks = () => prisma.mark.count({ where: { academyId, date: new Date("2025-11-04T00:00:00Z") } });
    const before = await marks();
    const failed = await t.graphql(TAKE, { input: input("AUDIT-MUST-FAIL") }, officer.headers);
    expect(failed.errors?.length).toBeGreaterThan(0);
    expect(await marks()).toBe(before);
    await prisma.$executeRawUnsafe(`DROP TRIGGER audit_must_fail ON audit_entry`);
    const audits = await prisma.auditEntry.count();
    const taken = await t.graphql<{ takeRegister: { recorded: number } }>(TAKE, { input: input("on time") }, officer.headers);
    expect(taken.errors).toBeUndefined();
    expect(await marks()).toBe(before + 3);
    // One row, not two: the one written inside the transaction.
    expect(await prisma.auditEntry.count()).toBe(audits + 1);
    expect(await prisma.auditEntry.findFirstOrThrow({ where: { operation: "Take: takeRegister" } })).toMatchObject({ outcome: "OK", actorKind: "user" });
  });

  describe("reads of safeguarding flags and contact details", () => {
    const READ = `query Family($upn: String!) { pupil(upn: $upn) { upn lookedAfter hasSocialWorker carers { forename addressLines } } }`;
    let upn: string;
    let pupilId: string;
    const readRows = () => t.db.prisma.auditEntry.findMany({ where: { operation: { startsWith: "read " } }, orderBy: { at: "asc" } });

    beforeAll(async () => {
      const carer = await t.db.prisma.carer.findFirstOrThrow({ where: { academyId }, include: { pupil: true }, orderBy: { id: "asc" } });
      upn = carer.pupil.upn;
      pupilId = carer.pupilId;
    });

    it("writes one audit row per request, naming the fields, and never serves them from the response cache", async () => {
      const before = (await readRows()).length;
      for (let i = 0; i < 2; i++) {
        t.resetStatements();
        const res = await t.graphql<{ pupil: { carers: { addressLines: string[] }[] } }>(READ, { upn }, officer.headers);
        expect(res.errors).toBeUndefined();
        expect(res.data!.pupil.carers.length).toBeGreaterThan(0);
        // Run again, not answered from memory: the carers were read from the database.
        expect(t.statements.some((sql) => /FROM "public"\."carer"/.test(sql))).toBe(true);
      }
      const rows = (await readRows()).slice(before);
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({
        actorKind: "user", outcome: "OK", variables: { variables: { upn }, pupilIds: [pupilId] },
        operation: "read Family: Carer.addressLines, Carer.forename, Pupil.hasSocialWorker, Pupil.lookedAfter",
      });
    });

    it("records a refused attempt too, and nothing for reads without such fields", async () => {
      const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Staverton" });
      const before = (await readRows()).length;
      const refused = await t.graphql(READ, { upn }, teacher.headers);
      expect(codes(refused)).toContain("FORBIDDEN");
      await t.graphql(`query Plain($upn: String!) { pupil(upn: $upn) { upn displayName } }`, { upn }, officer.headers);
      const rows = (await readRows()).slice(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.outcome).toContain("FORBIDDEN");
      // The flags and carers were refused, so no pupil's data was given.
      expect(rows[0]!.variables).toEqual({ variables: { upn }, pupilIds: [] });
    });
  });

  describe("retention: anonymised six years after the last entry (2024 Regulations, reg. 14)", () => {
    let leaver: { id: string; upn: string };

    beforeAll(async () => {
      // A pupil who left in July 2018, with an amended mark, a note, a carer and a letter.
      const prisma = t.db.prisma;
      const { trustId } = await prisma.academy.findUniqueOrThrow({ where: { id: academyId }, select: { trustId: true } });
      const pupil = await prisma.pupil.create({
        data: { academyId, trustId, upn: "Z801200000001", legalForename: "Olwen", legalSurname: "Leaver", preferredForename: "Ollie", dateOfBirth: new Date("2008-03-01T00:00:00Z"), gender: "FEMALE", yearGroup: 11, lookedAfter: true, createdAt: new Date("2016-09-01T08:00:00Z") },
      });
      await prisma.enrolment.create({ data: { pupilId: pupil.id, academyId, onRollFrom: new Date("2016-09-01T00:00:00Z"), onRollTo: new Date("2018-07-20T00:00:00Z"), deletionGround: "OVER_COMPULSORY_AGE", deletionNote: "Olwen moved to college in Leeds", createdAt: new Date("2016-09-01T08:00:00Z") } });
      for (const [date, code, category] of [["2018-06-04", "/", "PRESENT"], ["2018-06-05", "O", "UNAUTHORISED_ABSENCE"]] as const) {
        const register = await prisma.register.create({ data: { academyId, date: new Date(`${date}T00:00:00Z`), session: "AM" } });
        await prisma.mark.create({ data: { registerId: register.id, pupilId: pupil.id, academyId, date: register.date, session: "AM", version: 1, code, category, note: "Olwen's mum phoned", recordedAt: new Date(`${date}T08:50:00Z`) } });
        await prisma.mark.create({ data: { registerId: register.id, pupilId: pupil.id, academyId, date: register.date, session: "AM", version: 2, code, category, amendmentReason: "Olwen's mum sent a letter", recordedAt: new Date(`${date}T10:00:00Z`) } });
      }
      const carer = await prisma.carer.create({ data: { pupilId: pupil.id, academyId, salutation: "Ms Leaver", forename: "Ruth", surname: "Leaver", addressLines: ["1 High Street", "Staverton"] } });
      await prisma.letter.create({ data: { academyId, pupilId: pupil.id, carerId: carer.id, templateKey: "x", title: "Olwen's attendance", html: "<p>Dear Ms Leaver</p>", text: "Dear Ms Leaver", renderedAt: new Date("2018-06-10T09:00:00Z") } });
      leaver = pupil;
    });

    const statistics = async () => ({
      weeks: await t.db.prisma.attendanceWeek.findMany({ where: { pupilId: leaver.id }, orderBy: { weekStart: "asc" } }),
      current: (await t.db.prisma.currentMark.findMany({ where: { pupilId: leaver.id }, orderBy: { date: "asc" } })).map(({ markId, date, code, category, version }) => ({ markId, date, code, category, version })),
      marks: (await t.db.prisma.mark.findMany({ where: { pupilId: leaver.id }, orderBy: [{ date: "asc" }, { version: "asc" }] })).map(({ id, date, code, category, version }) => ({ id, date, code, category, version })),
    });

    it("lists the leaver in a dry run only once the six years are over, changing nothing but the audit log", async () => {
      const within = await runRetention(t.db.prisma, { today: "2024-07-19", apply: false });
      expect(within.pupils.map((p) => p.pupilId)).not.toContain(leaver.id);
      const audits = await t.db.prisma.auditEntry.count({ where: { operation: "retention (dry run)" } });
      const dry = await runRetention(t.db.prisma, { today: "2026-01-05", apply: false });
      // The demo's pupils are on roll: the leaver is the only one due.
      expect(dry.pupils).toEqual([expect.objectContaining({ pupilId: leaver.id, lastEntry: "2018-07-20", retainedUntil: "2024-07-19" })]);
      expect(await t.db.prisma.pupil.findUniqueOrThrow({ where: { id: leaver.id } })).toMatchObject({ legalSurname: "Leaver", anonymisedAt: null });
      expect(await t.db.prisma.auditEntry.count({ where: { operation: "retention (dry run)" } })).toBe(audits + 1);
    });

    it("anonymises with --apply: names, date of birth, UPN, carers and free text gone, statistics the same", async () => {
      const before = await statistics();
      expect(before.weeks).toHaveLength(1);
      const run = await runRetention(t.db.prisma, { today: "2026-01-05", apply: true });
      expect(run.pupils.map((p) => p.pupilId)).toEqual([leaver.id]);
      expect(await statistics()).toEqual(before);
      const pupil = await t.db.prisma.pupil.findUniqueOrThrow({ where: { id: leaver.id }, include: { carers: true, letters: true, enrolments: true, marks: true } });
      expect(pupil).toMatchObject({ legalForename: "Anonymised", legalSurname: "pupil", preferredForename: null, dateOfBirth: null, yearGroup: 11, lookedAfter: true });
      expect(pupil.anonymisedAt).toBeInstanceOf(Date);
      expect(pupil.upn).not.toBe(leaver.upn);
      expect(pupil.upn).toHaveLength(13);
      expect(pupil.carers[0]).toMatchObject({ salutation: "", forename: "Anonymised", surname: "carer", addressLines: [] });
      expect(pupil.letters[0]).toMatchObject({ html: "", text: "" });
      expect(pupil.enrolments[0]!.deletionNote).toBeNull();
      expect(JSON.stringify(pupil)).not.toMatch(/Olwen|Leaver|Leeds|High Street|mum/);
      const audit = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { operation: "retention: anonymise_pupil" } });
      expect(JSON.stringify(audit.variables)).toContain(leaver.id);
      expect(JSON.stringify(audit.variables)).not.toContain(leaver.upn);
      // Done once: a second run finds nobody.
      expect((await runRetention(t.db.prisma, { today: "2026-01-05", apply: true })).pupils).toEqual([]);
    });

    it("still refuses any other change to a mark, the anonymiser's setting notwithstanding", async () => {
      await expect(t.db.prisma.$executeRawUnsafe(`UPDATE mark SET note = 'x' WHERE pupil_id = '${leaver.id}'`)).rejects.toThrow(/append-only/);
      await expect(t.db.prisma.$transaction(async (tx) => {
        await tx.$queryRawUnsafe(`SELECT set_config('attendance.anonymising_pupil', '${leaver.id}', true)`);
        await tx.$executeRawUnsafe(`UPDATE mark SET code = 'B' WHERE pupil_id = '${leaver.id}'`);
      })).rejects.toThrow(/append-only/);
      await expect(t.db.prisma.$executeRawUnsafe(`DELETE FROM mark WHERE pupil_id = '${leaver.id}'`)).rejects.toThrow(/append-only/);
    });
  });

  describe("subject access export (UK GDPR Art. 15)", () => {
    const SAR = `query Sar($upn: String!) { subjectAccessExport(upn: $upn) { generatedAt json csv { name rows csv } } }`;
    type Sar = { subjectAccessExport: { json: Record<string, unknown> & { pupil: { upn: string }; marks: unknown[]; carers: unknown[] }; csv: { name: string; rows: number; csv: string }[] } };
    let admin: Credentials;
    let otherAdmin: Credentials;
    let upn: string;

    beforeAll(async () => {
      const staverton = await t.db.prisma.academy.findUniqueOrThrow({ where: { id: academyId }, include: { trust: true } });
      admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: staverton.trust.name });
      const other = await t.db.prisma.trust.findFirstOrThrow({ where: { id: { not: staverton.trustId }, users: { some: { role: "TRUST_ADMIN" } } }, orderBy: { slug: "asc" } });
      otherAdmin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: other.name });
      const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId, anonymisedAt: null, currentMarks: { some: {} } }, orderBy: { upn: "asc" } });
      upn = pupil.upn;
      // A value a spreadsheet would run as a formula.
      // One carer per contact priority (carer_pupil_id_contact_order_key): this one goes after any the demo holds.
      const last = await t.db.prisma.carer.aggregate({ where: { pupilId: pupil.id }, _max: { contactOrder: true } });
      await t.db.prisma.carer.create({ data: { pupilId: pupil.id, academyId, contactOrder: (last._max.contactOrder ?? 0) + 1, salutation: "Mx Formula", forename: "=1+1", surname: "Formula", addressLines: ["2 Low Road"] } });
    });

    it("gives a trust admin everything held about the pupil, as JSON and CSV, and audits it", async () => {
      const before = await t.db.prisma.auditEntry.count({ where: { operation: "read Sar: Query.subjectAccessExport" } });
      const res = await t.graphql<Sar>(SAR, { upn }, admin.headers);
      expect(res.errors).toBeUndefined();
      const { json, csv } = res.data!.subjectAccessExport;
      expect(json.pupil.upn).toBe(upn);
      expect(json.marks.length).toBeGreaterThan(0);
      expect(csv.map((c) => c.name)).toEqual(["pupil", "enrolments", "marks", "leaveRequests", "caseActions", "letters", "penaltyNotices", "carers", "notifications", "auditEntries"]);
      const marks = csv.find((c) => c.name === "marks")!;
      expect(marks.rows).toBe(json.marks.length);
      expect(marks.csv.split("\n")[0]).toContain("code");
      expect(csv.find((c) => c.name === "carers")!.csv).toContain("'=1+1");
      expect(await t.db.prisma.auditEntry.count({ where: { operation: "read Sar: Query.subjectAccessExport", outcome: "OK" } })).toBe(before + 1);
      const row = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { operation: "read Sar: Query.subjectAccessExport" }, orderBy: { at: "desc" } });
      expect(row.variables).toEqual({ variables: { upn }, pupilIds: [(json.pupil as unknown as { id: string }).id] });
    });

    it("answers NOT_FOUND alike for an unknown UPN and another trust's pupil, and FORBIDDEN to anyone but a trust admin", async () => {
      const foreign = await t.graphql(SAR, { upn }, otherAdmin.headers);
      const unknown = await t.graphql(SAR, { upn: "Z999999999999" }, admin.headers);
      expect(codes(foreign)).toEqual(["NOT_FOUND"]);
      expect(unknown.errors).toEqual(foreign.errors);
      expect(foreign.data).toBeNull();
      expect(codes(await t.graphql(SAR, { upn }, officer.headers))).toEqual(["FORBIDDEN"]);
      expect(codes(await t.graphql(SAR, { upn: "Z999999999999" }, officer.headers))).toEqual(["FORBIDDEN"]);
      // The other trust's probe is that trust's record, not part of this pupil's export.
      const again = await t.graphql<Sar>(SAR, { upn }, admin.headers);
      const audit = again.data!.subjectAccessExport.json.auditEntries as { operation: string; outcome: string }[];
      expect(audit.length).toBeGreaterThan(0);
      expect(audit.filter((a) => a.outcome === "NOT_FOUND")).toEqual([]);
    });
  });
});
