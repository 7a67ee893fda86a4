// Who the token belongs to (issue 16, item 4): a front end asks once after
// sign-in what to show — whose name, which trust, which academies and what may
// be done in each, which forms, which scopes, and when to sign in again. It is
// read from the request's actor (authenticated once per request,
// packages/server/src/auth/authenticate.ts), so it shows exactly what every
// other field will allow; the database is asked only for names and roles.
import { isApiScope, type Actor, type Capability, type Role, type TrustCapability } from "@attendance/core";
import { resolveArrayConnection } from "@pothos/plugin-relay";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../builder.ts";
import { capabilityName } from "../errors.ts";
import { StaffRoleEnum } from "./administration.ts";
import { ApiScopeEnum } from "./api-client.ts";

const CAPABILITIES: Record<Capability, string> = {
  read: "Read the academy's pupils, registers and statistics (a tutor: their forms only).",
  readSensitive: "Read safeguarding and cohort flags (looked-after, social worker, FSM, pupil premium).",
  takeRegister: "Take registers.",
  amendRegister: "Amend register marks, with a reason.",
  configureAcademy: "Change the academy's own policy settings (its Appendix A), calendar and roll.",
  decideLeave: "Decide leave-of-absence requests.",
  workCases: "Work cases, escalations, letters and penalty notices.",
  administer: "Administer staff, roles, forms, carers and pupils' details.",
};

const TRUST_CAPABILITIES: Record<TrustCapability, string> = {
  manageApiClients: "Create, list and revoke API clients.",
  setTrustDefaults: "Set the trust's default policy settings.",
  manageWebhooks: "Register and deactivate webhook endpoints, and read their deliveries.",
  exportPersonalData: "Export everything held about a pupil (a subject access request).",
  manageCalendar: "Set the trust's school calendar and its academies'.",
  transferPupils: "Move a pupil from one academy of the trust to another.",
  manageAcademies: "Create and change the trust's academies.",
  readAuditLog: "Read the trust's audit log.",
  importData: "Import files into any academy of the trust.",
};

/** Enum values named as FORBIDDEN's extensions.missing names them (errors.ts capabilityName). */
function enumValues<K extends string>(descriptions: Record<K, string>) {
  return Object.fromEntries(
    (Object.entries(descriptions) as [K, string][]).map(([value, description]) => [capabilityName(value as Capability), { value, description }]),
  ) as Record<string, { value: K; description: string }>;
}

export const CapabilityEnum = builder.enumType("Capability", {
  description: "What an actor may do in an academy. A FORBIDDEN error's extensions.missing.capabilities names these.",
  values: enumValues(CAPABILITIES),
});

export const TrustCapabilityEnum = builder.enumType("TrustCapability", {
  description: "What an actor may do across its trust. A FORBIDDEN error's extensions.missing.trustCapability names these.",
  values: enumValues(TRUST_CAPABILITIES),
});

const ViewerKindEnum = builder.enumType("ViewerKind", {
  description: "Who a token belongs to.",
  values: {
    STAFF: { value: "user", description: "A member of staff, signed in through the trust's identity provider (a bearer JWT)." },
    API_CLIENT: { value: "apiClient", description: "A third-party client with an API key." },
  } as const,
});

interface ViewerShape {
  actor: Actor;
  displayName: string;
  /** The API client's scopes as stored; null for staff. */
  scopes: string[] | null;
  /** The staff member's current roles in the trust; empty for an API client. */
  roles: { role: Role; academyId: string | null }[];
  /** The academies the actor may read, by name. */
  academies: { id: string; name: string }[];
  expiresAt: Date | null;
}

interface ViewerAcademyShape {
  academyId: string;
  viewer: ViewerShape;
}

const ViewerAcademy = builder.objectRef<ViewerAcademyShape>("ViewerAcademy");
ViewerAcademy.implement({
  description: "An academy you may work in, with what you hold there.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    academy: t.prismaField({
      type: "Academy",
      description: "The academy.",
      // findUnique calls of one tick are batched by Prisma into one statement per page.
      resolve: (query, parent, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: parent.academyId } }),
    }),
    roles: t.field({
      type: [StaffRoleEnum],
      description: "Your roles that reach this academy: those held in it, and trust roles (which reach every academy of the trust). Empty for an API client.",
      resolve: ({ academyId, viewer }) => [...new Set(viewer.roles.filter((r) => r.academyId === academyId || r.academyId === null).map((r) => r.role))],
    }),
    capabilities: t.field({
      type: [CapabilityEnum],
      description: "What you may do here (an API client: what its scopes grant, bounded by what its creator holds now).",
      resolve: ({ academyId, viewer }) => [...(viewer.actor.academies.get(academyId)?.capabilities ?? [])].sort(),
    }),
    allForms: t.boolean({
      description: "Whether what you hold covers every form of the academy; false when it is for the forms you tutor only (see `forms`).",
      resolve: ({ academyId, viewer }) => viewer.actor.academies.get(academyId)?.formIds === undefined,
    }),
  }),
});

