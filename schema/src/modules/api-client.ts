// API clients: third-party front ends with a key, named scopes, a set of
// academies and a rate limit. Trust admins create, list and revoke them.
import { isApiScope, API_SCOPES, can, canInTrust, CAPABILITY_NEEDS, type ApiScope, type Capability } from "@attendance/core";
import { builder } from "../builder.ts";
import { API_CLIENTS_PER_TRUST, newApiKey } from "../api-keys.ts";
import { badInput, conflict, forbidden, requiredText, type InputProblem } from "../errors.ts";
import { AcademyNode } from "./academy.ts";

export const ApiScopeEnum = builder.enumType("ApiScope", {
  description: "A named permission an API key carries, in its academies only.",
  values: {
    READ_ATTENDANCE: { value: "read:attendance", description: "read:attendance — read pupils, registers and statistics." },
    READ_SENSITIVE: { value: "read:sensitive", description: "read:sensitive — read safeguarding and cohort flags." },
    WRITE_REGISTERS: { value: "write:registers", description: "write:registers — take and amend registers." },
  } satisfies Record<string, { value: keyof typeof API_SCOPES; description: string }>,
});

const ApiClientNode = builder.prismaNode("ApiClient", {
  id: { field: "id" },
  description: "A third-party client's API key (the key itself is shown only once, at creation).",
  authScopes: (client) => ({ trust: { trustId: client.trustId, capability: "manageApiClients" } }),
  fields: (t) => ({
    name: t.exposeString("name", { description: "What the client is, e.g. \"Parent app\"." }),
    keyPrefix: t.exposeString("keyPrefix", { description: "The key's first characters, to tell keys apart." }),
    scopes: t.field({
      type: [ApiScopeEnum],
      description: "What the key may do.",
      resolve: (client) => client.scopes.filter(isApiScope),
    }),
    rateLimitPerMinute: t.exposeInt("rateLimitPerMinute", { description: "Requests allowed per minute; more are answered 429." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was created." }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true, description: "When it was revoked; a revoked key is refused." }),
    academies: t.field({
      type: [AcademyNode],
      description: "The academies the key may see.",
      select: { academies: { select: { academy: true } } },
      resolve: (client) => client.academies.map((a) => a.academy),
    }),
  }),
});

builder.prismaObjectField("Trust", "apiClients", (t) =>
  t.relatedConnection("apiClients", {
    description: "The trust's API clients, newest first. Trust admins only: null, with a FORBIDDEN error, for others.",
    nullable: true,
    authScopes: (trust) => ({ trust: { trustId: trust.id, capability: "manageApiClients" } }),
    cursor: "id",
    totalCount: true,
    query: () => ({ orderBy: [{ createdAt: "desc" }, { id: "asc" }] }),
  }),
);

const CreatedApiClient = builder.objectRef<{ key: string; apiClient: typeof ApiClientNode.$inferType }>("CreatedApiClient");
CreatedApiClient.implement({
  description: "A new API client and its key. The key is shown here once and never again.",
  // Only its creator ever holds this object: the mutation's scopes guard it.
  authScopes: { authenticated: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "The API key: send it as `Authorization: Bearer <key>` or `X-API-Key`." }),
    apiClient: t.field({ type: ApiClientNode, description: "The client.", resolve: (parent) => parent.apiClient }),
  }),
});

const CreateApiClientInput = builder.inputType("CreateApiClientInput", {
  description: "A new API client for your trust.",
  fields: (t) => ({
    name: t.string({ required: true, description: "What the client is, e.g. \"Parent app\"." }),
    scopes: t.field({ type: [ApiScopeEnum], required: true, description: "What the key may do." }),
    academyUrns: t.intList({ required: true, description: "The academies (by URN) it may see: all must be in your trust." }),
    rateLimitPerMinute: t.int({ required: false, description: "Requests allowed per minute (default 600, at most 6000)." }),
  }),
});

builder.mutationType({
  description: "Change registers, settings, cases and API clients.",
  authScopes: { authenticated: true },
});

