// The change feed (issue 15 item 4), end to end on the demo data: a syncing
// client follows the feed from the start, in pages, into an empty store while
// staff keep changing things through the API, and ends with exactly what the
// API answers; a cursor resumes with no duplicate and no gap; nobody sees
// another academy's or trust's events; mark amendments go out as webhooks.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { staff, tokenFor, type Credentials } from "./support/actors.ts";

const gid = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
const codes = (res: GraphQLResponse) => (res.errors ?? []).map((e) => e.extensions?.code);

const CHANGES = `query ($first: Int, $after: String, $kinds: [ChangeKind!], $urn: Int) {
  changes(first: $first, after: $after, kinds: $kinds, academyUrn: $urn) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { __typename cursor sequence kind op academyId pupilId upn
      ... on MarkChange { markId date session version code category minutesLate note amendmentReason }
      ... on PupilChange { legalForename legalSurname preferredForename dateOfBirth gender yearGroup senProvision englishAdditionalLanguage formId anonymisedAt }
      ... on EnrolmentChange { enrolmentId onRollFrom onRollTo deletionGround deletionNote }
      ... on CaseActionChange { caseActionId status statusReason action dueOn actionKind }
    } } } }`;

type Node = Record<string, unknown> & { __typename: string; cursor: string; sequence: string; kind: string; op: string; academyId: string; pupilId: string; upn: string | null };
type Page = { changes: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] } };

/** What a syncing client keeps: the latest of each object, built only from the feed. */
interface Store {
  marks: Map<string, { version: number; code: string; category: string; minutesLate: unknown; note: unknown; amendmentReason: unknown }>;
  pupils: Map<string, { upn: string | null; legalForename: unknown; legalSurname: unknown; preferredForename: unknown; dateOfBirth: unknown; gender: unknown; yearGroup: unknown }>;
  enrolments: Map<string, { pupilId: string; onRollFrom: unknown; onRollTo: unknown; deletionGround: unknown }>;
  caseActions: Map<string, { status: unknown; statusReason: unknown; action: unknown; dueOn: unknown }>;
}
const emptyStore = (): Store => ({ marks: new Map(), pupils: new Map(), enrolments: new Map(), caseActions: new Map() });

function apply(store: Store, n: Node) {
  switch (n.__typename) {
    case "MarkChange": {
      const key = `${n.upn}|${n.date}|${n.session}`;
      const held = store.marks.get(key);
      // The current mark is the highest version (an older one never replaces it).
      if (!held || held.version < (n.version as number)) {
        store.marks.set(key, { version: n.version as number, code: n.code as string, category: n.category as string, minutesLate: n.minutesLate, note: n.note, amendmentReason: n.amendmentReason });
      }
      break;
    }
    case "PupilChange":
      store.pupils.set(n.pupilId, { upn: n.upn, legalForename: n.legalForename, legalSurname: n.legalSurname, preferredForename: n.preferredForename, dateOfBirth: n.dateOfBirth, gender: n.gender, yearGroup: n.yearGroup });
      break;
    case "EnrolmentChange":
      store.enrolments.set(n.enrolmentId as string, { pupilId: n.pupilId, onRollFrom: n.onRollFrom, onRollTo: n.onRollTo, deletionGround: n.deletionGround });
      break;
    case "CaseActionChange":
      store.caseActions.set(n.caseActionId as string, { status: n.status, statusReason: n.statusReason, action: n.action, dueOn: n.dueOn });
      break;
    default:
      throw new Error(`unexpected ${n.__typename}`);
  }
}