const ViewerRef = builder.objectRef<ViewerShape>("Viewer");
ViewerRef.implement({
  description: "Who the token of this request belongs to, and what it may do. Within an `X-Academy-URN` request, that academy only.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    id: t.id({
      description: "The global ID of the member of staff (a User) or of the API client (an ApiClient).",
      resolve: ({ actor }) => encodeGlobalID(actor.kind === "user" ? "User" : "ApiClient", actor.id),
    }),
    kind: t.field({ type: ViewerKindEnum, description: "A member of staff or an API client.", resolve: ({ actor }) => actor.kind }),
    displayName: t.exposeString("displayName", { description: "The staff member's name as shown to colleagues, or the API client's name." }),
    trust: t.prismaField({
      type: "Trust",
      description: "Your trust: you see nothing outside it.",
      resolve: (query, { actor }, _args, ctx) => ctx.prisma.trust.findUniqueOrThrow({ ...query, where: { id: actor.trustId } }),
    }),
    trustRoles: t.field({
      type: [StaffRoleEnum],
      description: "Your trust-wide roles (trust admin, trust attendance lead); empty for academy staff and API clients.",
      resolve: ({ roles }) => [...new Set(roles.filter((r) => r.academyId === null).map((r) => r.role))],
    }),
    trustCapabilities: t.field({
      type: [TrustCapabilityEnum],
      description: "What you may do across the trust.",
      resolve: ({ actor }) => [...actor.trustCapabilities].sort(),
    }),
    academies: t.connection(
      {
        type: ViewerAcademy,
        description: "The academies you may read, by name, each with your roles and capabilities there.",
        resolve: (viewer, args) => {
          const all = viewer.academies.map((a) => ({ academyId: a.id, viewer }));
          return { ...resolveArrayConnection({ args, defaultSize: 20, maxSize: 500 }, all), totalCount: all.length };
        },
      },
      {
        name: "ViewerAcademyConnection",
        description: "A page of the academies you may read.",
        fields: (t) => ({
          totalCount: t.int({
            description: "How many items the whole list has, across all pages.",
            resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
          }),
        }),
      },
      { name: "ViewerAcademyEdge", description: "An academy you may read, in a page." },
    ),
    forms: t.prismaConnection({
      type: "Form",
      cursor: "id",
      description: "The forms you tutor (take registers for and read), by academy and name; empty for an API client.",
      totalCount: (viewer, _args, ctx) => (viewer.actor.kind === "user" ? ctx.prisma.form.count({ where: tutoredBy(viewer) }) : 0),
      resolve: (query, viewer, _args, ctx) =>
        viewer.actor.kind === "user" ? ctx.prisma.form.findMany({ ...query, where: tutoredBy(viewer), orderBy: [{ academyId: "asc" }, { name: "asc" }, { id: "asc" }] }) : [],
    }),
    scopes: t.field({
      type: [ApiScopeEnum],
      nullable: true,
      description: "The API client's scopes; null for staff.",
      resolve: ({ scopes }) => scopes?.filter(isApiScope) ?? null,
    }),
    tokenExpiresAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the bearer token of this request expires (its `exp` claim): sign in again before. Null for an API key, which lasts until it is revoked.",
      resolve: ({ expiresAt }) => expiresAt,
    }),
  }),
});

/** The forms the staff member tutors now, in the academies this request may see. */
function tutoredBy(viewer: ViewerShape) {
  return { tutors: { some: { userId: viewer.actor.id, revokedAt: null } }, academyId: { in: viewer.academies.map((a) => a.id) } };
}

builder.queryFields((t) => ({
  viewer: t.field({
    type: ViewerRef,
    description: "Who the token of this request belongs to: staff or API client, name, trust, academies with roles and capabilities, forms, scopes and the token's expiry. Anyone signed in reads their own.",
    resolve: async (_root, _args, ctx) => {
      // The Query type requires credentials, so the actor is there.
      const actor = ctx.actor!;
      // Academies with at least one capability: every capability needs read
      // (CAPABILITY_NEEDS), and one without is no academy to show.
      const readable = [...actor.academies].filter(([, grant]) => grant.capabilities.size > 0).map(([id]) => id);
      const [who, academies] = await Promise.all([
        actor.kind === "user"
          ? ctx.prisma.user.findUniqueOrThrow({
              where: { id: actor.id },
              select: { displayName: true, roles: { where: { trustId: actor.trustId, revokedAt: null }, select: { role: true, academyId: true } } },
            }).then((u) => ({ displayName: u.displayName, roles: u.roles, scopes: null }))
          : ctx.prisma.apiClient.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true, scopes: true } })
              .then((c) => ({ displayName: c.name, roles: [], scopes: c.scopes })),
        ctx.prisma.academy.findMany({ where: { id: { in: readable } }, select: { id: true, name: true }, orderBy: [{ name: "asc" }, { id: "asc" }] }),
      ]);
      return { actor, ...who, academies, expiresAt: ctx.tokenExpiresAt ?? null };
    },
  }),
}));
