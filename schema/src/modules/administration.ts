// Administration through GraphQL (issue 15, item 1): a trust's academies and
// forms, its staff, their roles and form-tutor assignments, pupils' carers and
// pupils' details. Every mutation decides who may make it before it reads
// anything the caller names or writes anything (OWASP API Security Top 10
// 2023, API5 broken function level authorization), answers bad input with
// BAD_USER_INPUT and its problems, and is audited by the operation's
// transaction (packages/server/src/plugins/transaction.ts), which also rolls
// back any mutation whose answer carries an error. Roles and tutor
// assignments are revoked, never deleted, so who could do what when stays
// answerable.
import {
  can,
  canInTrust,
  isCarerRelationship,
  isEmailAddress,
  isUrn,
  mayGrantRole,
  telephoneE164,
  yearGroupInPhase,
  type Actor,
  type Need,
  type Role as RoleName,
} from "@attendance/core";
import { Role, type Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, conflict, forbidden, isUniqueViolation, requiredText, type InputProblem } from "../errors.ts";
import type { GraphQLContext } from "../context.ts";
import { GenderEnum, PhaseEnum, SenProvisionEnum } from "./enums.ts";

// ─── Helpers ──────────────────────────────────────────────────────────────────

/** The signed-in staff user, or FORBIDDEN: API keys administer nothing. */
function staffActor(ctx: GraphQLContext, message: string, need: Need = { capabilities: ["administer"] }): Actor {
  // API keys administer nothing, whatever their scopes.
  if (ctx.actor?.kind !== "user") throw forbidden(message, { ...need, staffOnly: true });
  return ctx.actor;
}

/** Records the academy a mutation acts on, for its audit row. */
function auditAcademy(ctx: GraphQLContext, academyId: string | null): void {
  if (ctx.audit) ctx.audit.academyId = academyId;
}

/** The roles that administer staff (core's mayGrantRole: trust admins, headteachers, academy admins). */
const ADMINISTERING: readonly RoleName[] = ["TRUST_ADMIN", "HEADTEACHER", "ACADEMY_ADMIN"];

/** The caller's roles held now in their trust; FORBIDDEN at once if none of them administers staff. */
async function heldRoles(ctx: GraphQLContext, actor: Actor, message: string) {
  const held = await ctx.prisma.roleAssignment.findMany({ where: { userId: actor.id, trustId: actor.trustId, revokedAt: null }, select: { role: true, academyId: true } });
  if (!held.some((h) => ADMINISTERING.includes(h.role))) throw forbidden(message, { capabilities: ["administer"], staffOnly: true });
  return held;
}

/** An academy of the caller's trust by URN, or null (another trust's is answered as an unknown one: tenancy.ts). */
function academyOfTrust(ctx: GraphQLContext, actor: Actor, urn: number) {
  return ctx.prisma.academy.findFirst({ where: { urn, trustId: actor.trustId } });
}

/** A global ID's row id when it names a `typename`, else null. */
function idOf(globalId: { typename: string; id: string } | null | undefined, typename: string): string | null {
  return globalId && globalId.typename === typename ? globalId.id : null;
}

const NAME_MAX = 100;

/** An optional name: trimmed, 1 to NAME_MAX characters, or a problem. */
function optionalName(raw: string | null | undefined, field: string, problems: InputProblem[]): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  return requiredText(raw, field, NAME_MAX, problems, `1 to ${NAME_MAX} characters.`);
}

function checkYearGroup(yearGroup: number, field: string, problems: InputProblem[]): void {
  if (!Number.isInteger(yearGroup) || yearGroup < -1 || yearGroup > 13) problems.push({ field, message: "From -1 (nursery) to 13." });
}

// ─── Types ────────────────────────────────────────────────────────────────────

export const StaffRoleEnum = builder.enumType(Role, {
  name: "StaffRole",
  description: "A role a member of staff holds: trust roles across the trust, academy roles in one academy.",
  values: {
    TRUST_ADMIN: { description: "Trust admin: administers the whole trust, reads everything in it." },
    TRUST_ATTENDANCE_LEAD: { description: "Trust attendance lead: reads every academy and works cases." },
    HEADTEACHER: { description: "Headteacher of one academy." },
    ACADEMY_ADMIN: { description: "Academy admin (data manager) of one academy." },
    ATTENDANCE_OFFICER: { description: "Attendance officer of one academy." },
    TEACHER: { description: "Teacher: takes registers for and reads the forms they tutor." },
  },
});

const TelephoneKindEnum = builder.enumType("TelephoneKind", {
  description: "What kind of telephone a number is.",
  values: {
    HOME: { description: "A home (landline) number." },
    MOBILE: { description: "A mobile number." },
    WORK: { description: "A work number." },
    OTHER: { description: "Any other number." },
  },
});
type TelephoneKind = "HOME" | "MOBILE" | "WORK" | "OTHER";
interface Telephone {
  kind: TelephoneKind;
  number: string;
}

const TelephoneRef = builder.objectRef<Telephone>("CarerTelephone");
TelephoneRef.implement({
  description: "One of a carer's telephone numbers.",
  fields: (t) => ({
    kind: t.field({ type: TelephoneKindEnum, description: "What kind of number it is.", resolve: (tel) => tel.kind }),
    number: t.exposeString("number", { description: "The number, as it was entered." }),
  }),
});

