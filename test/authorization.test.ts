// Tenant isolation, proved field by field: every Query and Mutation field of the
// schema, called as actors who must not see the victim's data — with no
// credentials, as an academy of the same trust, as another trust (academy and
// trust roles), as a tutor outside their forms, and as another trust's API
// client — returns none of it and changes nothing (issue 4).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, type PrismaClient } from "@attendance/db";
import { newApiKey, schema } from "@attendance/schema";
import { startTestServer, type GraphQLResponse, type TestServer } from "./support/harness.ts";
import { anonymous, staff, tokenFor, type Credentials } from "./support/actors.ts";
import { walkOperations, type WalkedOperation } from "./support/walker.ts";

const VICTIM_ACADEMY = "Woolwich Polytechnic";

interface Attacker extends Credentials {
  /** Strings of the victim's that must not appear in any answer to this actor. */
  mustNotSee: string[];
}

/**
 * Row counts of every table, and the newest writing transaction among each
 * table's live rows (`xmin`): any INSERT or UPDATE that commits leaves a row
 * version with a newer xmin, and a DELETE lowers the count, so a committed
 * write of any kind changes this, while a rolled-back one leaves it as it was.
 * (A digest of every row, as before, cost a full sort of each table per call:
 * with the demo's trusts of several academies the walk took over ten minutes.)
 */
