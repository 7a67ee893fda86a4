// Workflows through the HTTP API (issue 7): leave of absence, escalations and
// case actions, letters, penalty notices, unexplained absence, roll changes
// and signed webhooks, on the demo data.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const problems = (res: GraphQLResponse) => (res.errors?.[0]?.extensions?.problems ?? []) as { field: string; message: string }[];

const TAKE = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded leaveApplied escalationEvaluation { id } } }`;
const EVALUATION = `query ($id: ID!) { node(id: $id) { ... on EscalationEvaluation { status createdCaseActions } } }`;
const MARK = `query ($urn: Int!, $date: Date!, $session: Session!) { register(academyUrn: $urn, date: $date, session: $session) {
  marks(first: 500) { edges { node { code category version amendmentReason pupil { id } history { code version } } } } } }`;
type MarkNode = { code: string; category: string; version: number; amendmentReason: string | null; pupil: { id: string }; history: { code: string; version: number }[] };

/** A local endpoint that records webhook deliveries and answers with the statuses given, then 200. */
async function webhookReceiver(statuses: number[]) {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe.each(availableBackends())("workflows on %s", (kind) => {
  let t: TestServer;
  const urns: Record<string, number> = {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer(kind);
    for (const a of await t.db.prisma.academy.findMany()) {
      urns[a.name.split(" ")[0]!] = a.urn;
      ids[a.name.split(" ")[0]!] = a.id;
    }
  });
  afterAll(() => t?.close());

  /** A pupil of the academy with no unauthorised absence in the demo, the n-th such by UPN. */
  async function cleanPupil(academy: string, n = 0) {
    const pupils = await t.db.prisma.pupil.findMany({
      where: { academyId: ids[academy]!, currentMarks: { none: { code: { in: ["G", "N", "O", "U"] } } }, enrolments: { some: { onRollTo: null } } },
      orderBy: { upn: "asc" },
      take: n + 1,
      include: { carers: { orderBy: { contactOrder: "asc" } } },
    });
    return pupils[n]!;
  }

  async function take(who: Credentials, academy: string, date: string, session: "AM" | "PM", pupilId: string, code: string) {
    const res = await t.graphql<{ takeRegister: { recorded: number; leaveApplied: number; escalationEvaluation: { id: string } } }>(
      TAKE, { input: { academyUrn: urns[academy]!, date, session, marks: [{ pupilId: gid("Pupil", pupilId), code }] } }, who.headers);
    expect(res.errors).toBeUndefined();
    // Escalations are evaluated after the register commits (issue 17, item 4):
    // each write's evaluation is waited for, so that the next write sees it.
    await t.escalationsSettled();
    const { escalationEvaluation, ...taken } = res.data!.takeRegister;
    const evaluation = await t.graphql<{ node: { status: string; createdCaseActions: number | null } }>(EVALUATION, { id: escalationEvaluation.id }, who.headers);
    return { ...taken, evaluation: evaluation.data?.node ?? null };
  }

  async function markOf(who: Credentials, academy: string, date: string, session: "AM" | "PM", pupilId: string): Promise<MarkNode> {
    const res = await t.graphql<{ register: { marks: { edges: { node: MarkNode }[] } } }>(MARK, { urn: urns[academy]!, date, session }, who.headers);
    expect(res.errors).toBeUndefined();
    return res.data!.register.marks.edges.map((e) => e.node).find((m) => m.pupil.id === gid("Pupil", pupilId))!;
  }

  describe("leave of absence", () => {
    const REQUEST = `mutation ($input: RequestLeaveInput!) { requestLeave(input: $input) { id status
      assessment { outcome sessions attendanceRate decisions { verdict rule reason passage plugin layer } } } }`;
    const DECIDE = `mutation ($input: DecideLeaveInput!) { decideLeave(input: $input) { id status decisionReason decidedBy } }`;
    type Requested = { requestLeave: { id: string; status: string; assessment: { outcome: string; sessions: number; decisions: { verdict: string; rule: string; plugin: string; passage: string }[] } } };

    it("refuses answers that do not fit the academy's form, with every problem, and saves nothing", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const pupil = await cleanPupil("St");
      const res = await t.graphql(REQUEST, {
        input: { pupilId: gid("Pupil", pupil.id), from: "2025-11-20", to: "2025-11-19", answers: { purpose: "Skiing", extra: 1 } },
      }, officer.headers);
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(problems(res).map((p) => p.field).sort()).toEqual(["answers", "answers.circumstances", "answers.purpose", "to"]);
      expect(await t.db.prisma.leaveRequest.count()).toBe(0);
    });

    it("pre-assesses, refuses, and a refused holiday taken anyway shows as unauthorised (G), the original N kept", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "St James" });
      const pupil = await cleanPupil("St", 1);
      const requested = await t.graphql<Requested>(REQUEST, {
        input: {
          pupilId: gid("Pupil", pupil.id), from: "2025-11-10", to: "2025-11-11", requestedOn: "2025-11-12",
          answers: { purpose: "Family holiday", circumstances: "Cheaper flights" },
        },
      }, officer.headers);
      expect(requested.errors).toBeUndefined();
      const { assessment } = requested.data!.requestLeave;
      expect(assessment.sessions).toBe(4);
      // Asked after it began: the national rule speaks against it, with its source.
      expect(assessment.outcome).toBe("LIKELY_REFUSED");
      expect(assessment.decisions).toContainEqual(expect.objectContaining({ verdict: "AGAINST", rule: "leave.inAdvance", plugin: "national-england-2024" }));
      // St James's 96% rule (seed 001 §9) is read for this pupil, as a note or against.
      expect(assessment.decisions.find((d) => d.rule === "leave.attendance")?.passage).toMatch(/96%/);

      // An officer may not decide; the headteacher may, once.
      const decide = { leaveRequestId: requested.data!.requestLeave.id, decision: "REFUSED", reason: "Not exceptional" };
      expect(codes(await t.graphql(DECIDE, { input: decide }, officer.headers))).toEqual(["FORBIDDEN"]);
      const decided = await t.graphql<{ decideLeave: { status: string } }>(DECIDE, { input: decide }, head.headers);
      expect(decided.data?.decideLeave.status).toBe("REFUSED");
      expect(codes(await t.graphql(DECIDE, { input: { ...decide, decision: "AUTHORISED" } }, head.headers))).toEqual(["CONFLICT"]);

      // Taken anyway: the register says N (no reason yet), and the refusal makes it G.
      expect((await take(officer, "St", "2025-11-10", "AM", pupil.id, "N")).leaveApplied).toBe(1);
      const mark = await markOf(officer, "St", "2025-11-10", "AM", pupil.id);
      expect([mark.code, mark.category, mark.version]).toEqual(["G", "UNAUTHORISED_ABSENCE", 2]);
      expect(mark.history.map((h) => h.code)).toEqual(["N", "G"]);
      expect(mark.amendmentReason).toMatch(/refused.*Not exceptional/);
      // Present after all: the register's mark stands.
      expect((await take(officer, "St", "2025-11-10", "PM", pupil.id, "\\")).leaveApplied).toBe(0);
    });

    it("an authorised request marks its sessions C, amending registers already taken", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "St James" });
      const pupil = await cleanPupil("St", 2);
      await take(officer, "St", "2025-11-13", "AM", pupil.id, "N");
      const requested = await t.graphql<Requested>(REQUEST, {
        input: {
          pupilId: gid("Pupil", pupil.id), from: "2025-11-13", to: "2025-11-14", requestedOn: "2025-11-06",
          answers: { purpose: "Bereavement or family emergency", circumstances: "A funeral abroad" },
        },
      }, officer.headers);
      expect(requested.data!.requestLeave.assessment.outcome).toBe("FOR_DECISION");
      await t.graphql(DECIDE, { input: { leaveRequestId: requested.data!.requestLeave.id, decision: "AUTHORISED", reason: "Exceptional: a funeral" } }, head.headers);
      expect(await markOf(officer, "St", "2025-11-13", "AM", pupil.id)).toMatchObject({ code: "C", category: "AUTHORISED_ABSENCE", version: 2 });
      // A register taken after the decision is amended as it is written.
      expect((await take(officer, "St", "2025-11-14", "PM", pupil.id, "N")).leaveApplied).toBe(1);
      expect((await markOf(officer, "St", "2025-11-14", "PM", pupil.id)).history.map((h) => h.code)).toEqual(["N", "C"]);
    });
  });

  describe("escalations", () => {
    const EVALUATE = `mutation ($urn: Int!, $asOf: Date) { evaluateEscalations(academyUrn: $urn, asOf: $asOf) {
      existing created { id kind source action reason triggerKey rule evidence dueOn status } } }`;
    type Run = { evaluateEscalations: { existing: number; created: { kind: string; source: string; reason: string; triggerKey: string; rule: Record<string, unknown>; evidence: Record<string, unknown> }[] } };

    it("raises each action once with its trigger explained: evaluating the demo again creates nothing", async () => {
      const lead = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Woolwich" });
      const first = await t.graphql<Run>(EVALUATE, { urn: urns.Woolwich!, asOf: "2025-10-24" }, lead.headers);
      expect(first.errors).toBeUndefined();
      const created = first.data!.evaluateEscalations.created;
      expect(created.length).toBeGreaterThan(0);
      // Woolwich's policy (seed 000) and Greenwich's code name no absence ladder: the
      // national floor's steps (issue 16, item 5) come from the national layer.
      for (const action of created.filter((a) => a.source === "ABSENCE_LADDER")) {
        expect(action.rule).toMatchObject({ key: "absenceLadder", plugin: "national-england-2024", basis: "GUIDANCE" });
      }
      for (const action of created.filter((a) => a.source !== "ABSENCE_LADDER")) {
        expect(action.reason.length).toBeGreaterThan(10);
        expect(action.rule).toMatchObject({ key: "latenessLadder", plugin: "academy-woolwich-polytechnic" });
        expect(String(action.rule.passage)).toMatch(/Sanctions for lateness/);
        // The marks that triggered it, enough to reach its step.
        expect((action.evidence.lates as unknown[]).length).toBeGreaterThanOrEqual(3);
      }
      expect(created.map((a) => a.kind)).toContain("MEETING");

      const again = await t.graphql<Run>(EVALUATE, { urn: urns.Woolwich!, asOf: "2025-10-24" }, lead.headers);
      expect(again.data!.evaluateEscalations).toEqual({ existing: created.length, created: [] });
      expect(await t.db.prisma.caseAction.count({ where: { academyId: ids.Woolwich! } })).toBe(created.length);
    });

    it("evaluates Staverton's pupils against its trust's B1 ladder, and each can be closed once", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
      const run = await t.graphql<Run>(EVALUATE, { urn: urns.Staverton!, asOf: "2025-10-24" }, officer.headers);
      const actions = run.data!.evaluateEscalations.created;
      expect(actions.some((a) => a.source === "ABSENCE_LADDER" && a.rule.plugin === "trust-peterborough-diocese")).toBe(true);
      const id = (actions[0] as unknown as { id: string }).id;
      const CLOSE = `mutation ($input: CloseCaseActionInput!) { closeCaseAction(input: $input) { status statusReason } }`;
      expect(codes(await t.graphql(CLOSE, { input: { caseActionId: id, outcome: "WAIVED", reason: " " } }, officer.headers))).toEqual(["BAD_USER_INPUT"]);
      const closed = await t.graphql<{ closeCaseAction: { status: string } }>(CLOSE, { input: { caseActionId: id, outcome: "WAIVED", reason: "Family already supported by early help" } }, officer.headers);
      expect(closed.data?.closeCaseAction.status).toBe("WAIVED");
      expect(codes(await t.graphql(CLOSE, { input: { caseActionId: id, outcome: "DONE", reason: "x" } }, officer.headers))).toEqual(["CONFLICT"]);
    });

    it("follows unexplained absence day by day from register writes (St James: day 1 call, day 3 home visit)", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const pupil = await cleanPupil("St", 3);
      const days = ["2025-11-17", "2025-11-18", "2025-11-19"];
      const raised: (number | null)[] = [];
      for (const day of days) {
        raised.push((await take(officer, "St", day, "AM", pupil.id, "N")).evaluation!.createdCaseActions);
        raised.push((await take(officer, "St", day, "PM", pupil.id, "N")).evaluation!.createdCaseActions);
      }
      const actions = await t.db.prisma.caseAction.findMany({ where: { pupilId: pupil.id, source: "MISSING_EDUCATION" }, orderBy: { dueOn: "asc" } });
      expect(actions.map((a) => [a.kind, a.dueOn.toISOString().slice(0, 10)])).toEqual([["CONTACT", "2025-11-17"], ["HOME_VISIT", "2025-11-19"]]);
      // Raised by the register writes themselves: day 1's morning, and day 3's. St James
      // names no absence ladder (seed 001), so the national floor (issue 16, item 5) may
      // add its steps too, on the day a write first finds the pupil at or below 90%
      // (or 50%) this school year, once, from the national layer.
      const floor = await t.db.prisma.caseAction.findMany({ where: { pupilId: pupil.id, source: "ABSENCE_LADDER" } });
      for (const a of floor) {
        expect((a.rule as { plugin: string }).plugin).toBe("national-england-2024");
        expect((a.evidence as { attendanceRate: number }).attendanceRate).toBeLessThanOrEqual(Number(a.triggerKey.split(":")[1]));
      }
      const floorOn = (day: string) => floor.filter((a) => (a.evidence as { to: string }).to === day).length;
      // Day by day: the call on day 1 and the home visit on day 3 (each on the morning's write), plus any floor step that day.
      expect(days.map((d, i) => raised[2 * i]! + raised[2 * i + 1]!)).toEqual(days.map((d, i) => [1, 0, 1][i]! + floorOn(d)));
      expect([raised[0]! >= 1, raised[4]! >= 1]).toEqual([true, true]);
      expect((actions[1]!.evidence as { run: { schoolDays: number } }).run.schoolDays).toBe(3);
    });
  });

  describe("letters", () => {
    const RENDER = `mutation ($input: RenderLetterInput!) { renderLetter(input: $input) { id title text html carer { salutation } } }`;

    it("renders ATT's persistent-absence letter for a demo pupil with no merge field left, and records sending once", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "ATT" });
      const pupil = await t.db.prisma.pupil.findFirstOrThrow({ where: { academyId: ids.ATT!, carers: { some: {} } }, include: { carers: true }, orderBy: { upn: "asc" } });
      const res = await t.graphql<{ renderLetter: { id: string; title: string; text: string; html: string; carer: { salutation: string } } }>(
        RENDER, { input: { pupilId: gid("Pupil", pupil.id), templateKey: "persistent-absence", attendanceAsOf: "2025-10-24" } }, officer.headers);
      expect(res.errors).toBeUndefined();
      const letter = res.data!.renderLetter;
      expect(letter.text).not.toMatch(/[«»]/);
      expect(letter.html).not.toMatch(/[«»]/);
      expect(letter.text).toContain(`Dear ${letter.carer.salutation},`);
      expect(letter.text).toMatch(/current attendance percentage is \d+\.\d%/);
      expect(letter.title).toContain(pupil.legalSurname);
      const SENT = `mutation ($id: ID!) { markLetterSent(letterId: $id, via: POST) { sentAt sentVia } }`;
      expect((await t.graphql<{ markLetterSent: { sentVia: string } }>(SENT, { id: letter.id }, officer.headers)).data?.markLetterSent.sentVia).toBe("POST");
      expect(codes(await t.graphql(SENT, { id: letter.id }, officer.headers))).toEqual(["CONFLICT"]);
      expect(codes(await t.graphql(RENDER, { input: { pupilId: gid("Pupil", pupil.id), templateKey: "no-such" } }, officer.headers))).toEqual(["BAD_USER_INPUT"]);
    });

    it("refuses a template with an unknown merge field when it is saved, and saves nothing", async () => {
      const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "ATT" });
      const before = await t.db.prisma.policySettings.count();
      const res = await t.graphql(
        `mutation ($input: SetAcademyPolicyInput!) { setAcademyPolicy(input: $input) { date } }`,
        { input: { academyUrn: urns.ATT!, effectiveFrom: "2025-11-01", reason: "New letter", settings: { "letters.templates": { "meeting-invite": { title: "Meeting", body: "Dear «parent_title», please come in." } } } } },
        head.headers,
      );
      expect(codes(res)).toEqual(["BAD_USER_INPUT"]);
      expect(problems(res)[0]).toMatchObject({ field: "settings.letters.templates.meeting-invite.body", message: expect.stringContaining("«parent_title»") });
      expect(await t.db.prisma.policySettings.count()).toBe(before);
    });
  });

  describe("penalty notices", () => {
    const CANDIDATES = `query ($urn: Int!, $asOf: Date!) { academy(urn: $urn) { penaltyNoticeCandidates(asOf: $asOf) {
      pupil { id } threshold { reached schoolWeeks from to sessions { date session code } reason } triggers { rule }
      parents { carer { id } offered nth amountWithin21Days amountWithin28Days reason } } } }`;
    type Candidates = { academy: { penaltyNoticeCandidates: { pupil: { id: string }; threshold: { reached: boolean; sessions: unknown[] }; parents: { carer: { id: string }; offered: boolean; nth: number; amountWithin21Days: number | null }[] }[] } };

    /** Five unauthorised sessions: Monday to Wednesday morning of the week of `monday`. */
    async function fiveAbsences(who: Credentials, pupilId: string, monday: string) {
      const d = (n: number) => new Date(Date.parse(`${monday}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
      for (const [date, session] of [[d(0), "AM"], [d(0), "PM"], [d(1), "AM"], [d(1), "PM"], [d(2), "AM"]] as const) await take(who, "St", date, session, pupilId, "O");
    }

    it("finds 10 unauthorised sessions over two terms inside 10 school weeks, not the same over 11; never offers a third notice", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const inside = await cleanPupil("St", 4);
      const outside = await cleanPupil("St", 5);
      // Weeks of 1 December and 12 January: five school weeks apart, across the Christmas holiday.
      await fiveAbsences(officer, inside.id, "2025-12-01");
      await fiveAbsences(officer, inside.id, "2026-01-12");
      // Weeks of 3 November and 26 January: 11 school weeks.
      await fiveAbsences(officer, outside.id, "2025-11-03");
      await fiveAbsences(officer, outside.id, "2026-01-26");
      const res = await t.graphql<Candidates>(CANDIDATES, { urn: urns.St!, asOf: "2026-02-13" }, officer.headers);
      expect(res.errors).toBeUndefined();
      const candidates = res.data!.academy.penaltyNoticeCandidates;
      const mine = candidates.find((c) => c.pupil.id === gid("Pupil", inside.id));
      expect(mine?.threshold.reached).toBe(true);
      expect(mine!.threshold.sessions).toHaveLength(10);
      expect(candidates.find((c) => c.pupil.id === gid("Pupil", outside.id))).toBeUndefined();
      // Per parent: a first notice, at the national amounts in force (£80 within 21 days).
      expect(mine!.parents[0]).toMatchObject({ offered: true, nth: 1, amountWithin21Days: 80, amountWithin28Days: 160 });

      // One notice already issued in 2024; the second is £160; a third within three years is not offered.
      const carer = inside.carers[0]!;
      await t.db.prisma.penaltyNotice.create({
        data: { academyId: ids.St!, pupilId: inside.id, carerId: carer.id, issuedOn: new Date("2024-10-01T00:00:00Z"), amountWithin21Days: 80, amountWithin28Days: 160, status: "PAID", evidence: {} },
      });
      const RECORD = `mutation ($input: RecordPenaltyNoticeInput!) { recordPenaltyNotice(input: $input) { amountWithin21Days amountWithin28Days status } }`;
      const input = { pupilId: gid("Pupil", inside.id), carerId: gid("Carer", carer.id), issuedOn: "2026-02-13" };
      const second = await t.graphql<{ recordPenaltyNotice: { amountWithin21Days: number } }>(RECORD, { input }, officer.headers);
      expect(second.data?.recordPenaltyNotice).toMatchObject({ amountWithin21Days: 160, amountWithin28Days: 160 });
      const after = await t.graphql<Candidates>(CANDIDATES, { urn: urns.St!, asOf: "2026-02-13" }, officer.headers);
      const offer = after.data!.academy.penaltyNoticeCandidates.find((c) => c.pupil.id === gid("Pupil", inside.id))!.parents.find((p) => p.carer.id === gid("Carer", carer.id))!;
      expect(offer).toMatchObject({ offered: false, nth: 3, amountWithin21Days: null });
      const third = await t.graphql(RECORD, { input }, officer.headers);
      expect(codes(third)).toEqual(["BAD_USER_INPUT"]);
      expect(problems(third)[0]!.message).toMatch(/prosecution/);
      // Not a candidate: refused.
      expect(codes(await t.graphql(RECORD, { input: { ...input, pupilId: gid("Pupil", outside.id), carerId: gid("Carer", outside.carers[0]!.id) } }, officer.headers))).toEqual(["BAD_USER_INPUT"]);
    });
  });

  describe("roll changes", () => {
    it("queues admissions and lawful deletions as returns due within 5 school days, refuses an unproven ground, and marks them sent once", async () => {
      const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Stanborough" });
      const form = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: ids.Stanborough!, yearGroup: 9 } });
      const ADMIT = `mutation ($input: AdmitPupilInput!) { admitPupil(input: $input) { id upn enrolments { onRollFrom } } }`;
      const admitted = await t.graphql<{ admitPupil: { id: string } }>(ADMIT, {
        input: { academyUrn: urns.Stanborough!, upn: "Z99999999999A", legalForename: "Robin", legalSurname: "Example", dateOfBirth: "2011-05-01", gender: "OTHER", yearGroup: 9, formId: gid("Form", form.id), onRollFrom: "2025-11-17" },
      }, head.headers);
      expect(admitted.errors).toBeUndefined();
      const pupilId = admitted.data!.admitPupil.id;
      const DELETE = `mutation ($input: DeleteFromRollInput!) { deleteFromRoll(input: $input) { onRollTo deletionGround } }`;
      // Ground (i) needs 20 school days of unexplained absence: the register shows none.
      const unproven = await t.graphql(DELETE, { input: { pupilId, lastDayOnRoll: "2025-11-21", ground: "CONTINUOUSLY_ABSENT_20_DAYS", note: "Not seen" } }, head.headers);
      expect(codes(unproven)).toEqual(["BAD_USER_INPUT"]);
      // Off-rolling has no ground to name: the schema refuses it before any resolver runs.
      const offRolling = await t.graphql(DELETE, { input: { pupilId, lastDayOnRoll: "2025-11-21", ground: "BEHAVIOUR", note: "x" } }, head.headers);
      expect(offRolling.errors?.[0]?.message).toMatch(/"BEHAVIOUR".*DeletionGround/);
      expect(codes(offRolling)).toEqual(["BAD_USER_INPUT"]);
      const deleted = await t.graphql<{ deleteFromRoll: { deletionGround: string } }>(DELETE, { input: { pupilId, lastDayOnRoll: "2025-11-21", ground: "MOVED_AWAY", note: "Moved to Scotland" } }, head.headers);
      expect(deleted.data?.deleteFromRoll.deletionGround).toBe("MOVED_AWAY");

      const RETURNS = `query ($urn: Int!) { academy(urn: $urn) { localAuthorityReturns(sent: false) { edges { node { id kind dueBy pupil { upn } } } } } }`;
      const list = await t.graphql<{ academy: { localAuthorityReturns: { edges: { node: { id: string; kind: string; dueBy: string; pupil: { upn: string } } }[] } } }>(RETURNS, { urn: urns.Stanborough! }, head.headers);
      const mine = list.data!.academy.localAuthorityReturns.edges.map((e) => e.node).filter((n) => n.pupil.upn === "Z99999999999A");
      expect(mine.map((n) => [n.kind, n.dueBy])).toEqual([["NEW_ENTRY", "2025-11-24"], ["DELETION", "2025-11-28"]]);
      const SENT = `mutation ($id: ID!) { markReturnSent(returnId: $id) { sentAt } }`;
      expect((await t.graphql(SENT, { id: mine[0]!.id }, head.headers)).errors).toBeUndefined();
      expect(codes(await t.graphql(SENT, { id: mine[0]!.id }, head.headers))).toEqual(["CONFLICT"]);
    });
  });

  describe("webhooks", () => {
    it("signs deliveries, retries a failing endpoint with backoff, and never holds up a register write", async () => {
      const admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Peterborough" });
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
      const trust = await t.db.prisma.trust.findFirstOrThrow({ where: { name: { contains: "Peterborough" } } });
      const receiver = await webhookReceiver([500, 503]);
      const REGISTER = `mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) { secret endpoint { id url events } } }`;
      expect(codes(await t.graphql(REGISTER, { input: { trustSlug: trust.slug, url: "http://example.org/x", events: ["CASE_ACTION_CREATED"] } }, admin.headers))).toEqual(["BAD_USER_INPUT"]);
      expect(codes(await t.graphql(REGISTER, { input: { trustSlug: trust.slug, url: receiver.url, events: ["CASE_ACTION_CREATED"] } }, officer.headers))).toEqual(["FORBIDDEN"]);
      const registered = await t.graphql<{ registerWebhook: { secret: string; endpoint: { id: string } } }>(
        REGISTER, { input: { trustSlug: trust.slug, url: receiver.url, events: ["CASE_ACTION_CREATED"] } }, admin.headers);
      expect(registered.errors).toBeUndefined();
      const { secret } = registered.data!.registerWebhook;

      // A pupil three days unexplained at Staverton: its national steps are 10 and 20 days, so raise a B1 step instead.
      const run = await t.graphql<{ evaluateEscalations: { created: { id: string }[] } }>(
        `mutation ($urn: Int!) { evaluateEscalations(academyUrn: $urn, asOf: "2025-10-17") { created { id } } }`, { urn: urns.Staverton! }, officer.headers);
      const created = run.data!.evaluateEscalations.created.length;
      expect(created).toBeGreaterThan(0);
      // First attempt 500, then 503 (retried after 50 ms, then 100 ms), then delivered.
      for (let i = 0; i < 40 && (await t.db.prisma.webhookDelivery.count({ where: { status: "DELIVERED" } })) < created; i++) {
        await t.server.webhooks.drain();
        await new Promise((r) => setTimeout(r, 60));
      }
      const deliveries = await t.db.prisma.webhookDelivery.findMany({ orderBy: { createdAt: "asc" } });
      expect(deliveries).toHaveLength(created);
      expect(deliveries.every((d) => d.status === "DELIVERED")).toBe(true);
      expect(Math.max(...deliveries.map((d) => d.attempts))).toBeGreaterThanOrEqual(2);
      // Every request verifies with the endpoint's secret (Standard Webhooks).
      const verifier = new Webhook(secret);
      for (const r of receiver.received) {
        const payload = verifier.verify(r.body, r.headers as Record<string, string>) as { event: string; data: { caseActionId: string } };
        expect(payload.event).toBe("case_action.created");
      }
      expect(() => verifier.verify(receiver.received[0]!.body.replace("case_action", "case-action"), receiver.received[0]!.headers as Record<string, string>)).toThrow();
      await receiver.close();

      // The endpoint is now gone (connection refused): a register write still succeeds, and its event waits for a retry.
      const pupil = await cleanPupil("Staverton");
      const started = Date.now();
      const taken = await take(officer, "Staverton", "2025-11-03", "AM", pupil.id, "/");
      expect(taken.recorded).toBe(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  });
});
