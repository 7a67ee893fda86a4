// Issue 14, items 4, 5 and 6, through the real HTTP server on each back end:
// evidence is used once (a second notice to the same parent may not rest on
// sessions an earlier notice cited), case actions follow amended marks (an
// action whose trigger no longer holds is WITHDRAWN, kept, with a webhook
// event), and every version of a mark says who recorded it and in what
// position (seed 003, ATT, Appendix 1 §2.2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { newApiKey } from "@attendance/schema";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const problems = (res: GraphQLResponse) => (res.errors?.[0]?.extensions?.problems ?? []) as { field: string; message: string }[];

const TAKE = `mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded register { marks(first: 500) { edges { node { id pupil { id } } } } } } }`;
const AMEND = `mutation ($input: AmendMarkInput!) { amendMark(input: $input) { id version code } }`;

describe.each(availableBackends())("cases follow the marks on %s", (kind) => {
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

  /** A pupil on roll with no unauthorised absence in the demo, the n-th such by UPN, with two parents where asked. */
  async function cleanPupil(academy: string, n = 0, twoParents = false) {
    const pupils = await t.db.prisma.pupil.findMany({
      where: {
        academyId: ids[academy]!, currentMarks: { none: { code: { in: ["G", "N", "O", "U"] } } }, enrolments: { some: { onRollTo: null } },
        ...(twoParents ? { carers: { some: { contactOrder: 2 } } } : {}),
      },
      orderBy: { upn: "asc" },
      take: n + 1,
      include: { carers: { orderBy: { contactOrder: "asc" } } },
    });
    return pupils[n]!;
  }

  /** Takes one pupil's mark; returns the mark's id. */
  async function take(who: Credentials, academy: string, date: string, session: "AM" | "PM", pupilId: string, code: string): Promise<string> {
    const res = await t.graphql<{ takeRegister: { register: { marks: { edges: { node: { id: string; pupil: { id: string } } }[] } } } }>(
      TAKE, { input: { academyUrn: urns[academy]!, date, session, marks: [{ pupilId: gid("Pupil", pupilId), code }] } }, who.headers);
    expect(res.errors).toBeUndefined();
    // Escalations are evaluated after the register commits (issue 17, item 4): wait for them.
    await t.escalationsSettled();
    return res.data!.takeRegister.register.marks.edges.find((e) => e.node.pupil.id === gid("Pupil", pupilId))!.node.id;
  }

  describe("evidence is used once (item 4)", () => {
    const CANDIDATES = `query ($urn: Int!, $asOf: Date!) { academy(urn: $urn) { penaltyNoticeCandidates(asOf: $asOf) {
      pupil { id } threshold { reached sessions { date session } }
      usedSessions { date session code reason penaltyNotice { id issuedOn } }
      parents { carer { id } offered nth amountWithin21Days reason threshold { reached sessions { date session } } usedSessions { date session } } } } }`;
    type Offer = { carer: { id: string }; offered: boolean; nth: number; amountWithin21Days: number | null; reason: string; threshold: { reached: boolean; sessions: unknown[] }; usedSessions: unknown[] };
    type Candidates = { academy: { penaltyNoticeCandidates: { pupil: { id: string }; usedSessions: { date: string; session: string; code: string; reason: string; penaltyNotice: { id: string; issuedOn: string } }[]; parents: Offer[] }[] } };
    const RECORD = `mutation ($input: RecordPenaltyNoticeInput!) { recordPenaltyNotice(input: $input) { id amountWithin21Days citedSessions { date session code } } }`;
    const STATUS = `mutation ($id: ID!, $status: PenaltyNoticeStatus!) { setPenaltyNoticeStatus(penaltyNoticeId: $id, status: $status) { status } }`;

    /** Five unauthorised sessions: Monday to Wednesday morning of the week of `monday`. */
    async function fiveAbsences(who: Credentials, pupilId: string, monday: string) {
      const d = (n: number) => new Date(Date.parse(`${monday}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
      for (const [date, session] of [[d(0), "AM"], [d(0), "PM"], [d(1), "AM"], [d(1), "PM"], [d(2), "AM"]] as const) await take(who, "St", date, session, pupilId, "O");
    }

    it("refuses a second notice to the same parent on the sessions the first cited, says which are used, and allows one on new sessions", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const pupil = await cleanPupil("St", 0, true);
      const [first, second] = pupil.carers;
      await fiveAbsences(officer, pupil.id, "2025-12-01");
      await fiveAbsences(officer, pupil.id, "2026-01-12");
      const input = { pupilId: gid("Pupil", pupil.id), carerId: gid("Carer", first!.id), issuedOn: "2026-01-16" };
      const notice = await t.graphql<{ recordPenaltyNotice: { id: string; amountWithin21Days: number; citedSessions: unknown[] } }>(RECORD, { input }, officer.headers);
      expect(notice.errors).toBeUndefined();
      expect(notice.data!.recordPenaltyNotice.amountWithin21Days).toBe(80);
      expect(notice.data!.recordPenaltyNotice.citedSessions).toHaveLength(10);
      const noticeId = notice.data!.recordPenaltyNotice.id;

      // The pupil attends every session after: the same ten sessions support no second notice to that parent.
      const candidates = await t.graphql<Candidates>(CANDIDATES, { urn: urns.St!, asOf: "2026-02-13" }, officer.headers);
      expect(candidates.errors).toBeUndefined();
      const mine = candidates.data!.academy.penaltyNoticeCandidates.find((c) => c.pupil.id === gid("Pupil", pupil.id))!;
      expect(mine.usedSessions).toHaveLength(10);
      expect(mine.usedSessions[0]).toMatchObject({ penaltyNotice: { id: noticeId, issuedOn: "2026-01-16" }, code: "O" });
      expect(mine.usedSessions[0]!.reason).toMatch(/issued on 2026-01-16.*s\.444A/);
      const offerTo = (id: string) => mine.parents.find((p) => p.carer.id === gid("Carer", id))!;
      expect(offerTo(first!.id)).toMatchObject({ offered: false, nth: 2, amountWithin21Days: null, threshold: { reached: false } });
      expect(offerTo(first!.id).usedSessions).toHaveLength(10);
      expect(offerTo(first!.id).reason).toMatch(/already cited by the notice issued on 2026-01-16/);
      // The other parent's notice rests on the same sessions: a notice per parent, per child.
      expect(offerTo(second!.id)).toMatchObject({ offered: true, nth: 1, amountWithin21Days: 80 });

      const before = await t.db.prisma.penaltyNotice.count();
      const refused = await t.graphql(RECORD, { input: { ...input, issuedOn: "2026-02-13" } }, officer.headers);
      expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
      expect(problems(refused)[0]).toMatchObject({ field: "carerId", message: expect.stringMatching(/already cited by the notice issued on 2026-01-16/) });
      expect(await t.db.prisma.penaltyNotice.count()).toBe(before);

      // Ten new sessions: a second notice, £160, citing only those.
      await fiveAbsences(officer, pupil.id, "2026-01-26");
      await fiveAbsences(officer, pupil.id, "2026-02-02");
      const again = await t.graphql<{ recordPenaltyNotice: { amountWithin21Days: number; citedSessions: { date: string }[] } }>(RECORD, { input: { ...input, issuedOn: "2026-02-13" } }, officer.headers);
      expect(again.errors).toBeUndefined();
      expect(again.data!.recordPenaltyNotice.amountWithin21Days).toBe(160);
      expect(again.data!.recordPenaltyNotice.citedSessions.every((s) => s.date >= "2026-01-26")).toBe(true);

      // A withdrawn notice discharges nothing: its sessions count again (towards a notice within the limit).
      expect((await t.graphql(STATUS, { id: noticeId, status: "WITHDRAWN" }, officer.headers)).errors).toBeUndefined();
      const after = await t.graphql<Candidates>(CANDIDATES, { urn: urns.St!, asOf: "2026-02-13" }, officer.headers);
      const now = after.data!.academy.penaltyNoticeCandidates.find((c) => c.pupil.id === gid("Pupil", pupil.id))!;
      expect(now.usedSessions.every((u) => u.date >= "2026-01-26")).toBe(true);
    });
  });

  describe("cases follow the marks (item 5)", () => {
    it("a mark amended from N to I closes the action it raised as WITHDRAWN, keeps it, and says so by webhook", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const pupil = await cleanPupil("St", 1);
      const trust = await t.db.prisma.trust.findFirstOrThrow({ where: { academies: { some: { id: ids.St! } } } });
      const admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: trust.name });
      const REGISTER = `mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) { endpoint { id } } }`;
      const hook = await t.graphql(REGISTER, { input: { trustSlug: trust.slug, url: "http://127.0.0.1:9/hooks", events: ["CASE_ACTION_WITHDRAWN"] } }, admin.headers);
      expect(hook.errors).toBeUndefined();

      // St James: day 1 of unexplained absence raises a telephone call (seed 001).
      const markId = await take(officer, "St", "2025-11-24", "AM", pupil.id, "N");
      const raised = await t.db.prisma.caseAction.findFirstOrThrow({ where: { pupilId: pupil.id, source: "MISSING_EDUCATION" } });
      expect(raised.status).toBe("OPEN");

      // A refused amendment changes nothing.
      expect(codes(await t.graphql(AMEND, { input: { markId, code: "I", reason: " " } }, officer.headers))).toEqual(["BAD_USER_INPUT"]);
      expect((await t.db.prisma.caseAction.findUniqueOrThrow({ where: { id: raised.id } })).status).toBe("OPEN");

      const amended = await t.graphql(AMEND, { input: { markId, code: "I", reason: "Parent telephoned: illness" } }, officer.headers);
      expect(amended.errors).toBeUndefined();
      const withdrawn = await t.db.prisma.caseAction.findUniqueOrThrow({ where: { id: raised.id } });
      expect(withdrawn.status).toBe("WITHDRAWN");
      expect(withdrawn.statusReason).toBe('Withdrawn: the AM mark on 2025-11-24 was amended from N to I ("Parent telephoned: illness"), and the trigger no longer holds.');
      expect(withdrawn.statusAt).not.toBeNull();
      const events = await t.db.prisma.webhookDelivery.findMany({ where: { event: "case_action.withdrawn" } });
      expect(events).toHaveLength(1);
      expect(events[0]!.payload).toMatchObject({ event: "case_action.withdrawn", data: { caseActionId: raised.id, pupilId: pupil.id, markId: expect.any(String) } });

      // Read through the API as WITHDRAWN; the academy's list filters on it.
      const read = await t.graphql<{ academy: { caseActions: { edges: { node: { id: string; statusReason: string } }[] } } }>(
        `query ($urn: Int!) { academy(urn: $urn) { caseActions(first: 50, status: WITHDRAWN) { edges { node { id statusReason } } } } }`, { urn: urns.St! }, officer.headers);
      expect(read.data!.academy.caseActions.edges.map((e) => e.node.id)).toContain(gid("CaseAction", raised.id));
    });

    it("a late amended away withdraws the lateness step it completed (Woolwich: 3 lates in a week, a detention)", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Woolwich" });
      const pupil = await cleanPupil("Woolwich", 0);
      const markIds: string[] = [];
      for (const day of ["2025-11-17", "2025-11-18", "2025-11-19"]) markIds.push(await take(officer, "Woolwich", day, "AM", pupil.id, "L"));
      const detention = await t.db.prisma.caseAction.findFirstOrThrow({ where: { pupilId: pupil.id, source: "LATENESS_LADDER" } });
      expect([detention.kind, detention.status]).toEqual(["DETENTION", "OPEN"]);
      const amended = await t.graphql(AMEND, { input: { markId: markIds[1], code: "/", reason: "Arrived on time: the gate log shows 8.32" } }, officer.headers);
      expect(amended.errors).toBeUndefined();
      const after = await t.db.prisma.caseAction.findUniqueOrThrow({ where: { id: detention.id } });
      expect(after.status).toBe("WITHDRAWN");
      expect(after.statusReason).toMatch(/AM mark on 2025-11-18 was amended from L to \//);
      // Evaluated again (after the amendment commits): two lates that week raise nothing new.
      await t.escalationsSettled();
      expect(await t.db.prisma.caseAction.count({ where: { pupilId: pupil.id, status: "OPEN" } })).toBe(0);
    });

    it("an amendment that leaves the trigger standing leaves the action open (N re-entered: still unexplained)", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "St James" });
      const pupil = await cleanPupil("St", 2);
      const markId = await take(officer, "St", "2025-11-25", "AM", pupil.id, "N");
      const raised = await t.db.prisma.caseAction.findFirstOrThrow({ where: { pupilId: pupil.id, source: "MISSING_EDUCATION" } });
      const amended = await t.graphql(AMEND, { input: { markId, code: "N", reason: "Re-entered after a registration error" } }, officer.headers);
      expect(amended.errors).toBeUndefined();
      expect((await t.db.prisma.caseAction.findUniqueOrThrow({ where: { id: raised.id } })).status).toBe("OPEN");
    });
  });

  describe("who amended, in what position (item 6)", () => {
    const HISTORY = `query ($id: ID!) { node(id: $id) { ... on Mark { history { version code recordedBy recordedByRole recordedByPosition recordedByAcademy { name } } } } }`;
    type History = { node: { history: { version: number; code: string; recordedBy: string | null; recordedByRole: string | null; recordedByPosition: string | null; recordedByAcademy: { name: string } | null }[] } };

    it("records each version's author's name, role and academy at the time, for staff and API clients", async () => {
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "ATT" });
      const head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "ATT" });
      const att = await t.db.prisma.academy.findUniqueOrThrow({ where: { id: ids.ATT! } });
      const pupil = await cleanPupil("ATT", 0);
      const markId = await take(officer, "ATT", "2025-11-26", "AM", pupil.id, "N");
      const v2 = await t.graphql<{ amendMark: { id: string } }>(AMEND, { input: { markId, code: "M", reason: "Dental appointment card seen" } }, head.headers);
      expect(v2.errors).toBeUndefined();
      const k = newApiKey();
      await t.db.prisma.apiClient.create({
        data: { trustId: att.trustId, name: "MIS sync", keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes: ["read:attendance", "write:registers"], academies: { create: [{ academyId: att.id }] } },
      });
      const v3 = await t.graphql<{ amendMark: { id: string } }>(AMEND, { input: { markId: v2.data!.amendMark.id, code: "I", reason: "Synchronised from the MIS" } }, { authorization: `Bearer ${k.key}` });
      expect(v3.errors).toBeUndefined();

      // The officer later changes role and name: the record keeps what was true then.
      const [officerUser, headUser] = await Promise.all([
        t.db.prisma.user.findUniqueOrThrow({ where: { id: officer.userId } }),
        t.db.prisma.user.findUniqueOrThrow({ where: { id: head.userId } }),
      ]);
      await t.db.prisma.user.update({ where: { id: officer.userId }, data: { displayName: "Someone Else" } });

      const res = await t.graphql<History>(HISTORY, { id: v3.data!.amendMark.id }, head.headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.node.history).toEqual([
        { version: 1, code: "N", recordedBy: officerUser.displayName, recordedByRole: "ATTENDANCE_OFFICER", recordedByPosition: `Attendance officer, ${att.name}`, recordedByAcademy: { name: att.name } },
        { version: 2, code: "M", recordedBy: headUser.displayName, recordedByRole: "HEADTEACHER", recordedByPosition: `Headteacher, ${att.name}`, recordedByAcademy: { name: att.name } },
        { version: 3, code: "I", recordedBy: "MIS sync", recordedByRole: "API_CLIENT", recordedByPosition: "API client", recordedByAcademy: null },
      ]);
    });

    it("the database records the position on every insert path: a trust-wide role with no academy, and the academy role first", async () => {
      const lead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
      const st = await t.db.prisma.academy.findUniqueOrThrow({ where: { id: ids.St! }, include: { trust: true } });
      const pupil = await cleanPupil("St", 4);
      const register = await t.db.prisma.register.create({ data: { academyId: st.id, date: new Date("2025-11-28T00:00:00Z"), session: "PM" } });
      // A leave decision writes marks in SQL (schema/src/workflows/leave-marks.ts): the trigger fills the position all the same.
      const [row] = await t.db.prisma.$queryRaw<{ id: string; recorded_by_role: string; recorded_by_academy_id: string | null; recorded_by_name: string }[]>`
        INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category, recorded_by_id)
        VALUES (${register.id}::uuid, ${pupil.id}::uuid, ${st.id}::uuid, '2025-11-28', 'PM', '/', 'PRESENT', ${lead.userId}::uuid)
        RETURNING id, recorded_by_role, recorded_by_academy_id, recorded_by_name`;
      const user = await t.db.prisma.user.findUniqueOrThrow({ where: { id: lead.userId } });
      expect(row).toMatchObject({ recorded_by_role: "TRUST_ATTENDANCE_LEAD", recorded_by_academy_id: null, recorded_by_name: user.displayName });
      const res = await t.graphql<History>(HISTORY, { id: gid("Mark", row!.id) }, lead.headers);
      expect(res.data!.node.history[0]).toMatchObject({ recordedByRole: "TRUST_ATTENDANCE_LEAD", recordedByAcademy: null, recordedByPosition: `Trust attendance lead, ${st.trust.name}` });

      // The same person also an attendance officer here: the academy role is the position.
      await t.db.prisma.roleAssignment.create({ data: { userId: lead.userId, role: "ATTENDANCE_OFFICER", trustId: st.trustId, academyId: st.id } });
      const [second] = await t.db.prisma.$queryRaw<{ recorded_by_role: string; recorded_by_academy_id: string | null }[]>`
        INSERT INTO mark (register_id, pupil_id, academy_id, date, session, version, code, category, amendment_reason, recorded_by_id)
        VALUES (${register.id}::uuid, ${pupil.id}::uuid, ${st.id}::uuid, '2025-11-28', 'PM', 2, 'I', 'AUTHORISED_ABSENCE', 'Illness', ${lead.userId}::uuid)
        RETURNING recorded_by_role, recorded_by_academy_id`;
      expect(second).toEqual({ recorded_by_role: "ATTENDANCE_OFFICER", recorded_by_academy_id: st.id });
    });
  });
});