async function databaseState(prisma: PrismaClient): Promise<string> {
  const tables = await prisma.$queryRaw<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('audit_entry', '_prisma_migrations') ORDER BY table_name`;
  const parts = tables.map(({ table_name: t }) =>
    `SELECT '${t}' AS t, count(*)::text || ':' || coalesce(max(xmin::text::bigint), 0)::text AS v FROM "${t}"`,
  );
  const rows = await prisma.$queryRawUnsafe<{ t: string; v: string }[]>(`SELECT * FROM (${parts.join(" UNION ALL ")}) s ORDER BY t`);
  return rows.map((r) => `${r.t}=${r.v}`).join("\n");
}

function codes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((e) => String(e.extensions?.code));
}

/** Every FORBIDDEN names the capability or trust capability missing (issue 16, item 7): the refusals that do not. */
function unnamedForbidden(response: GraphQLResponse): string[] {
  return (response.errors ?? [])
    .filter((e) => e.extensions?.code === "FORBIDDEN")
    .filter((e) => {
      const missing = e.extensions?.missing as { capabilities?: string[]; trustCapability?: string | null } | undefined;
      return !missing || ((missing.capabilities?.length ?? 0) === 0 && !missing.trustCapability) || !e.message.includes("Missing:");
    })
    .map((e) => e.message);
}

describe.each(availableBackends())("authorization walker on %s", (kind) => {
  let t: TestServer;
  let operations: WalkedOperation[];
  /** The same operations aimed at identifiers that exist nowhere. */
  let unknownOperations: WalkedOperation[];
  let attackers: Attacker[];
  /** API keys of every scope combination in three places, and the victim trust's admin (issue 13, item 3). */
  let keyHolders: Credentials[];
  /** Actors of other trusts, who must not learn whether the victim's identifiers exist. */
  let outsiders: Attacker[];

  beforeAll(async () => {
    // A small demo (every trust, academy, role and kind of record, fewer pupils
    // and weeks): the walk checks who may touch what, not volume, and reads the
    // whole database's state around each of its ~1,000 refused mutations.
    t = await startTestServer(kind, { demo: { pupilsPerForm: 4, weeks: 3 } });
    const { prisma } = t.db;
    const victimAcademy = await prisma.academy.findFirstOrThrow({ where: { name: { contains: VICTIM_ACADEMY } }, include: { trust: true } });
    const victimTrust = victimAcademy.trust;

    // A tutor of the victim academy, and a pupil outside their forms.
    const teacher = await staff(prisma, "TEACHER", { academyName: VICTIM_ACADEMY });
    const teacherForms = (await prisma.formTutor.findMany({ where: { userId: teacher.userId } })).map((f) => f.formId);
    const victimPupil = await prisma.pupil.findFirstOrThrow({
      where: { academyId: victimAcademy.id, formId: { notIn: teacherForms } },
      orderBy: { upn: "asc" },
    });

    // Another academy in the victim's own trust, with its own headteacher: the
    // demo trusts have one academy each, so the test adds one.
    const la = await prisma.localAuthority.findFirstOrThrow();
    const sister = await prisma.academy.create({
      data: { trustId: victimTrust.id, localAuthorityId: la.id, urn: 999_001, name: "Sister Academy (test)", phase: "PRIMARY" },
    });
    const sisterHead = await prisma.user.create({
      data: { email: "head@sister.example", displayName: "Sister Head", roles: { create: { role: "HEADTEACHER", trustId: victimTrust.id, academyId: sister.id } } },
    });

    // The victim trust's own API client, which nobody else may see or revoke.
    const victimKey = newApiKey();
    const victimClient = await prisma.apiClient.create({
      data: { trustId: victimTrust.id, name: "Victim dashboard", keyPrefix: victimKey.keyPrefix, keyHash: victimKey.keyHash, scopes: ["read:attendance"], academies: { create: { academyId: victimAcademy.id } } },
    });

    // Another trust's API client, created through the API by its trust admin.
    const valeAdmin = await staff(prisma, "TRUST_ADMIN", { trustName: "Vale" });
    const stJames = await prisma.academy.findFirstOrThrow({ where: { name: { contains: "St James" } } });
    const created = await t.graphql<{ createApiClient: { key: string } }>(
      `mutation ($input: CreateApiClientInput!) { createApiClient(input: $input) { key } }`,
      { input: { name: "Vale dashboard", scopes: ["READ_ATTENDANCE", "READ_SENSITIVE"], academyUrns: [stJames.urn] } },
      valeAdmin.headers,
    );
    expect(created.errors).toBeUndefined();

    // A case action of the victim pupil: the README's table says only those who work cases read it.
    await prisma.caseAction.create({
      data: {
        academyId: victimAcademy.id, pupilId: victimPupil.id, triggerKey: "walker", source: "ABSENCE_LADDER", kind: "MEETING",
        action: "Walker meeting", dueOn: new Date("2025-10-01"), reason: "Walker reason", rule: {}, evidence: {},
      },
    });

    const encode = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString("base64");
    const nowhere = "00000000-0000-4000-8000-000000000000";
    const victimMark = await prisma.mark.findFirstOrThrow({ where: { pupilId: victimPupil.id, current: { isNot: null } } });
    // Identifiers only: names are drawn from short lists, so another trust's
    // pupil may share the victim's surname.
    const victimStrings = [victimAcademy.name, victimTrust.name, victimPupil.upn, victimPupil.id, victimClient.keyPrefix];
    // Administration (issue 15): the victim academy's admin, their role, a
    // form and a carer of the victim academy. Its admin rather than its
    // headteacher or attendance officer: the victim trust's own admin (a key
    // holder below) may revoke the role, and later checks use the others.
    const victimAdminRole = await prisma.roleAssignment.findFirstOrThrow({ where: { academyId: victimAcademy.id, role: "ACADEMY_ADMIN" }, orderBy: { id: "asc" } });
    const victimForm = await prisma.form.findFirstOrThrow({ where: { academyId: victimAcademy.id }, orderBy: { id: "asc" } });
    const victimCarer = await prisma.carer.findFirst({ where: { academyId: victimAcademy.id }, orderBy: { id: "asc" } });
    const administration = (ids: { user: string; role: string; form: string; carer: string }) => ({
      userId: encode("User", ids.user),
      roleAssignmentId: encode("RoleAssignment", ids.role),
      formId: encode("Form", ids.form),
      carerId: encode("Carer", ids.carer),
    });
    operations = walkOperations(schema, {
      byName: {
        urn: victimAcademy.urn,
        upn: victimPupil.upn,
        academyUrns: [victimAcademy.urn],
        academyUrn: victimAcademy.urn,
        // transferPupil: the victim's pupil into the victim's academy (only its headteacher, admin or trust admin may).
        toAcademyUrn: victimAcademy.urn,
        trustSlug: victimTrust.slug,
        markId: encode("Mark", victimMark.id),
        // A code in force, so that a write is refused for who asks, not for what.
        code: "M",
        ...administration({ user: victimAdminRole.userId, role: victimAdminRole.id, form: victimForm.id, carer: victimCarer?.id ?? nowhere }),
      },
      globalIds: { Pupil: encode("Pupil", victimPupil.id), ApiClient: encode("ApiClient", victimClient.id) },
      anyGlobalId: encode("Pupil", victimPupil.id),
    });
    // ID arguments: aim each at the victim object of the type the field names.
    for (const op of operations) {
      if (op.field === "revokeApiClient") op.variables.id = encode("ApiClient", victimClient.id);
      if (op.field === "nodes") op.variables.ids = [encode("Pupil", victimPupil.id), encode("Academy", victimAcademy.id)];
    }

    // Every non-empty combination of scopes, on the victim academy, on another
    // academy of its trust and on another trust's academy: stored directly,
    // as keys made before the creator rule would be.
    const scopes = ["read:attendance", "read:sensitive", "write:registers"];
    const placements = [
      { where: "the victim academy", trustId: victimTrust.id, academyId: victimAcademy.id },
      { where: "another academy of the trust", trustId: victimTrust.id, academyId: sister.id },
      { where: "another trust", trustId: stJames.trustId, academyId: stJames.id },
    ];
    keyHolders = [{ ...(await staff(prisma, "TRUST_ADMIN", { trustName: "Woolwich" })), name: "the victim trust's admin" }];
    for (let mask = 1; mask < 1 << scopes.length; mask++) {
      const held = scopes.filter((_, i) => mask & (1 << i));
      for (const place of placements) {
        const k = newApiKey();
        await prisma.apiClient.create({
          data: { trustId: place.trustId, name: `walker ${held.join("+")}`, keyPrefix: k.keyPrefix, keyHash: k.keyHash, scopes: held, academies: { create: { academyId: place.academyId } } },
        });
        keyHolders.push({ name: `API key ${held.join("+")} on ${place.where}`, headers: { authorization: `Bearer ${k.key}` } });
      }
    }

    unknownOperations = walkOperations(schema, {
      byName: {
        urn: 999_999, upn: "Z00000000000Z", academyUrns: [999_999], academyUrn: 999_999, toAcademyUrn: 999_999, trustSlug: "no-such-trust", markId: encode("Mark", nowhere),
        ...administration({ user: nowhere, role: nowhere, form: nowhere, carer: nowhere }),
      },
      globalIds: { Pupil: encode("Pupil", nowhere), ApiClient: encode("ApiClient", nowhere) },
      anyGlobalId: encode("Pupil", nowhere),
    });
    for (const op of unknownOperations) {
      if (op.field === "revokeApiClient") op.variables.id = encode("ApiClient", nowhere);
      if (op.field === "nodes") op.variables.ids = [encode("Pupil", nowhere), encode("Academy", nowhere)];
    }

    const pdetOfficer = await staff(prisma, "ATTENDANCE_OFFICER", { academyName: "Staverton" });
    const pdetLead = await staff(prisma, "TRUST_ATTENDANCE_LEAD", { trustName: "Peterborough" });
    attackers = [
      { ...anonymous, mustNotSee: victimStrings },
      { name: "headteacher of another academy in the same trust", headers: { authorization: `Bearer ${await tokenFor(sisterHead.id)}` }, mustNotSee: [
        // Its trust's name contains the victim academy's name, so look for the academy's URN as served.
        `"urn":${victimAcademy.urn}`, victimPupil.upn, victimPupil.id, victimClient.keyPrefix,
      ] },
      { ...pdetOfficer, mustNotSee: victimStrings },
      { ...pdetLead, mustNotSee: victimStrings },
      { ...valeAdmin, mustNotSee: victimStrings },
      { name: "Vale Academy Trust's API client", headers: { authorization: `Bearer ${created.data!.createApiClient.key}` }, mustNotSee: victimStrings },
      { ...teacher, name: "tutor of the victim academy, outside their forms", mustNotSee: [victimPupil.upn, victimPupil.id, victimClient.keyPrefix] },
    ];
    outsiders = attackers.slice(2, 6);
  });
  afterAll(() => t?.close());

  it("covers every Query and Mutation field, and no actor sees or changes the victim's data", async () => {
    const queryFields = Object.keys(schema.getQueryType()!.getFields());
    const mutationFields = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(operations.map((o) => o.field).sort()).toEqual([...queryFields, ...mutationFields].sort());

    let calls = 0;
    for (const op of operations) {
      for (const attacker of attackers) {
        const before = op.root === "mutation" ? await databaseState(t.db.prisma) : "";
        const response = await t.graphql(op.document, op.variables, attacker.headers);
        calls++;
        const body = JSON.stringify(response);
        const where = `${op.field} as ${attacker.name}: ${body.slice(0, 400)}`;
        for (const secret of attacker.mustNotSee) expect(body, where).not.toContain(secret);
        expect(unnamedForbidden(response), where).toEqual([]);
        if (attacker === attackers[0]) {
          // No credentials: an error that says so, and no data at all.
          expect(codes(response), where).toContain("UNAUTHENTICATED");
          const data = response.data as Record<string, unknown> | null | undefined;
          expect(data == null || Object.values(data).every((v) => v == null), where).toBe(true);
        }
        if (op.root === "mutation") {
          expect(await databaseState(t.db.prisma), `${op.field} as ${attacker.name} changed the database`).toBe(before);
          expect(codes(response).some((c) => c === "FORBIDDEN" || c === "UNAUTHENTICATED" || c === "BAD_USER_INPUT"), where).toBe(true);
        }
      }
    }
    console.log(
      `authorization walker (${kind}): ${queryFields.length} query + ${mutationFields.length} mutation fields = ${operations.length} fields × ${attackers.length} actors = ${calls} calls checked`,
    );
    expect(calls).toBe(operations.length * attackers.length);
  }, 360_000);

  // 22 key holders × every mutation, each call followed by a digest of every
  // table: each new mutation adds 22 such calls, past 120 s on a loaded machine
  // (as is the walk above, 7 actors × every field).
  it("never commits a refused mutation: API keys of every scope combination × victim academy, another academy, another trust, and a trust admin", async () => {
    let calls = 0;
    let refused = 0;
    let state = await databaseState(t.db.prisma);
    for (const op of operations.filter((o) => o.root === "mutation")) {
      for (const holder of keyHolders) {
        const response = await t.graphql(op.document, op.variables, holder.headers);
        calls++;
        const after = await databaseState(t.db.prisma);
        expect(unnamedForbidden(response), `${op.field} as ${holder.name}`).toEqual([]);
        const answered = (response.data as Record<string, unknown> | null | undefined)?.[op.field] ?? null;
        if (answered === null) {
          // Refused: with a code, and nothing of it stored.
          refused++;
          const where = `${op.field} as ${holder.name}: ${JSON.stringify(response).slice(0, 400)}`;
          expect(codes(response).length, where).toBeGreaterThan(0);
          expect(codes(response).every((c) => ["FORBIDDEN", "UNAUTHENTICATED", "BAD_USER_INPUT", "CONFLICT", "NOT_FOUND"].includes(c)), where).toBe(true);
          expect(after, `${op.field} as ${holder.name} was refused but changed the database`).toBe(state);
        }
        state = after;
      }
    }
    console.log(`refusal walker (${kind}): ${calls} mutation calls by ${keyHolders.length} key holders, ${refused} refused, none committed`);
    expect(refused).toBeGreaterThan(0);
  }, 360_000);

  it("shows case actions and letters to nobody who does not work cases, as the README's Access table says", async () => {
    const caseWork = ['"__typename":"CaseAction"', '"__typename":"Letter"', '"__typename":"LetterTemplate"', "letters.templates"];
    const tutor = attackers.find((a) => a.name.startsWith("tutor"))!;
    for (const op of operations.filter((o) => o.root === "query")) {
      for (const holder of [...keyHolders, tutor]) {
        const body = JSON.stringify(await t.graphql(op.document, op.variables, holder.headers));
        for (const s of caseWork) expect(body, `${op.field} as ${holder.name}`).not.toContain(s);
      }
    }
    // The check can fail: the victim academy's attendance officer sees the case action.
    const own = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: VICTIM_ACADEMY });
    const op = operations.find((o) => o.field === "pupil")!;
    expect(JSON.stringify(await t.graphql(op.document, op.variables, own.headers))).toContain('"__typename":"CaseAction"');
  });

  it("answers another trust's identifiers exactly as identifiers that exist nowhere (issue 13: no existence oracle)", async () => {
    // OWASP API1:2023: what an outsider is told must not depend on whether the
    // object exists in another trust. Codes and data compared; messages may
    // repeat the identifier asked for.
    const answer = (r: GraphQLResponse) => JSON.stringify({ data: r.data ?? null, codes: codes(r) });
    let compared = 0;
    for (const [i, op] of operations.entries()) {
      const unknown = unknownOperations[i]!;
      expect(unknown.document).toBe(op.document);
      for (const outsider of outsiders) {
        const aimed = await t.graphql(op.document, op.variables, outsider.headers);
        const nowhere = await t.graphql(unknown.document, unknown.variables, outsider.headers);
        expect(answer(aimed), `${op.field} as ${outsider.name}`).toBe(answer(nowhere));
        compared++;
      }
    }
    expect(compared).toBe(operations.length * outsiders.length);
  });

  it("lets the victim's own staff see what the others may not (the walker's checks can fail)", async () => {
    const own = await staff(t.db.prisma, "ATTENDANCE_OFFICER", { academyName: VICTIM_ACADEMY });
    const op = operations.find((o) => o.field === "pupil")!;
    const response = await t.graphql(op.document, op.variables, own.headers);
    // Everything but the trust's API clients and webhooks, which are for trust
    // admins, and staff records (roles, form tutors), which are for those who
    // administer the academy.
    for (const error of response.errors ?? []) expect(["apiClients", "webhooks", "roleAssignments", "tutors"]).toContain(error.path?.at(-1));
    expect(JSON.stringify(response.data)).toContain(String(op.variables.upn));
  });
});