builder.mutationFields((t) => ({
  createApiClient: t.field({
    type: CreatedApiClient,
    description:
      `Creates an API client with a new key. Trust admins only, and only with scopes they hold themselves in every academy of the key (FORBIDDEN otherwise); a scope needs the scopes it builds on (write:registers needs read:attendance). At most ${API_CLIENTS_PER_TRUST} active keys per trust (CONFLICT).`,
    args: { input: t.arg({ type: CreateApiClientInput, required: true, description: "The client to create." }) },
    authScopes: (_root, _args, ctx) => ({ trust: { trustId: ctx.actor?.trustId ?? "", capability: "manageApiClients" } }),
    resolve: async (_root, { input }, ctx) => {
      const actor = ctx.actor!;
      const trustId = actor.trustId;
      const problems: InputProblem[] = [];
      const name = requiredText(input.name, "name", 100, problems, "1 to 100 characters.");
      if (problems.length > 0) throw badInput("name must be 1 to 100 characters.", problems);
      if (input.scopes.length === 0) throw badInput("Give the key at least one scope.");
      const scopes = [...new Set(input.scopes)];
      // A scope is whole or refused: its capabilities' prerequisites must come
      // from the key's other scopes (write:registers needs read:attendance),
      // or the key could write what it may not read back.
      const granted = new Set<Capability>(scopes.flatMap((s) => API_SCOPES[s]));
      for (const scope of scopes) {
        const missing = API_SCOPES[scope].flatMap((c) => CAPABILITY_NEEDS[c]).filter((c) => !granted.has(c));
        if (missing.length > 0) {
          const needed = (Object.keys(API_SCOPES) as ApiScope[]).filter((s) => API_SCOPES[s].some((c) => missing.includes(c)));
          throw badInput(`${scope} needs ${needed.join(" and ")} as well.`, [{ field: "scopes", message: `${scope} needs ${needed.join(", ")}.` }]);
        }
      }
      const rate = input.rateLimitPerMinute ?? 600;
      if (!Number.isInteger(rate) || rate < 1 || rate > 6000) throw badInput("rateLimitPerMinute must be between 1 and 6000.");
      const urns = [...new Set(input.academyUrns)];
      if (urns.length === 0) throw badInput("Give the key at least one academy.");
      const academies = await ctx.prisma.academy.findMany({ where: { urn: { in: urns }, trustId }, select: { id: true, urn: true } });
      if (academies.length !== urns.length) throw badInput("Every academy must be one of your trust's.");
      // A key never carries a capability its creator lacks, in any of its
      // academies: otherwise a trust admin, who may not amend marks, could
      // make a key that does (OWASP API Security Top 10 (2023) API5, broken
      // function level authorization).
      for (const scope of scopes) {
        // Whole academies only: a tutor's forms do not make an academy-wide key.
        const beyond = academies.filter((a) => actor.academies.get(a.id)?.formIds !== undefined || API_SCOPES[scope].some((c) => !can(actor, c, a.id)));
        if (beyond.length > 0) {
          throw forbidden(`You may not give a key the ${scope} scope: you do not hold it yourself in academy ${beyond.map((a) => a.urn).join(", ")}.`, { capabilities: [...API_SCOPES[scope]], staffOnly: true });
        }
      }
      const { key, keyPrefix, keyHash } = newApiKey();
      const apiClient = await ctx.prisma.$transaction(async (tx) => {
        // A lock on the trust's key count until commit: concurrent creations
        // are counted one after another. An advisory lock, because the
        // application role may not lock the trust row (FOR UPDATE needs UPDATE).
        await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`api_client:${trustId}`}, 0))::text`;
        const active = await tx.apiClient.count({ where: { trustId, revokedAt: null } });
        if (active >= API_CLIENTS_PER_TRUST) {
          throw conflict(`Your trust already has ${API_CLIENTS_PER_TRUST} active API keys, the most it may hold: revoke one first.`, { limit: API_CLIENTS_PER_TRUST });
        }
        return tx.apiClient.create({
          include: { academies: { include: { academy: true } } },
          data: {
            trustId,
            name,
            keyPrefix,
            keyHash,
            scopes,
            rateLimitPerMinute: rate,
            createdById: actor.kind === "user" ? actor.id : null,
            academies: { create: academies.map((a) => ({ academyId: a.id })) },
          },
        });
      });
      return { key, apiClient };
    },
  }),
  revokeApiClient: t.prismaField({
    type: "ApiClient",
    description: "Revokes an API client's key at once. Trust admins only. Revoking twice keeps the first time.",
    args: { id: t.arg.globalID({ required: true, for: [ApiClientNode], description: "The client's global ID." }) },
    resolve: async (query, _root, { id }, ctx) => {
      const client = await ctx.prisma.apiClient.findUnique({ where: { id: id.id }, select: { trustId: true } });
      // Another trust's client is as invisible as a missing one.
      if (!client || !canInTrust(ctx.actor, "manageApiClients", client.trustId)) {
        throw forbidden("No such API client in your trust.", { trustCapability: "manageApiClients" });
      }
      await ctx.prisma.apiClient.updateMany({ where: { id: id.id, revokedAt: null }, data: { revokedAt: new Date() } });
      return ctx.prisma.apiClient.findUniqueOrThrow({ ...query, where: { id: id.id } });
    },
  }),
}));
