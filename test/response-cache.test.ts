// The response cache (RESPONSE_CACHE_MS): the same caller asking the same
// question within the TTL is answered from memory, and never anyone else;
// any mutation retires its trust's answers; errors and bad tokens are never
// served from it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends } from "@attendance/db";
import { startTestServer, type TestServer } from "./support/harness.ts";
import { staff, type Credentials } from "./support/actors.ts";

const TRUST_NAME = `{ trusts(first: 1) { edges { node { name } } } }`;
const PUPIL_COUNT = `query ($urn: Int!) { academy(urn: $urn) { pupils(first: 1) { totalCount } } }`;
type TrustName = { trusts: { edges: { node: { name: string } }[] } };
type PupilCount = { academy: { pupils: { totalCount: number } } };

describe.each(availableBackends())("the response cache on %s", (kind) => {
  let t: TestServer;
  let valeLead: Credentials;
  let stanboroughHead: Credentials;
  let stanboroughUrn: number;

  beforeAll(async () => {
    // Actors remembered too, so that a hit sends no SQL at all.
    t = await startTestServer(kind, { demo: { pupilsPerForm: 2, weeks: 1 }, authCacheMs: 60_000, responseCacheMs: 60_000 });
    valeLead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
    stanboroughHead = await staff(t.db.prisma, "HEADTEACHER", { academyName: "Stanborough" });
    stanboroughUrn = (await t.db.prisma.academy.findFirstOrThrow({ where: { name: { contains: "Stanborough" } } })).urn;
  });
  afterAll(() => t?.close());

  it("answers the same caller's same question from memory, with no SQL, and counts the hit", async () => {
    const first = await t.graphql<TrustName>(TRUST_NAME, {}, valeLead.headers);
    expect(first.data!.trusts.edges[0]!.node.name).toBe("Vale Academy Trust");
    t.resetStatements();
    const before = { ...t.server.responseCache };
    const second = await t.graphql<TrustName>(TRUST_NAME, {}, valeLead.headers);
    expect(second).toEqual(first);
    expect(t.statements).toEqual([]);
    // The bench's hit rate (README, "Benchmarks") is read from these counts.
    expect(t.server.responseCache).toEqual({ lookups: before.lookups + 1, hits: before.hits + 1 });
    // Another question is run.
    const other = await t.graphql<PupilCount>(PUPIL_COUNT, { urn: stanboroughUrn }, stanboroughHead.headers);
    expect(other.errors).toBeUndefined();
    expect(t.statements.length).toBeGreaterThan(0);
  });

  it("never gives one caller's answer to another: other trusts, other roles, a teacher's own forms, the academy header", async () => {
    const query = `{ academies(first: 5) { edges { node { name pupils(first: 1) { totalCount } } } } }`;
    type Answer = { academies: { edges: { node: { name: string; pupils: { totalCount: number } } }[] } };
    const names = (res: { data?: Answer }) => res.data!.academies.edges.map((e) => `${e.node.name}:${e.node.pupils.totalCount}`);
    const pdetLead = await staff(t.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    const officer = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: "Stanborough" });
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Stanborough" });
    const tutored = await t.db.prisma.formTutor.findMany({ where: { userId: teacher.userId } });
    const teacherPupils = await t.db.prisma.pupil.count({ where: { formId: { in: tutored.map((f) => f.formId) } } });
    const allPupils = await t.db.prisma.pupil.count({ where: { academy: { urn: stanboroughUrn } } });
    expect(teacherPupils).toBeLessThan(allPupils);

    // A trust's academies by name (its seed academy and invented siblings), each with its pupils, counted in SQL.
    const trustAnswer = async (trustName: string) =>
      (await t.db.prisma.academy.findMany({ where: { trust: { name: { contains: trustName } } }, orderBy: { name: "asc" }, include: { _count: { select: { pupils: true } } } }))
        .map((a) => `${a.name}:${a._count.pupils}`);
    const vale = await trustAnswer("Vale");
    const pdet = await trustAnswer("Peterborough");
    expect(vale.length).toBeGreaterThan(1);
    // Each asks twice (the second from the cache); each sees only its own.
    for (let round = 0; round < 2; round++) {
      expect(names(await t.graphql<Answer>(query, {}, valeLead.headers))).toEqual(vale);
      expect(names(await t.graphql<Answer>(query, {}, pdetLead.headers))).toEqual(pdet);
      expect(names(await t.graphql<Answer>(query, {}, officer.headers))).toEqual([`Stanborough School:${allPupils}`]);
      expect(names(await t.graphql<Answer>(query, {}, teacher.headers))).toEqual([`Stanborough School:${teacherPupils}`]);
    }
    // The same user narrowed to an academy it may not see is refused, though its unnarrowed answer is cached.
    const narrowed = await t.graphql(query, {}, { ...officer.headers, "x-academy-urn": "121907" });
    expect(narrowed.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("still refuses a bad token and an anonymous caller for a question it has cached", async () => {
    expect((await t.graphql(TRUST_NAME, {}, valeLead.headers)).errors).toBeUndefined();
    const forged = await t.graphql(TRUST_NAME, {}, { authorization: `${valeLead.headers.authorization}x` });
    expect(forged.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const anonymous = await t.graphql(TRUST_NAME);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data ?? null).toBeNull();
  });

  it("never keeps an answer with errors", async () => {
    const teacher = await staff(t.db.prisma, "TEACHER", { academyName: "Stanborough" });
    const query = `{ academies(first: 1) { edges { node { pupils(first: 1) { edges { node { lookedAfter } } } } } } }`;
    const first = await t.graphql(query, {}, teacher.headers);
    expect(first.errors?.map((e) => e.extensions?.code)).toContain("FORBIDDEN");
    t.resetStatements();
    await t.graphql(query, {}, teacher.headers);
    expect(t.statements.length).toBeGreaterThan(0);
  });

  it("retires its trust's answers on any mutation through the server, so an office sees its own write at once", async () => {
    const before = await t.graphql<PupilCount>(PUPIL_COUNT, { urn: stanboroughUrn }, stanboroughHead.headers);
    const count = before.data!.academy.pupils.totalCount;
    // Cached: a second read costs no SQL.
    t.resetStatements();
    expect(await t.graphql<PupilCount>(PUPIL_COUNT, { urn: stanboroughUrn }, stanboroughHead.headers)).toEqual(before);
    expect(t.statements).toEqual([]);
    const admitted = await t.graphql(
      `mutation ($input: AdmitPupilInput!) { admitPupil(input: $input) { upn } }`,
      { input: { academyUrn: stanboroughUrn, upn: "Z88888888888A", legalForename: "Robin", legalSurname: "Example", dateOfBirth: "2011-05-01", gender: "OTHER", yearGroup: 9, onRollFrom: "2025-11-17" } },
      stanboroughHead.headers,
    );
    expect(admitted.errors).toBeUndefined();
    const after = await t.graphql<PupilCount>(PUPIL_COUNT, { urn: stanboroughUrn }, stanboroughHead.headers);
    expect(after.data!.academy.pupils.totalCount).toBe(count + 1);
    // A mutation is never answered from memory: the same admission again runs, and is refused.
    const again = await t.graphql(
      `mutation ($input: AdmitPupilInput!) { admitPupil(input: $input) { upn } }`,
      { input: { academyUrn: stanboroughUrn, upn: "Z88888888888A", legalForename: "Robin", legalSurname: "Example", dateOfBirth: "2011-05-01", gender: "OTHER", yearGroup: 9, onRollFrom: "2025-11-17" } },
      stanboroughHead.headers,
    );
    expect(again.errors?.map((e) => e.extensions?.code)).toEqual(["BAD_USER_INPUT"]);
    expect((await t.graphql<PupilCount>(PUPIL_COUNT, { urn: stanboroughUrn }, stanboroughHead.headers)).data!.academy.pupils.totalCount).toBe(count + 1);
  });

  it("shows a write made outside this server (another instance, a script) once the TTL has passed", async () => {
    const ttl = 1_500;
    const quick = await startTestServer(kind, { demo: { pupilsPerForm: 1, weeks: 1 }, authCacheMs: 0, responseCacheMs: ttl });
    try {
      const lead = await staff(quick.db.prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Vale" });
      const name = async () => (await quick.graphql<TrustName>(TRUST_NAME, {}, lead.headers)).data!.trusts.edges[0]!.node.name;
      const cachedAt = Date.now();
      expect(await name()).toBe("Vale Academy Trust");
      await quick.db.prisma.trust.updateMany({ where: { name: "Vale Academy Trust" }, data: { name: "Vale Academy Trust (renamed)" } });
      const stale = await name();
      // Within the TTL the cached answer stands (unless this machine was too slow to ask in time).
      if (Date.now() - cachedAt < ttl - 200) expect(stale).toBe("Vale Academy Trust");
      await new Promise((resolve) => setTimeout(resolve, ttl + 100));
      expect(await name()).toBe("Vale Academy Trust (renamed)");
    } finally {
      await quick.close();
    }
  });
});