const sorted = <V>(map: Map<string, V>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe.each(availableBackends())("change feed on %s", (kind) => {
  let t: TestServer;
  let head: Credentials;
  let academy: { id: string; urn: number; trustId: string };

  beforeAll(async () => {
    t = await startTestServer(kind);
    const a = await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Staverton" } } });
    academy = { id: a.id, urn: a.urn, trustId: a.trustId };
    head = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Staverton" });
  }, 600_000);
  afterAll(() => t?.close());

  /** Follows the feed from `after`, `first` at a time, running one of `between` after each page; returns the events in order. */
  async function follow(who: Credentials, store: Store | null, options: { first: number; after?: string | null; urn?: number; between?: (() => Promise<void>)[] }) {
    const pending = [...(options.between ?? [])];
    const events: Node[] = [];
    let after = options.after ?? null;
    for (let page = 0; page < 10_000; page++) {
      const res = await t.graphql<Page>(CHANGES, { first: options.first, after, urn: options.urn }, who.headers);
      expect(res.errors).toBeUndefined();
      const { edges, pageInfo } = res.data!.changes;
      expect(edges.length).toBeLessThanOrEqual(options.first);
      for (const { cursor, node } of edges) {
        expect(cursor).toBe(node.cursor);
        events.push(node);
        if (store) apply(store, node);
      }
      if (edges.length > 0) expect(pageInfo.endCursor).toBe(edges.at(-1)!.cursor);
      after = pageInfo.endCursor;
      const next = pending.shift();
      if (next) await next();
      else if (!pageInfo.hasNextPage) return { events, endCursor: after };
      // Held back behind a transaction still running (on PostgreSQL, perhaps another database's): ask again shortly.
      else if (edges.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("the feed never ended");
  }

  /** The API's own answers for the academy: current marks of every register, pupils with enrolments, case actions. */
  async function apiAnswers(): Promise<Store> {
    const out = emptyStore();
    const registers = await t.db.prisma.register.findMany({ where: { academyId: academy.id }, orderBy: [{ date: "asc" }, { session: "asc" }] });
    expect(registers.length).toBeGreaterThan(20);
    for (const r of registers) {
      let after: string | null = null;
      do {
        const res: GraphQLResponse<{ register: { marks: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { date: string; session: string; version: number; code: string; category: string; minutesLate: number | null; note: string | null; amendmentReason: string | null; pupil: { upn: string } } }[] } } }> =
          await t.graphql(
            `query ($urn: Int!, $date: Date!, $session: Session!, $after: String) { register(academyUrn: $urn, date: $date, session: $session) {
              marks(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { date session version code category minutesLate note amendmentReason pupil { upn } } } } } }`,
            { urn: academy.urn, date: r.date.toISOString().slice(0, 10), session: r.session, after },
            head.headers,
          );
        expect(res.errors).toBeUndefined();
        for (const { node: m } of res.data!.register.marks.edges) {
          out.marks.set(`${m.pupil.upn}|${m.date}|${m.session}`, { version: m.version, code: m.code, category: m.category, minutesLate: m.minutesLate, note: m.note, amendmentReason: m.amendmentReason });
        }
        after = res.data!.register.marks.pageInfo.hasNextPage ? res.data!.register.marks.pageInfo.endCursor : null;
      } while (after);
    }
    let after: string | null = null;
    do {
      const res: GraphQLResponse<{ academy: { pupils: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string; upn: string; legalForename: string; legalSurname: string; preferredForename: string | null; dateOfBirth: string | null; gender: string; yearGroup: number; enrolments: { onRollFrom: string; onRollTo: string | null; deletionGround: string | null }[] } }[] } } }> =
        await t.graphql(
          `query ($urn: Int!, $after: String) { academy(urn: $urn) { pupils(first: 500, after: $after) { pageInfo { hasNextPage endCursor }
            edges { node { id upn legalForename legalSurname preferredForename dateOfBirth gender yearGroup enrolments { onRollFrom onRollTo deletionGround } } } } } }`,
          { urn: academy.urn, after },
          head.headers,
        );
      expect(res.errors).toBeUndefined();
      for (const { node: p } of res.data!.academy.pupils.edges) {
        const { id, enrolments, ...fields } = p;
        out.pupils.set(id, fields);
        // Enrolments have no id in the API: keyed here by pupil and first day, as the store's are below.
        for (const e of enrolments) out.enrolments.set(`${id}|${e.onRollFrom}`, { pupilId: id, ...e });
      }
      after = res.data!.academy.pupils.pageInfo.hasNextPage ? res.data!.academy.pupils.pageInfo.endCursor : null;
    } while (after);
    const cases = await t.graphql<{ academy: { caseActions: { totalCount: number; edges: { node: { id: string; status: string; statusReason: string | null; action: string; dueOn: string } }[] } } }>(
      `query ($urn: Int!) { academy(urn: $urn) { caseActions(first: 500) { totalCount edges { node { id status statusReason action dueOn } } } } }`,
      { urn: academy.urn },
      head.headers,
    );
    expect(cases.errors).toBeUndefined();
    expect(cases.data!.academy.caseActions.totalCount).toBeLessThanOrEqual(500);
    for (const { node: { id, ...fields } } of cases.data!.academy.caseActions.edges) out.caseActions.set(id, fields);
    return out;
  }

  it("a client following the feed from the start, while staff make changes, ends with exactly the API's answers; a cursor resumes exactly", async () => {
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const pupils = await t.db.prisma.pupil.findMany({ where: { academyId: academy.id }, orderBy: { upn: "asc" }, take: 3 });
    const form = await t.db.prisma.form.findFirstOrThrow({ where: { academyId: academy.id }, orderBy: { name: "asc" } });
    let admittedId = "";
    const between: (() => Promise<void>)[] = [
      // A register taken, then one of its marks amended.
      async () => {
        const res = await t.graphql(`mutation ($input: TakeRegisterInput!) { takeRegister(input: $input) { recorded } }`, {
          input: { academyUrn: academy.urn, date: "2025-11-03", session: "AM", marks: pupils.map((p, i) => ({ pupilId: gid("Pupil", p.id), code: i === 0 ? "N" : "/" })) },
        }, officer.headers);
        expect(res.errors).toBeUndefined();
        // Its escalations are evaluated after it commits (issue 17, item 4): the day-1 call is raised before the amendment.
        await t.escalationsSettled();
      },
      async () => {
        const mark = await t.db.prisma.currentMark.findFirstOrThrow({ where: { pupilId: pupils[0]!.id, date: new Date("2025-11-03"), session: "AM" } });
        const res = await t.graphql(`mutation ($input: AmendMarkInput!) { amendMark(input: $input) { version } }`, {
          input: { markId: gid("Mark", mark.markId), code: "I", reason: "Parent telephoned: ill" },
        }, officer.headers);
        expect(res.errors).toBeUndefined();
        await t.escalationsSettled();
      },
      // A pupil admitted, then deleted from the roll.
      async () => {
        const res = await t.graphql<{ admitPupil: { id: string } }>(`mutation ($input: AdmitPupilInput!) { admitPupil(input: $input) { id } }`, {
          input: { academyUrn: academy.urn, upn: "Z99999999999A", legalForename: "Robin", legalSurname: "Example", dateOfBirth: "2017-05-01", gender: "OTHER", yearGroup: 3, formId: gid("Form", form.id), onRollFrom: "2025-11-10" },
        }, head.headers);
        expect(res.errors).toBeUndefined();
        admittedId = res.data!.admitPupil.id;
      },
      async () => {
        const res = await t.graphql(`mutation ($input: DeleteFromRollInput!) { deleteFromRoll(input: $input) { onRollTo } }`, {
          input: { pupilId: admittedId, lastDayOnRoll: "2025-11-21", ground: "MOVED_AWAY", note: "Moved out of the area" },
        }, head.headers);
        expect(res.errors).toBeUndefined();
      },
      // Case actions raised, and one closed.
      async () => {
        const res = await t.graphql<{ evaluateEscalations: { created: { id: string }[] } }>(
          `mutation ($urn: Int!) { evaluateEscalations(academyUrn: $urn, asOf: "2025-10-17") { created { id } } }`, { urn: academy.urn }, officer.headers);
        expect(res.errors).toBeUndefined();
        expect(res.data!.evaluateEscalations.created.length).toBeGreaterThan(0);
        const closed = await t.graphql(`mutation ($input: CloseCaseActionInput!) { closeCaseAction(input: $input) { status } }`, {
          input: { caseActionId: res.data!.evaluateEscalations.created[0]!.id, outcome: "DONE", reason: "Met the family" },
        }, officer.headers);
        expect(closed.errors).toBeUndefined();
      },
    ];

    const store = emptyStore();
    const followed = await follow(head, store, { first: 500, between });
    expect(followed.events.length).toBeGreaterThan(2_500);

    // The store holds exactly what the API answers, in full.
    const api = await apiAnswers();
    expect(sorted(store.marks)).toEqual(sorted(api.marks));
    expect(sorted(store.pupils)).toEqual(sorted(api.pupils));
    const enrolments = new Map([...store.enrolments.values()].map((e) => [`${e.pupilId}|${e.onRollFrom}`, e]));
    expect(sorted(enrolments)).toEqual(sorted(api.enrolments));
    expect(sorted(store.caseActions)).toEqual(sorted(api.caseActions));
    // The changes made while following are in it.
    expect(store.marks.get(`${pupils[0]!.upn}|2025-11-03|AM`)).toMatchObject({ version: 2, code: "I", amendmentReason: "Parent telephoned: ill" });
    expect([...store.enrolments.values()].find((e) => e.pupilId === admittedId)).toMatchObject({ onRollTo: "2025-11-21", deletionGround: "MOVED_AWAY" });
    expect([...store.caseActions.values()].some((a) => a.status === "DONE" && a.statusReason === "Met the family")).toBe(true);

    // No duplicates, and no gaps: one pass at the end, in pages of 1,000,
    // serves the same events in the same order; so does resuming from any
    // cursor of the first pass.
    const sequences = followed.events.map((e) => e.sequence);
    expect(new Set(sequences).size).toBe(sequences.length);
    const again = await follow(head, null, { first: 1_000 });
    expect(again.events.map((e) => e.sequence)).toEqual(sequences);
    const middle = Math.floor(sequences.length / 2);
    const resumed = await follow(head, null, { first: 333, after: followed.events[middle]!.cursor });
    expect(resumed.events.map((e) => e.sequence)).toEqual(sequences.slice(middle + 1));
    // Nothing new: an empty page, the same cursor, and no next page.
    const tail = await t.graphql<Page>(CHANGES, { first: 10, after: followed.endCursor }, head.headers);
    expect(tail.data!.changes).toEqual({ pageInfo: { hasNextPage: false, endCursor: followed.endCursor }, edges: [] });
    // Everything the database wrote for the academy, and nothing of any other.
    const written = await t.db.prisma.changeEvent.count({ where: { academyId: academy.id } });
    expect(sequences.length).toBe(written);
    expect(new Set(followed.events.map((e) => e.academyId))).toEqual(new Set([gid("Academy", academy.id)]));
    // Filters: one kind, one academy.
    const oneAcademy = await follow(head, null, { first: 1_000, urn: academy.urn });
    expect(oneAcademy.events.length).toBe(sequences.length);
    const kinds = await t.graphql<Page>(CHANGES, { first: 1_000, kinds: ["CASE_ACTION"] }, head.headers);
    expect(kinds.data!.changes.edges.length).toBe(followed.events.filter((e) => e.kind === "CASE_ACTION").length);
    expect(new Set(kinds.data!.changes.edges.map((e) => e.node.__typename))).toEqual(new Set(["CaseActionChange"]));
    // Cohort flags are never in the feed.
    expect(JSON.stringify(followed.events)).not.toMatch(/freeSchoolMeals|lookedAfter|hasSocialWorker|pupilPremium/);

    // Anonymisation (the retention job, off roll and past the retention
    // period) redacts the pupil's earlier events too: the feed keeps no name,
    // date of birth, UPN or free text the pupil's records no longer hold.
    await t.db.prisma.$queryRaw`SELECT anonymise_pupil(${Buffer.from(admittedId, "base64").toString().split(":")[1]!}::uuid)`;
    const after = await follow(head, null, { first: 1_000 });
    const about = after.events.filter((e) => e.pupilId === admittedId);
    expect(about.map((e) => [e.kind, e.op])).toEqual(expect.arrayContaining([
      ["PUPIL", "CREATED"], ["ENROLMENT", "ON_ROLL"], ["ENROLMENT", "OFF_ROLL"], ["PUPIL", "ANONYMISED"], ["ENROLMENT", "UPDATED"],
    ]));
    expect(about[0]).toMatchObject({ kind: "PUPIL", op: "CREATED" });
    const text = JSON.stringify(about);
    for (const gone of ["Robin", "Example", "2017-05-01", "Z99999999999A", "Moved out of the area"]) expect(text).not.toContain(gone);
    expect(about[0]).toMatchObject({ legalForename: "Anonymised", legalSurname: "pupil", dateOfBirth: null });
  }, 600_000);

  it("shows nobody another academy's or another trust's events, a tutor only their forms' pupils, and case actions only to those who work cases", async () => {
    const prisma = t.db.prisma;
    const ours = new Set((await prisma.pupil.findMany({ where: { academyId: academy.id }, select: { upn: true } })).map((p) => p.upn));
    // Another academy of the same trust (the demo trusts hold one each), with
    // a pupil of its own, on roll and marked: its head sees that, never ours.
    const la = await prisma.localAuthority.findFirstOrThrow();
    const sister = await prisma.academy.create({ data: { trustId: academy.trustId, localAuthorityId: la.id, urn: 999_002, name: "Sister Academy (feed test)", phase: "PRIMARY" } });
    const sisterHead = await prisma.user.create({
      data: { email: "head@feed-sister.example.org", displayName: "Sister Head", roles: { create: { role: "HEADTEACHER", trustId: academy.trustId, academyId: sister.id } } },
    });
    const sisterPupil = await prisma.pupil.create({
      data: { academyId: sister.id, trustId: academy.trustId, upn: "Z88888888888A", legalForename: "Sam", legalSurname: "Sister", gender: "OTHER", yearGroup: 2, dateOfBirth: new Date("2018-01-01") },
    });
    await prisma.enrolment.create({ data: { pupilId: sisterPupil.id, academyId: sister.id, onRollFrom: new Date("2025-09-01") } });
    const sisterHeadCreds = { name: "sister head", headers: { authorization: `Bearer ${await tokenFor(sisterHead.id)}` } };
    const seen = await follow(sisterHeadCreds, null, { first: 1_000 });
    expect(seen.events.map((e) => [e.kind, e.op, e.upn])).toEqual([["PUPIL", "CREATED", "Z88888888888A"], ["ENROLMENT", "ON_ROLL", "Z88888888888A"]]);
    expect(codes(await t.graphql(CHANGES, { first: 10, urn: academy.urn }, sisterHeadCreds.headers))).toEqual(["FORBIDDEN"]);

    // Another trust's admin and officer: nothing of this academy.
    for (const other of [await staff(prisma, "TRUST_ADMIN", { trustName: "Vale" }), await staff(prisma, "ATTENDANCE_OFFICER", { academyName: "Woolwich" })]) {
      const theirs = await t.graphql<Page>(CHANGES, { first: 1_000 }, other.headers);
      expect(theirs.errors).toBeUndefined();
      expect(theirs.data!.changes.edges.length).toBeGreaterThan(0);
      expect(theirs.data!.changes.edges.filter((e) => e.node.academyId === gid("Academy", academy.id) || ours.has(e.node.upn ?? ""))).toEqual([]);
      expect(codes(await t.graphql(CHANGES, { first: 10, urn: academy.urn }, other.headers))).toEqual(["FORBIDDEN"]);
    }

    // A tutor: the pupils of their own forms only, and no case actions.
    const teacher = await staff(prisma, "TEACHER", { academyName: "Staverton" });
    const forms = (await prisma.formTutor.findMany({ where: { userId: teacher.userId } })).map((f) => f.formId);
    const tutees = new Set((await prisma.pupil.findMany({ where: { formId: { in: forms } }, select: { id: true } })).map((p) => gid("Pupil", p.id)));
    expect(tutees.size).toBeGreaterThan(0);
    const tutor = await follow(teacher, null, { first: 1_000 });
    expect(tutor.events.length).toBeGreaterThan(0);
    expect(tutor.events.filter((e) => !tutees.has(e.pupilId) || e.kind === "CASE_ACTION")).toEqual([]);

    // An API key with read:attendance: marks, pupils and enrolments, no case actions.
    const admin = await staff(prisma, "TRUST_ADMIN", { trustName: "Peterborough" });
    const created = await t.graphql<{ createApiClient: { key: string } }>(
      `mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`,
      { input: { name: "Feed test MIS", scopes: ["READ_ATTENDANCE"], academyUrns: [academy.urn] } },
      admin.headers,
    );
    expect(created.errors).toBeUndefined();
    const key = { name: "key", headers: { authorization: `Bearer ${created.data!.createApiClient.key}` } };
    const byKey = await follow(key, null, { first: 1_000 });
    const byHead = await follow(head, null, { first: 1_000 });
    expect(byKey.events.map((e) => e.sequence)).toEqual(byHead.events.filter((e) => e.kind !== "CASE_ACTION").map((e) => e.sequence));

    // Without credentials: UNAUTHENTICATED.
    expect(codes(await t.graphql(CHANGES, { first: 10 }))).toEqual(["UNAUTHENTICATED"]);
  }, 600_000);

  it("refuses a cursor it did not hand out, an oversized page and paging backwards, with BAD_USER_INPUT", async () => {
    const good = (await t.graphql<Page>(CHANGES, { first: 1 }, head.headers)).data!.changes.pageInfo.endCursor!;
    // A tampered cursor: four more characters always decode to three more bytes (one more, "x", could decode to nothing).
    for (const after of ["nonsense", Buffer.from("change:1:x").toString("base64url"), Buffer.from(`change:${"9".repeat(20)}:1`).toString("base64url"), `${good}AAAA`, "x".repeat(5_000)]) {
      expect(codes(await t.graphql(CHANGES, { first: 10, after }, head.headers)), after).toEqual(["BAD_USER_INPUT"]);
    }
    expect(codes(await t.graphql(CHANGES, { first: 1_001 }, head.headers))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await t.graphql(CHANGES, { first: 0 }, head.headers))).toEqual(["BAD_USER_INPUT"]);
    expect(codes(await t.graphql(`query { changes(last: 5) { edges { cursor } } }`, {}, head.headers))).toEqual(["BAD_USER_INPUT"]);
  });

  it("delivers a mark.amended webhook, queued with the amendment", async () => {
    const received: string[] = [];
    const server: Server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push(body);
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const admin = await staff(t.db.prisma, "TRUST_ADMIN", { trustName: "Peterborough" });
      const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
      const trust = await t.db.prisma.trust.findUniqueOrThrow({ where: { id: academy.trustId } });
      const registered = await t.graphql(`mutation ($input: RegisterWebhookInput!) { registerWebhook(input: $input) { endpoint { id } } }`, {
        input: { trustSlug: trust.slug, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, events: ["MARK_AMENDED"] },
      }, admin.headers);
      expect(registered.errors).toBeUndefined();
      const mark = await t.db.prisma.currentMark.findFirstOrThrow({ where: { academyId: academy.id, code: "/" }, orderBy: [{ date: "asc" }, { pupilId: "asc" }] });
      // A refused amendment (no reason) queues nothing.
      const refused = await t.graphql(`mutation ($input: AmendMarkInput!) { amendMark(input: $input) { version } }`, {
        input: { markId: gid("Mark", mark.markId), code: "M", reason: " " },
      }, officer.headers);
      expect(codes(refused)).toEqual(["BAD_USER_INPUT"]);
      expect(await t.db.prisma.webhookDelivery.count({ where: { event: "mark.amended" } })).toBe(0);
      const amended = await t.graphql(`mutation ($input: AmendMarkInput!) { amendMark(input: $input) { version } }`, {
        input: { markId: gid("Mark", mark.markId), code: "M", reason: "Dental appointment letter seen" },
      }, officer.headers);
      expect(amended.errors).toBeUndefined();
      for (let i = 0; i < 40 && received.length === 0; i++) {
        await t.server.webhooks.drain();
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(received).toHaveLength(1);
      const payload = JSON.parse(received[0]!) as { event: string; academyId: string; data: Record<string, unknown> };
      expect(payload).toMatchObject({
        event: "mark.amended",
        academyId: academy.id,
        data: {
          amendedMarkId: mark.markId, pupilId: mark.pupilId, date: mark.date.toISOString().slice(0, 10), session: mark.session,
          version: mark.version + 1, code: "M", previousCode: "/", reason: "Dental appointment letter seen",
        },
      });
      const delivery = await t.db.prisma.webhookDelivery.findFirstOrThrow({ where: { event: "mark.amended" } });
      expect(delivery.status).toBe("DELIVERED");
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