builder.prismaNode("User", {
  id: { field: "id" },
  description: "A member of staff: signs in through the trust's identity provider and holds roles in its academies.",
  // Staff records are for those who administer staff.
  authScopes: { administers: true },
  fields: (t) => ({
    email: t.exposeString("email", { description: "Their e-mail address, by which they are invited." }),
    displayName: t.exposeString("displayName", { description: "Their name as shown to colleagues." }),
    subject: t.exposeString("subject", {
      nullable: true,
      description: "The identity provider's subject (`sub`) their sign-in tokens carry, when it is not their id here.",
    }),
    roles: t.relation("roles", {
      description: "Their roles in your trust, current ones first, newest first.",
      args: { includeRevoked: t.arg.boolean({ required: false, description: "Include revoked roles too (default: only current)." }) },
      query: (args, ctx) => ({
        where: { trustId: ctx.actor?.trustId ?? "", ...(args.includeRevoked ? {} : { revokedAt: null }) },
        orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }, { id: "asc" }],
      }),
    }),
  }),
});

builder.prismaNode("RoleAssignment", {
  id: { field: "id" },
  description: "A role a member of staff holds (or held) in the trust or one academy of it.",
  authScopes: (ra) =>
    ra.academyId
      ? { academy: { academyId: ra.academyId, capability: "administer" } }
      : { trust: { trustId: ra.trustId, capability: "manageAcademies" } },
  fields: (t) => ({
    role: t.expose("role", { type: StaffRoleEnum, description: "The role." }),
    user: t.relation("user", { description: "Who holds it." }),
    academy: t.relation("academy", { nullable: true, description: "The academy it is held in; null for a trust role." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When it was granted." }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true, description: "When it was revoked; null while it is held. A revoked role grants nothing." }),
  }),
});

builder.prismaObject("FormTutor", {
  description: "A teacher's assignment to a form: they take its registers and read its pupils.",
  authScopes: { administers: true },
  fields: (t) => ({
    form: t.relation("form", { description: "The form." }),
    user: t.relation("user", { description: "The tutor." }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true, description: "When they stopped tutoring it; null while they do." }),
  }),
});

builder.prismaObjectFields("Academy", (t) => ({
  roleAssignments: t.relatedConnection("users", {
    description: "Roles held in the academy, current ones first. Null, with FORBIDDEN, for those who do not administer it.",
    nullable: true,
    authScopes: (academy) => ({ academy: { academyId: academy.id, capability: "administer" } }),
    cursor: "id",
    totalCount: true,
    args: { includeRevoked: t.arg.boolean({ required: false, description: "Include revoked roles too (default: only current)." }) },
    query: (args) => ({
      where: args.includeRevoked ? {} : { revokedAt: null },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    }),
  }),
}));

builder.prismaObjectFields("Form", (t) => ({
  tutors: t.relation("tutors", {
    description: "The form's tutors (current ones only). Null, with FORBIDDEN, for those who do not administer its academy.",
    nullable: true,
    authScopes: (form) => ({ academy: { academyId: form.academyId, capability: "administer" } }),
    query: { where: { revokedAt: null }, orderBy: [{ userId: "asc" }] },
  }),
}));

builder.prismaObjectFields("Carer", (t) => ({
  relationship: t.exposeString("relationship", { nullable: true, description: "Relationship to the pupil: a Common Basic Data Set code (PAM mother, PAF father, CAR carer, OTH other, …)." }),
  telephones: t.field({
    type: [TelephoneRef],
    description: "Telephone numbers, the one to try first first.",
    select: { telephones: true },
    resolve: (carer) => (Array.isArray(carer.telephones) ? (carer.telephones as unknown as Telephone[]) : []),
  }),
  email: t.exposeString("email", { nullable: true, description: "E-mail address." }),
  noContact: t.exposeBoolean("noContact", { description: "The school must not contact this person (e.g. a court order)." }),
}));

// ─── Academies and forms ──────────────────────────────────────────────────────

/** The policy plugin named for an academy: a registered plugin of the academy layer, or a problem. */
function checkPolicyPlugin(ctx: GraphQLContext, name: string, problems: InputProblem[]): void {
  const plugin = ctx.policies.get(name);
  if (!plugin || plugin.layer !== "academy") problems.push({ field: "policyPlugin", message: "Not a registered academy policy plugin." });
}

builder.mutationFields((t) => ({
  createAcademy: t.prismaField({
    type: "Academy",
    description: "Adds an academy to your trust. Trust admins only, for their own trust (FORBIDDEN otherwise). The URN must be new.",
    args: {
      input: t.arg({
        required: true,
        description: "The academy.",
        type: builder.inputType("CreateAcademyInput", {
          description: "A new academy.",
          fields: (f) => ({
            trustSlug: f.string({ required: true, description: "Your trust's slug: an academy is created in the trust named, which must be yours." }),
            urn: f.int({ required: true, description: "Unique Reference Number (Get Information About Schools), 100000–999999." }),
            name: f.string({ required: true, description: "The academy's name (1 to 100 characters)." }),
            localAuthorityCode: f.int({ required: true, description: "The DfE's three-digit code of its local authority, e.g. 203." }),
            phase: f.field({ type: PhaseEnum, required: true, description: "The phase of education it provides." }),
            policyPlugin: f.string({ required: false, description: "Its policy plugin (its \"Appendix A\"), by registered name." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "Only a trust admin may add academies.", { trustCapability: "manageAcademies" });
      if (!canInTrust(actor, "manageAcademies", actor.trustId)) throw forbidden("Only a trust admin may add academies.", { trustCapability: "manageAcademies" });
      const trust = await ctx.prisma.trust.findUnique({ where: { id: actor.trustId }, select: { slug: true } });
      if (trust?.slug !== input.trustSlug) throw forbidden("You may add academies to your own trust only.", { trustCapability: "manageAcademies" });
      const problems: InputProblem[] = [];
      if (!isUrn(input.urn)) problems.push({ field: "urn", message: "A URN is six digits, 100000 to 999999." });
      const name = requiredText(input.name, "name", NAME_MAX, problems, `1 to ${NAME_MAX} characters.`);
      const la = await ctx.prisma.localAuthority.findUnique({ where: { code: input.localAuthorityCode }, select: { id: true } });
      if (!la) problems.push({ field: "localAuthorityCode", message: "No local authority has this code." });
      if (input.policyPlugin != null) checkPolicyPlugin(ctx, input.policyPlugin, problems);
      if (problems.length > 0 || !la) throw badInput("The academy was not added.", problems);
      const created = await ctx.prisma.academy
        .create({ data: { trustId: actor.trustId, localAuthorityId: la.id, urn: input.urn, name, phase: input.phase, policyPlugin: input.policyPlugin ?? null }, select: { id: true } })
        .catch((error: unknown) => {
          // URNs are unique across every trust (GIAS numbers each school once).
          if (isUniqueViolation(error)) throw badInput("The academy was not added.", [{ field: "urn", message: "This URN is already in use." }]);
          throw error;
        });
      auditAcademy(ctx, created.id);
      return ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),

  updateAcademy: t.prismaField({
    type: "Academy",
    description: "Changes an academy of your trust: name, local authority, phase or policy plugin. Trust admins only (FORBIDDEN otherwise, and for a URN your trust does not have).",
    args: {
      input: t.arg({
        required: true,
        description: "What changes; what is left out stays.",
        type: builder.inputType("UpdateAcademyInput", {
          description: "Changes to an academy.",
          fields: (f) => ({
            academyUrn: f.int({ required: true, description: "The academy's URN." }),
            name: f.string({ required: false, description: "Its new name (1 to 100 characters)." }),
            localAuthorityCode: f.int({ required: false, description: "Its local authority's three-digit code." }),
            phase: f.field({ type: PhaseEnum, required: false, description: "Its phase: every existing form's year group must fit it." }),
            policyPlugin: f.string({ required: false, description: "Its policy plugin by registered name; an empty string removes it." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "Only a trust admin may change academies.", { trustCapability: "manageAcademies" });
      if (!canInTrust(actor, "manageAcademies", actor.trustId)) throw forbidden("Only a trust admin may change academies.", { trustCapability: "manageAcademies" });
      const academy = await academyOfTrust(ctx, actor, input.academyUrn);
      if (!academy) throw forbidden("Your trust has no academy with this URN.", { trustCapability: "manageAcademies" });
      auditAcademy(ctx, academy.id);
      const problems: InputProblem[] = [];
      const name = optionalName(input.name, "name", problems);
      let localAuthorityId: string | undefined;
      if (input.localAuthorityCode != null) {
        const la = await ctx.prisma.localAuthority.findUnique({ where: { code: input.localAuthorityCode }, select: { id: true } });
        if (!la) problems.push({ field: "localAuthorityCode", message: "No local authority has this code." });
        localAuthorityId = la?.id;
      }
      if (input.phase != null) {
        const phase = input.phase;
        const forms = await ctx.prisma.form.findMany({ where: { academyId: academy.id }, select: { name: true, yearGroup: true } });
        const misfits = forms.filter((f) => !yearGroupInPhase(phase, f.yearGroup));
        if (misfits.length > 0) problems.push({ field: "phase", message: `Forms outside this phase's years: ${misfits.map((f) => f.name).slice(0, 5).join(", ")}.` });
      }
      if (input.policyPlugin != null && input.policyPlugin !== "") checkPolicyPlugin(ctx, input.policyPlugin, problems);
      if (problems.length > 0) throw badInput("The academy was not changed.", problems);
      await ctx.prisma.academy.update({
        where: { id: academy.id },
        data: {
          ...(name === undefined ? {} : { name }),
          ...(localAuthorityId === undefined ? {} : { localAuthorityId }),
          ...(input.phase == null ? {} : { phase: input.phase }),
          ...(input.policyPlugin == null ? {} : { policyPlugin: input.policyPlugin === "" ? null : input.policyPlugin }),
        },
        select: { id: true },
      });
      return ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: academy.id } });
    },
  }),

  createForm: t.prismaField({
    type: "Form",
    description: "Adds a form to an academy, in a year group its phase has. Trust admins, and the academy's headteacher and academy admins (FORBIDDEN otherwise).",
    args: {
      input: t.arg({
        required: true,
        description: "The form.",
        type: builder.inputType("CreateFormInput", {
          description: "A new form.",
          fields: (f) => ({
            academyUrn: f.int({ required: true, description: "The academy's URN." }),
            name: f.string({ required: true, description: "The form's name, unique in the academy (1 to 100 characters), e.g. \"7B\"." }),
            yearGroup: f.int({ required: true, description: "National Curriculum year: -1 nursery, 0 Reception, 1–13; within the academy's phase." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not add forms to this academy.");
      const academy = await academyOfTrust(ctx, actor, input.academyUrn);
      if (!academy || !can(actor, "administer", academy.id)) throw forbidden("You may not add forms to this academy.", { capabilities: ["administer"] });
      auditAcademy(ctx, academy.id);
      const problems: InputProblem[] = [];
      const name = requiredText(input.name, "name", NAME_MAX, problems, `1 to ${NAME_MAX} characters.`);
      if (!yearGroupInPhase(academy.phase, input.yearGroup)) problems.push({ field: "yearGroup", message: `Not a year group of a ${academy.phase.toLowerCase().replaceAll("_", " ")} academy.` });
      if (problems.length > 0) throw badInput("The form was not added.", problems);
      const created = await ctx.prisma.form.create({ data: { academyId: academy.id, name, yearGroup: input.yearGroup }, select: { id: true } }).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw badInput("The form was not added.", [{ field: "name", message: "The academy already has a form with this name." }]);
        throw error;
      });
      return ctx.prisma.form.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),

  updateForm: t.prismaField({
    type: "Form",
    description: "Renames a form or moves it to another year group of its academy's phase. Trust admins, and the academy's headteacher and academy admins.",
    args: {
      input: t.arg({
        required: true,
        description: "What changes; what is left out stays.",
        type: builder.inputType("UpdateFormInput", {
          description: "Changes to a form.",
          fields: (f) => ({
            formId: f.globalID({ required: true, description: "The form." }),
            name: f.string({ required: false, description: "Its new name (1 to 100 characters)." }),
            yearGroup: f.int({ required: false, description: "Its new year group, within the academy's phase." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not change this form.");
      const formId = idOf(input.formId, "Form");
      const form = formId ? await ctx.prisma.form.findFirst({ where: { id: formId, academy: { trustId: actor.trustId } }, include: { academy: { select: { phase: true } } } }) : null;
      if (!form || !can(actor, "administer", form.academyId)) throw forbidden("You may not change this form.", { capabilities: ["administer"] });
      auditAcademy(ctx, form.academyId);
      const problems: InputProblem[] = [];
      const name = optionalName(input.name, "name", problems);
      if (input.yearGroup != null && !yearGroupInPhase(form.academy.phase, input.yearGroup)) problems.push({ field: "yearGroup", message: "Not a year group of this academy's phase." });
      if (problems.length > 0) throw badInput("The form was not changed.", problems);
      await ctx.prisma.form
        .update({ where: { id: form.id }, data: { ...(name === undefined ? {} : { name }), ...(input.yearGroup == null ? {} : { yearGroup: input.yearGroup }) }, select: { id: true } })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw badInput("The form was not changed.", [{ field: "name", message: "The academy already has a form with this name." }]);
          throw error;
        });
      return ctx.prisma.form.findUniqueOrThrow({ ...query, where: { id: form.id } });
    },
  }),
}));

// ─── Staff, roles and form tutors ─────────────────────────────────────────────

/** The academy a role is asked for: null for a trust role, the academy for an academy role, or a problem. */
async function roleAcademy(ctx: GraphQLContext, actor: Actor, role: RoleName, urn: number | null | undefined, problems: InputProblem[]): Promise<string | null> {
  const trustRole = role === "TRUST_ADMIN" || role === "TRUST_ATTENDANCE_LEAD";
  if (trustRole) {
    if (urn != null) problems.push({ field: "academyUrn", message: "A trust role is held across the trust: give no academy." });
    return null;
  }
  if (urn == null) {
    problems.push({ field: "academyUrn", message: "An academy role needs the academy's URN." });
    return null;
  }
  const academy = await academyOfTrust(ctx, actor, urn);
  // Unknown and another trust's alike: you may not grant there.
  if (!academy) throw forbidden("You may not grant roles in this academy.", { capabilities: ["administer"], staffOnly: true });
  return academy.id;
}

/**
 * Whether the caller may administer the account of `userId`: a user of the
 * caller's trust each of whose current roles the caller could grant (an
 * academy admin may not rename, or re-point the sign-in of, a headteacher).
 */
async function mayAdministerUser(ctx: GraphQLContext, actor: Actor, held: readonly { role: RoleName; academyId: string | null }[], userId: string): Promise<boolean> {
  const roles = await ctx.prisma.roleAssignment.findMany({ where: { userId, trustId: actor.trustId, revokedAt: null }, select: { role: true, academyId: true } });
  if (roles.length === 0) {
    // A user with no current role here: only a trust admin of a trust they held a role in.
    const ever = await ctx.prisma.roleAssignment.count({ where: { userId, trustId: actor.trustId } });
    return ever > 0 && held.some((h) => h.role === "TRUST_ADMIN");
  }
  return roles.every((r) => mayGrantRole(held, r.role, r.academyId));
}

const SUBJECT_MAX = 255;

function checkSubject(raw: string | null | undefined, problems: InputProblem[]): string | null | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || raw.trim() === "") return null;
  const subject = raw.trim();
  if (subject.length > SUBJECT_MAX || /\s/.test(subject)) problems.push({ field: "subject", message: `An identity provider's subject: 1 to ${SUBJECT_MAX} characters without spaces.` });
  return subject;
}

const FormTutorInput = builder.inputType("FormTutorInput", {
  description: "A form and a member of staff.",
  fields: (f) => ({
    formId: f.globalID({ required: true, description: "The form." }),
    userId: f.globalID({ required: true, description: "The member of staff." }),
  }),
});

builder.mutationFields((t) => ({
  inviteStaff: t.prismaField({
    type: "User",
    description:
      "Adds a member of staff with a first role, or gives an existing member of your trust's staff (by e-mail) that role. Trust admins for any role; headteachers and academy admins for academy roles in their academy no higher than their own (FORBIDDEN otherwise).",
    args: {
      input: t.arg({
        required: true,
        description: "The member of staff and their role.",
        type: builder.inputType("InviteStaffInput", {
          description: "A member of staff to invite.",
          fields: (f) => ({
            email: f.string({ required: true, description: "Their e-mail address (at most 254 characters)." }),
            displayName: f.string({ required: true, description: "Their name as shown to colleagues (1 to 100 characters)." }),
            subject: f.string({ required: false, description: "The identity provider's subject (`sub`) of their sign-in, if it is not known by e-mail." }),
            role: f.field({ type: StaffRoleEnum, required: true, description: "Their role." }),
            academyUrn: f.int({ required: false, description: "The academy, for an academy role; none for a trust role." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not invite staff.");
      const held = await heldRoles(ctx, actor, "You may not invite staff.");
      const problems: InputProblem[] = [];
      const academyId = await roleAcademy(ctx, actor, input.role, input.academyUrn, problems);
      if (problems.length === 0 && !mayGrantRole(held, input.role, academyId)) throw forbidden("You may not grant this role here: you may grant roles no higher than your own, where you administer.", { capabilities: ["administer"], staffOnly: true });
      if (problems.length === 0) auditAcademy(ctx, academyId);
      const email = input.email.trim().toLowerCase();
      if (!isEmailAddress(email)) problems.push({ field: "email", message: "Not an e-mail address." });
      const displayName = requiredText(input.displayName, "displayName", NAME_MAX, problems, `1 to ${NAME_MAX} characters.`);
      const subject = checkSubject(input.subject, problems);
      if (problems.length > 0) throw badInput("The member of staff was not invited.", problems);
      let userId: string;
      try {
        // app_enrol_user: inserts the user (app_user's row-level policy shows
        // only users holding a role here, so a new one could not be), or finds
        // one by e-mail; refuses one who holds a role in another trust.
        const [row] = await ctx.prisma.$queryRaw<{ id: string }[]>`SELECT app_enrol_user(${email}, ${displayName}, ${subject ?? null}) AS id`;
        userId = row!.id;
      } catch (error) {
        if (isUniqueViolation(error) || /e-mail in use|unique/i.test(String(error))) {
          throw badInput("The member of staff was not invited.", [{ field: subject ? "subject" : "email", message: "This e-mail address or subject is already in use." }]);
        }
        throw error;
      }
      const existing = await ctx.prisma.roleAssignment.findFirst({ where: { userId, trustId: actor.trustId, role: input.role, academyId, revokedAt: null }, select: { id: true } });
      if (existing) throw conflict("They already hold this role.");
      await ctx.prisma.roleAssignment.create({ data: { userId, role: input.role, trustId: actor.trustId, academyId }, select: { id: true } });
      ctx.staffChanged?.();
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: userId } });
    },
  }),

  updateStaff: t.prismaField({
    type: "User",
    description:
      "Changes a member of staff's name or identity-provider subject. Only someone who could grant every role they hold (FORBIDDEN otherwise): an academy admin may not change a headteacher's sign-in.",
    args: {
      input: t.arg({
        required: true,
        description: "What changes; what is left out stays.",
        type: builder.inputType("UpdateStaffInput", {
          description: "Changes to a member of staff.",
          fields: (f) => ({
            userId: f.globalID({ required: true, description: "The member of staff." }),
            displayName: f.string({ required: false, description: "Their name (1 to 100 characters)." }),
            subject: f.string({ required: false, description: "The identity provider's subject; an empty string removes it." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not change this member of staff.");
      const userId = idOf(input.userId, "User");
      const held = await heldRoles(ctx, actor, "You may not change this member of staff.");
      if (!userId || !(await mayAdministerUser(ctx, actor, held, userId))) throw forbidden("You may not change this member of staff.", { capabilities: ["administer"], staffOnly: true });
      const problems: InputProblem[] = [];
      const displayName = optionalName(input.displayName, "displayName", problems);
      const subject = input.subject === null || input.subject === undefined ? undefined : checkSubject(input.subject, problems);
      if (problems.length > 0) throw badInput("The member of staff was not changed.", problems);
      await ctx.prisma.user
        .update({ where: { id: userId }, data: { ...(displayName === undefined ? {} : { displayName }), ...(subject === undefined ? {} : { subject }) }, select: { id: true } })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw badInput("The member of staff was not changed.", [{ field: "subject", message: "Another user has this subject." }]);
          throw error;
        });
      ctx.staffChanged?.();
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: userId } });
    },
  }),

  assignRole: t.prismaField({
    type: "RoleAssignment",
    description: "Gives a member of your trust's staff a role. Who may: as for inviteStaff. CONFLICT if they hold it already.",
    args: {
      input: t.arg({
        required: true,
        description: "The role.",
        type: builder.inputType("AssignRoleInput", {
          description: "A role to give.",
          fields: (f) => ({
            userId: f.globalID({ required: true, description: "The member of staff." }),
            role: f.field({ type: StaffRoleEnum, required: true, description: "The role." }),
            academyUrn: f.int({ required: false, description: "The academy, for an academy role; none for a trust role." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not grant roles.");
      const held = await heldRoles(ctx, actor, "You may not grant roles.");
      const problems: InputProblem[] = [];
      const academyId = await roleAcademy(ctx, actor, input.role, input.academyUrn, problems);
      if (problems.length > 0) throw badInput("The role was not given.", problems);
      if (!mayGrantRole(held, input.role, academyId)) throw forbidden("You may not grant this role here: you may grant roles no higher than your own, where you administer.", { capabilities: ["administer"], staffOnly: true });
      auditAcademy(ctx, academyId);
      // Staff of this trust only (a user seen through row-level security holds a role here).
      const userId = idOf(input.userId, "User");
      const user = userId ? await ctx.prisma.user.findFirst({ where: { id: userId, roles: { some: { trustId: actor.trustId } } }, select: { id: true } }) : null;
      if (!user) throw badInput("The role was not given.", [{ field: "userId", message: "Not a member of your trust's staff: invite them with inviteStaff." }]);
      const existing = await ctx.prisma.roleAssignment.findFirst({ where: { userId: user.id, trustId: actor.trustId, role: input.role, academyId, revokedAt: null }, select: { id: true } });
      if (existing) throw conflict("They already hold this role.");
      const created = await ctx.prisma.roleAssignment.create({ data: { userId: user.id, role: input.role, trustId: actor.trustId, academyId }, select: { id: true } });
      ctx.staffChanged?.();
      return ctx.prisma.roleAssignment.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),

  revokeRole: t.prismaField({
    type: "RoleAssignment",
    description:
      "Revokes a role from the moment of the call (kept, with when and by whom, never deleted): the holder's next request no longer has it. Who may: as for granting it. You may not revoke your own. CONFLICT if already revoked.",
    args: { roleAssignmentId: t.arg.globalID({ required: true, description: "The role assignment." }) },
    resolve: async (query, _root, args, ctx) => {
      const actor = staffActor(ctx, "You may not revoke this role.");
      const held = await heldRoles(ctx, actor, "You may not revoke this role.");
      const id = idOf(args.roleAssignmentId, "RoleAssignment");
      const ra = id ? await ctx.prisma.roleAssignment.findFirst({ where: { id, trustId: actor.trustId } }) : null;
      if (!ra || !mayGrantRole(held, ra.role, ra.academyId)) throw forbidden("You may not revoke this role: you may revoke roles no higher than your own, where you administer.", { capabilities: ["administer"], staffOnly: true });
      auditAcademy(ctx, ra.academyId);
      if (ra.userId === actor.id) throw badInput("The role was not revoked.", [{ field: "roleAssignmentId", message: "You may not revoke your own role: ask another administrator." }]);
      const updated = await ctx.prisma.roleAssignment.updateMany({ where: { id: ra.id, revokedAt: null }, data: { revokedAt: new Date(), revokedById: actor.id } });
      if (updated.count === 0) throw conflict("This role was already revoked.");
      ctx.staffChanged?.();
      return ctx.prisma.roleAssignment.findUniqueOrThrow({ ...query, where: { id: ra.id } });
    },
  }),

  assignFormTutor: t.prismaField({
    type: "FormTutor",
    description:
      "Makes a member of staff holding a role in the form's academy one of its tutors (again, if they were before). Trust admins, and the academy's headteacher and academy admins.",
    args: {
      input: t.arg({
        required: true,
        description: "The form and the tutor.",
        type: FormTutorInput,
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not assign this form's tutors.");
      const formId = idOf(input.formId, "Form");
      const form = formId ? await ctx.prisma.form.findFirst({ where: { id: formId, academy: { trustId: actor.trustId } }, select: { id: true, academyId: true } }) : null;
      if (!form || !can(actor, "administer", form.academyId)) throw forbidden("You may not assign this form's tutors.", { capabilities: ["administer"] });
      auditAcademy(ctx, form.academyId);
      const userId = idOf(input.userId, "User");
      const staffHere = userId ? await ctx.prisma.roleAssignment.count({ where: { userId, academyId: form.academyId, revokedAt: null } }) : 0;
      if (!userId || staffHere === 0) throw badInput("The tutor was not assigned.", [{ field: "userId", message: "Not a member of staff of this academy: give them a role here first." }]);
      const current = await ctx.prisma.formTutor.findUnique({ where: { formId_userId: { formId: form.id, userId } } });
      if (current && current.revokedAt === null) throw conflict("They already tutor this form.");
      if (current) await ctx.prisma.formTutor.update({ where: { formId_userId: { formId: form.id, userId } }, data: { revokedAt: null } });
      else await ctx.prisma.formTutor.create({ data: { formId: form.id, userId } });
      ctx.staffChanged?.();
      return ctx.prisma.formTutor.findUniqueOrThrow({ ...query, where: { formId_userId: { formId: form.id, userId } } });
    },
  }),

  revokeFormTutor: t.prismaField({
    type: "FormTutor",
    description: "Ends a tutor's assignment to a form from now (kept, not deleted). Who may: as for assignFormTutor. CONFLICT if it had already ended.",
    args: {
      input: t.arg({ required: true, description: "The form and the tutor.", type: FormTutorInput }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not change this form's tutors.");
      const formId = idOf(input.formId, "Form");
      const form = formId ? await ctx.prisma.form.findFirst({ where: { id: formId, academy: { trustId: actor.trustId } }, select: { id: true, academyId: true } }) : null;
      if (!form || !can(actor, "administer", form.academyId)) throw forbidden("You may not change this form's tutors.", { capabilities: ["administer"] });
      auditAcademy(ctx, form.academyId);
      const userId = idOf(input.userId, "User");
      const updated = userId ? await ctx.prisma.formTutor.updateMany({ where: { formId: form.id, userId, revokedAt: null }, data: { revokedAt: new Date() } }) : { count: 0 };
      if (updated.count === 0) throw conflict("They do not tutor this form.");
      ctx.staffChanged?.();
      return ctx.prisma.formTutor.findUniqueOrThrow({ ...query, where: { formId_userId: { formId: form.id, userId: userId! } } });
    },
  }),
}));

// ─── Carers ───────────────────────────────────────────────────────────────────

const TelephoneInput = builder.inputType("CarerTelephoneInput", {
  description: "A telephone number.",
  fields: (f) => ({
    kind: f.field({ type: TelephoneKindEnum, required: true, description: "What kind of number." }),
    number: f.string({ required: true, description: "The number: a UK number (07700 900123, +44 1632 960001) or +country code and number." }),
  }),
});

const MAX_TELEPHONES = 5;
const MAX_ADDRESS_LINES = 6;

interface CarerFields {
  salutation?: string | null;
  forename?: string | null;
  surname?: string | null;
  addressLines?: readonly string[] | null;
  relationship?: string | null;
  parentalResponsibility?: boolean | null;
  contactOrder?: number | null;
  telephones?: readonly { kind: TelephoneKind; number: string }[] | null;
  email?: string | null;
  noContact?: boolean | null;
}

/** The carer columns `input` sets, checked; problems for what is wrong. Absent fields are left out. */
function carerData(input: CarerFields, problems: InputProblem[]): Prisma.CarerUncheckedUpdateInput {
  const data: Prisma.CarerUncheckedUpdateInput = {};
  for (const key of ["salutation", "forename", "surname"] as const) {
    const value = optionalName(input[key], key, problems);
    if (value !== undefined) data[key] = value;
  }
  if (input.addressLines != null) {
    const lines = input.addressLines.map((l) => l.trim()).filter((l) => l.length > 0);
    if (lines.length > MAX_ADDRESS_LINES || lines.some((l) => l.length > NAME_MAX)) problems.push({ field: "addressLines", message: `At most ${MAX_ADDRESS_LINES} lines of at most ${NAME_MAX} characters.` });
    data.addressLines = lines;
  }
  if (input.relationship !== undefined) {
    const code = input.relationship?.trim().toUpperCase() || null;
    if (code !== null && !isCarerRelationship(code)) problems.push({ field: "relationship", message: "Not a relationship code (PAM, PAF, STM, STF, FOM, FOF, GRM, GRF, REL, CAR, CHM, SWR, DOC, OTH)." });
    data.relationship = code;
  }
  if (input.parentalResponsibility != null) data.parentalResponsibility = input.parentalResponsibility;
  if (input.noContact != null) data.noContact = input.noContact;
  if (input.contactOrder != null) {
    if (!Number.isInteger(input.contactOrder) || input.contactOrder < 1 || input.contactOrder > 20) problems.push({ field: "contactOrder", message: "From 1 (first contact) to 20." });
    data.contactOrder = input.contactOrder;
  }
  if (input.telephones != null) {
    if (input.telephones.length > MAX_TELEPHONES) problems.push({ field: "telephones", message: `At most ${MAX_TELEPHONES} numbers.` });
    input.telephones.forEach((tel, i) => {
      if (tel.number.length > 30 || telephoneE164(tel.number) === null) problems.push({ field: `telephones[${i}].number`, message: "Not a telephone number." });
    });
    data.telephones = input.telephones.map((tel) => ({ kind: tel.kind, number: tel.number.trim() }));
  }
  if (input.email !== undefined) {
    const email = input.email?.trim() || null;
    if (email !== null && !isEmailAddress(email)) problems.push({ field: "email", message: "Not an e-mail address." });
    data.email = email;
  }
  return data;
}

builder.mutationFields((t) => ({
  createCarer: t.prismaField({
    type: "Carer",
    description:
      "Adds a parent or carer to a pupil at a contact priority no other of the pupil's carers has. Trust admins, and the academy's headteacher and academy admins (FORBIDDEN otherwise).",
    args: {
      input: t.arg({
        required: true,
        description: "The carer.",
        type: builder.inputType("CreateCarerInput", {
          description: "A new parent or carer of a pupil.",
          fields: (f) => ({
            pupilId: f.globalID({ required: true, description: "The pupil." }),
            salutation: f.string({ required: true, description: "How a letter addresses them, e.g. \"Ms Example\"." }),
            forename: f.string({ required: true, description: "Forename." }),
            surname: f.string({ required: true, description: "Surname." }),
            addressLines: f.stringList({ required: false, description: "Postal address, a line per element (at most 6)." }),
            relationship: f.string({ required: false, description: "Relationship code (CBDS): PAM mother, PAF father, CAR carer, OTH other, …" }),
            parentalResponsibility: f.boolean({ required: false, description: "Has parental responsibility (default true)." }),
            contactOrder: f.int({ required: true, description: "Contact priority: 1 for the first contact; unique among the pupil's carers." }),
            telephones: f.field({ type: [TelephoneInput], required: false, description: "Telephone numbers, first to try first (at most 5)." }),
            email: f.string({ required: false, description: "E-mail address." }),
            noContact: f.boolean({ required: false, description: "The school must not contact this person (default false)." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not add carers to this pupil.");
      const pupilId = idOf(input.pupilId, "Pupil");
      const pupil = pupilId ? await ctx.prisma.pupil.findFirst({ where: { id: pupilId, trustId: actor.trustId }, select: { id: true, academyId: true } }) : null;
      if (!pupil || !can(actor, "administer", pupil.academyId)) throw forbidden("You may not add carers to this pupil.", { capabilities: ["administer"] });
      auditAcademy(ctx, pupil.academyId);
      const problems: InputProblem[] = [];
      const data = carerData(input, problems);
      if (problems.length > 0) throw badInput("The carer was not added.", problems);
      const created = await ctx.prisma.carer
        .create({
          data: {
            ...(data as Prisma.CarerUncheckedCreateInput),
            pupilId: pupil.id,
            academyId: pupil.academyId,
            salutation: data.salutation as string,
            forename: data.forename as string,
            surname: data.surname as string,
            contactOrder: input.contactOrder,
          },
          select: { id: true },
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw badInput("The carer was not added.", [{ field: "contactOrder", message: "Another of the pupil's carers has this contact priority." }]);
          throw error;
        });
      return ctx.prisma.carer.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),

  updateCarer: t.prismaField({
    type: "Carer",
    description: "Changes a parent's or carer's details. Who may: as for createCarer.",
    args: {
      input: t.arg({
        required: true,
        description: "What changes; what is left out stays (null clears relationship and e-mail).",
        type: builder.inputType("UpdateCarerInput", {
          description: "Changes to a carer.",
          fields: (f) => ({
            carerId: f.globalID({ required: true, description: "The carer." }),
            salutation: f.string({ required: false, description: "How a letter addresses them." }),
            forename: f.string({ required: false, description: "Forename." }),
            surname: f.string({ required: false, description: "Surname." }),
            addressLines: f.stringList({ required: false, description: "Postal address, a line per element (at most 6)." }),
            relationship: f.string({ required: false, description: "Relationship code (CBDS)." }),
            parentalResponsibility: f.boolean({ required: false, description: "Has parental responsibility." }),
            contactOrder: f.int({ required: false, description: "Contact priority, unique among the pupil's carers." }),
            telephones: f.field({ type: [TelephoneInput], required: false, description: "Telephone numbers (replacing those held)." }),
            email: f.string({ required: false, description: "E-mail address." }),
            noContact: f.boolean({ required: false, description: "The school must not contact this person." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not change this carer.");
      const carerId = idOf(input.carerId, "Carer");
      const carer = carerId ? await ctx.prisma.carer.findFirst({ where: { id: carerId, academy: { trustId: actor.trustId } }, select: { id: true, academyId: true } }) : null;
      if (!carer || !can(actor, "administer", carer.academyId)) throw forbidden("You may not change this carer.", { capabilities: ["administer"] });
      auditAcademy(ctx, carer.academyId);
      const problems: InputProblem[] = [];
      const data = carerData(input, problems);
      if (problems.length > 0) throw badInput("The carer was not changed.", problems);
      await ctx.prisma.carer.update({ where: { id: carer.id }, data, select: { id: true } }).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw badInput("The carer was not changed.", [{ field: "contactOrder", message: "Another of the pupil's carers has this contact priority." }]);
        throw error;
      });
      return ctx.prisma.carer.findUniqueOrThrow({ ...query, where: { id: carer.id } });
    },
  }),

  // ─── Pupils' details ────────────────────────────────────────────────────────

  updatePupil: t.prismaField({
    type: "Pupil",
    description:
      "Changes a pupil's details and cohort flags (names, year group, form, gender, SEN provision, FSM, pupil premium, EAL, looked-after, social worker). Trust admins, and the academy's headteacher and academy admins (FORBIDDEN otherwise). Admissions and deletions are admitPupil and deleteFromRoll.",
    args: {
      input: t.arg({
        required: true,
        description: "What changes; what is left out stays.",
        type: builder.inputType("UpdatePupilInput", {
          description: "Changes to a pupil.",
          fields: (f) => ({
            pupilId: f.globalID({ required: true, description: "The pupil." }),
            legalForename: f.string({ required: false, description: "Legal forename (1 to 100 characters)." }),
            legalSurname: f.string({ required: false, description: "Legal surname (1 to 100 characters)." }),
            preferredForename: f.string({ required: false, description: "The forename they are known by; an empty string removes it." }),
            yearGroup: f.int({ required: false, description: "National Curriculum year: -1 nursery, 0 Reception, 1–13." }),
            formId: f.globalID({ required: false, description: "Their form, of their academy." }),
            gender: f.field({ type: GenderEnum, required: false, description: "Gender, for the census." }),
            senProvision: f.field({ type: SenProvisionEnum, required: false, description: "Special educational needs provision." }),
            freeSchoolMeals: f.boolean({ required: false, description: "Eligible for free school meals (FSM6)." }),
            pupilPremium: f.boolean({ required: false, description: "Attracts pupil premium funding." }),
            englishAdditionalLanguage: f.boolean({ required: false, description: "English is an additional language." }),
            lookedAfter: f.boolean({ required: false, description: "A looked-after child." }),
            hasSocialWorker: f.boolean({ required: false, description: "Has a social worker." }),
          }),
        }),
      }),
    },
    resolve: async (query, _root, { input }, ctx) => {
      const actor = staffActor(ctx, "You may not change this pupil.");
      const pupilId = idOf(input.pupilId, "Pupil");
      const pupil = pupilId ? await ctx.prisma.pupil.findFirst({ where: { id: pupilId, trustId: actor.trustId }, select: { id: true, academyId: true, anonymisedAt: true } }) : null;
      if (!pupil || !can(actor, "administer", pupil.academyId)) throw forbidden("You may not change this pupil.", { capabilities: ["administer"] });
      auditAcademy(ctx, pupil.academyId);
      if (pupil.anonymisedAt) throw conflict("This pupil was anonymised: their record is kept for statistics only.");
      const problems: InputProblem[] = [];
      const data: Prisma.PupilUncheckedUpdateInput = {};
      const legalForename = optionalName(input.legalForename, "legalForename", problems);
      if (legalForename !== undefined) data.legalForename = legalForename;
      const legalSurname = optionalName(input.legalSurname, "legalSurname", problems);
      if (legalSurname !== undefined) data.legalSurname = legalSurname;
      if (input.preferredForename != null) {
        const preferred = input.preferredForename.trim();
        if (preferred.length > NAME_MAX) problems.push({ field: "preferredForename", message: `At most ${NAME_MAX} characters.` });
        data.preferredForename = preferred || null;
      }
      if (input.yearGroup != null) {
        checkYearGroup(input.yearGroup, "yearGroup", problems);
        data.yearGroup = input.yearGroup;
      }
      if (input.formId != null) {
        const formId = idOf(input.formId, "Form");
        const form = formId ? await ctx.prisma.form.findFirst({ where: { id: formId, academyId: pupil.academyId }, select: { id: true } }) : null;
        if (!form) problems.push({ field: "formId", message: "Not a form of the pupil's academy." });
        else data.formId = form.id;
      }
      for (const key of ["gender", "senProvision", "freeSchoolMeals", "pupilPremium", "englishAdditionalLanguage", "lookedAfter", "hasSocialWorker"] as const) {
        if (input[key] != null) (data as Record<string, unknown>)[key] = input[key];
      }
      if (problems.length > 0) throw badInput("The pupil was not changed.", problems);
      await ctx.prisma.pupil.update({ where: { id: pupil.id }, data, select: { id: true } });
      return ctx.prisma.pupil.findUniqueOrThrow({ ...query, where: { id: pupil.id } });
    },
  }),
}));
