// The policy in force for an academy on a date, with the provenance of every
// value, and the academy's own overrides saved through the API (effective
// from a date, never overwriting history: a register taken last term is judged
// by last term's policy).
import {
  dateOfIso,
  attendanceRate,
  can,
  canInTrust,
  evaluateAbsenceLadder,
  evaluateLatenessLadder,
  isoDateOf,
  parseOverride,
  schoolYearOf,
  settingValue,
  academiesWhere,
  type AbsenceStepPosition,
  type Actor,
  type Capability,
  type ComplianceFinding,
  type LadderStepPosition,
  type Provenance,
  type ResolvedSetting,
} from "@attendance/core";
import type { Prisma } from "@attendance/db";
import { builder } from "../builder.ts";
import { badInput, forbidden, requiredText } from "../errors.ts";
import { academyCompliance, academyPolicy } from "../policy.ts";
import { visibleAcademyIds } from "../visibility.ts";
import { academyHalfTermOn } from "../workflows/calendar.ts";

/**
 * Settings that need more than read. Letter templates are the words an
 * academy sends a family about their child's absence: for the staff who work
 * cases, not for tutors or API clients (README "Access"; OWASP API Security
 * Top 10 (2023) API3, broken object property level authorization).
 */
const SETTING_NEEDS: Readonly<Record<string, Capability>> = { "letters.templates": "workCases" };

/** Whether the actor may read a setting of an academy (academyId null: a trust-wide setting, readable if they may in any academy). */
function mayReadSetting(actor: Actor | null, academyId: string | null, key: string): boolean {
  const need = SETTING_NEEDS[key];
  if (need === undefined) return true;
  return academyId === null ? academiesWhere(actor, need).length > 0 : can(actor, need, academyId);
}

const LAYER = {
  national: "NATIONAL", localAuthority: "LOCAL_AUTHORITY", trust: "TRUST", trustOverride: "TRUST_SETTINGS", academy: "ACADEMY", override: "OVERRIDE",
} as const;

const PolicyLayerEnum = builder.enumType("PolicyLayer", {
  description: "The layers of an academy's policy, in the order they compose (later wins, except statutory national values).",
  values: {
    NATIONAL: { description: "England's national rules." },
    LOCAL_AUTHORITY: { description: "The local authority's code of conduct." },
    TRUST: { description: "The trust's policy." },
    TRUST_SETTINGS: { description: "The trust's default settings saved through this API (before each academy's own policy)." },
    ACADEMY: { description: "The academy's own policy (its Appendix A)." },
    OVERRIDE: { description: "The academy's settings saved through this API." },
  },
});

const PolicyBasisEnum = builder.enumType("PolicyBasis", {
  description:
    "What a policy value rests on. Law and guidance are kept apart: a regulation is enforced; statutory guidance is advisory (an academy's published value applies, and a departure is a compliance finding); anything else is a local policy.",
  values: {
    REGULATION: { description: "A statutory instrument, e.g. The School Attendance (Pupil Registration) (England) Regulations 2024: enforced." },
    GUIDANCE: { description: "Statutory guidance, e.g. Working together to improve school attendance (DfE, August 2024): advisory." },
    POLICY: { description: "A local authority's code of conduct, a trust's or an academy's policy, or settings saved through this API." },
  },
});

const SourceRef = builder.objectRef<Provenance>("PolicySource");
SourceRef.implement({
  description: "Where a policy value comes from.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    layer: t.field({ type: PolicyLayerEnum, description: "The layer that set it.", resolve: (s) => LAYER[s.layer] }),
    plugin: t.exposeString("plugin", { description: "The plugin (or \"academy settings\" for an override)." }),
    document: t.exposeString("document", { description: "The document the value comes from." }),
    passage: t.exposeString("passage", { description: "The passage of the document (or the reason given for an override)." }),
    effectiveFrom: t.field({
      type: "Date",
      nullable: true,
      description: "From when it is in force (null: for as long as the plugin has been).",
      resolve: (s) => (s.effectiveFrom ? dateOfIso(s.effectiveFrom) : null),
    }),
    statutory: t.exposeBoolean("statutory", { description: "National law: no later layer may override it." }),
    basis: t.field({ type: PolicyBasisEnum, description: "What the value rests on: a regulation (enforced), statutory guidance (advisory) or a local policy.", resolve: (s) => s.basis }),
  }),
});

const ValueRef = builder.objectRef<{ value: unknown; source: Provenance }>("PolicyValue");
ValueRef.implement({
  description: "A value a layer set, and where it comes from.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    value: t.field({ type: "JSON", description: "The value.", resolve: (v) => v.value }),
    source: t.field({ type: SourceRef, description: "Where it comes from.", resolve: (v) => v.source }),
  }),
});

const SettingRef = builder.objectRef<ResolvedSetting>("PolicySetting");
SettingRef.implement({
  description: "One setting in force, where it comes from, and the values of other layers it replaced.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "The setting, e.g. \"registerTimes.AM\" or \"penaltyNotice.firstAmountWithin21Days\"." }),
    value: t.field({ type: "JSON", description: "The value in force.", resolve: (s) => s.value }),
    source: t.field({ type: SourceRef, description: "Where the value in force comes from.", resolve: (s) => s.source }),
    replaced: t.field({
      type: [ValueRef],
      description: "Values other layers set that this one replaced (e.g. a local authority's amounts that predate national law).",
      resolve: (s) => s.replaced,
    }),
  }),
});

interface EffectiveShape {
  academyId: string;
  date: string;
  settings: Map<string, ResolvedSetting>;
}

const EffectivePolicyRef = builder.objectRef<EffectiveShape>("EffectivePolicy");
EffectivePolicyRef.implement({
  description: "An academy's policy in force on a date, every value with its source.",
  authScopes: (p) => ({ academy: { academyId: p.academyId, capability: "read" } }),
  fields: (t) => ({
    academy: t.prismaField({
      type: "Academy",
      description: "The academy.",
      resolve: (query, p, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: p.academyId } }),
    }),
    date: t.field({ type: "Date", description: "The date it is in force on.", resolve: (p) => dateOfIso(p.date) }),
    settings: t.field({
      type: [SettingRef],
      description: "Every setting in force that you may read, by key (letter templates only for staff who work cases).",
      resolve: (p, _args, ctx) => [...p.settings.values()].filter((s) => mayReadSetting(ctx.actor, p.academyId, s.key)).sort((a, b) => a.key.localeCompare(b.key)),
    }),
    setting: t.field({
      type: SettingRef,
      nullable: true,
      description: "One setting by key; null if no layer sets it; null with FORBIDDEN for one you may not read (letter templates: staff who work cases).",
      args: { key: t.arg.string({ required: true, description: "The setting's key." }) },
      resolve: (p, args, ctx) => {
        if (!mayReadSetting(ctx.actor, p.academyId, args.key)) throw forbidden("Only staff who work cases may read this setting.", { capabilities: ["workCases"] });
        return p.settings.get(args.key) ?? null;
      },
    }),
  }),
});

async function effective(ctx: Parameters<typeof academyPolicy>[0], urn: number, date: Date | null | undefined, capability: "read" | "configureAcademy") {
  const academy = await ctx.prisma.academy.findUnique({ where: { urn }, select: { id: true } });
  if (!academy || !can(ctx.actor, capability, academy.id)) throw forbidden("You may not see or change this academy's policy.", { capabilities: [capability] });
  const day = isoDateOf(date ?? new Date());
  return { academyId: academy.id, date: day, settings: await academyPolicy(ctx, academy.id, day) };
}

builder.queryFields((t) => ({
  effectivePolicy: t.field({
    type: EffectivePolicyRef,
    description: "An academy's policy in force on a date (default today): national → local authority → trust → academy → its own overrides, each value with its source.",
    args: {
      academyUrn: t.arg.int({ required: true, description: "The academy's URN." }),
      date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }),
    },
    resolve: (_root, args, ctx) => effective(ctx, args.academyUrn, args.date, "read"),
  }),
}));

builder.mutationFields((t) => ({
  setAcademyPolicy: t.field({
    type: EffectivePolicyRef,
    description:
      "Saves the academy's own settings, in force from a date. Earlier dates keep the policy they had. Each value is checked against the setting's schema; any bad value refuses the whole change (BAD_USER_INPUT with the reasons) and nothing is saved. Headteachers and academy admins only.",
    args: {
      input: t.arg({
        type: builder.inputType("SetAcademyPolicyInput", {
          description: "Settings for one academy from a date.",
          fields: (f) => ({
            academyUrn: f.int({ required: true, description: "The academy's URN." }),
            effectiveFrom: f.field({ type: "Date", required: true, description: "From when (inclusive)." }),
            settings: f.field({ type: "JSON", required: true, description: "Settings by key, e.g. {\"registerTimes.AM\": {\"starts\": \"08:40\", \"lateAfter\": \"08:40\", \"closes\": \"09:05\"}}." }),
            reason: f.string({ required: true, description: "Why (kept with the change, 1 to 500 characters)." }),
          }),
        }),
        required: true,
        description: "The change.",
      }),
    },
    resolve: async (_root, { input }, ctx) => {
      const academy = await ctx.prisma.academy.findUnique({ where: { urn: input.academyUrn }, select: { id: true } });
      if (!academy || !can(ctx.actor, "configureAcademy", academy.id)) throw forbidden("You may not configure this academy.", { capabilities: ["configureAcademy"] });
      await ctx.prisma.policySettings.create({
        data: { layer: "ACADEMY_OVERRIDE", academyId: academy.id, ...validatedChange(input, ctx) },
      });
      return effective(ctx, input.academyUrn, input.effectiveFrom, "configureAcademy");
    },
  }),
}));

/** The settings and reason of a change, checked against the settings' schemas; BAD_USER_INPUT with every problem otherwise. */
function validatedChange(input: { settings?: unknown; reason: string; effectiveFrom: Date }, ctx: Parameters<typeof academyPolicy>[0]) {
  const raw = input.settings;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || Object.keys(raw).length === 0) {
    throw badInput("settings must be an object of one or more settings by key.", [{ field: "settings", message: "not an object of settings" }]);
  }
  const { settings, problems } = parseOverride(raw as Record<string, unknown>);
  const reason = requiredText(input.reason, "reason", 500, problems);
  if (problems.length > 0) throw badInput("The settings were not saved.", problems.map((p) => ({ field: p.field === "reason" ? "reason" : `settings.${p.field}`, message: p.message })));
  return {
    settings: settings as Prisma.InputJsonValue,
    effectiveFrom: input.effectiveFrom,
    reason,
    createdById: ctx.actor!.kind === "user" ? ctx.actor!.id : null,
  };
}

const TrustPolicyInput = builder.inputType("SetTrustPolicyInput", {
  description: "Default settings for every academy of a trust from a date (an academy's own policy and settings still win).",
  fields: (f) => ({
    trustSlug: f.string({ required: true, description: "The trust's slug." }),
    effectiveFrom: f.field({ type: "Date", required: true, description: "From when (inclusive)." }),
    settings: f.field({ type: "JSON", required: true, description: "Settings by key, e.g. {\"attendanceTarget\": 0.96}." }),
    reason: f.string({ required: true, description: "Why (kept with the change, 1 to 500 characters)." }),
  }),
});

builder.mutationFields((t) => ({
  setTrustPolicy: t.prismaField({
    type: "Trust",
    description:
      "Saves the trust's default settings, in force from a date, for every academy of the trust: after the trust's own policy document and before each academy's policy and settings. Checked like setAcademyPolicy; nothing is saved on any problem. Trust admins and attendance leads of that trust only.",
    args: { input: t.arg({ type: TrustPolicyInput, required: true, description: "The change." }) },
    resolve: async (query, _root, { input }, ctx) => {
      const trust = await ctx.prisma.trust.findUnique({ where: { slug: input.trustSlug }, select: { id: true } });
      if (!trust || !canInTrust(ctx.actor, "setTrustDefaults", trust.id)) throw forbidden("You may not set this trust's defaults.", { trustCapability: "setTrustDefaults" });
      await ctx.prisma.policySettings.create({ data: { layer: "TRUST", trustId: trust.id, ...validatedChange(input, ctx) } });
      return ctx.prisma.trust.findUniqueOrThrow({ ...query, where: { id: trust.id } });
    },
  }),
}));

builder.prismaObjectFields("Trust", (t) => ({
  policyChanges: t.relation("policySettings", {
    description: "The trust's default settings saved through the API, newest first: none is ever changed or deleted.",
    query: { where: { layer: "TRUST" }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] },
  }),
}));

// ─── Comparing academies' policies ────────────────────────────────────────────

interface ComparedValue {
  academyId: string;
  setting: ResolvedSetting | undefined;
}

const ComparedValueRef = builder.objectRef<ComparedValue>("ComparedPolicyValue");
ComparedValueRef.implement({
  description: "One academy's value of a setting.",
  authScopes: (v) => ({ academy: { academyId: v.academyId, capability: "read" } }),
  fields: (t) => ({
    academy: t.prismaField({
      type: "Academy",
      description: "The academy.",
      resolve: (query, v, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: v.academyId } }),
    }),
    value: t.field({ type: "JSON", nullable: true, description: "Its value; null if no layer sets it.", resolve: (v) => v.setting?.value ?? null }),
    source: t.field({ type: SourceRef, nullable: true, description: "Where the value comes from.", resolve: (v) => v.setting?.source ?? null }),
  }),
});

const ComparisonRowRef = builder.objectRef<{ key: string; values: ComparedValue[] }>("PolicyComparisonRow");
ComparisonRowRef.implement({
  description: "One setting across several academies.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    key: t.exposeString("key", { description: "The setting." }),
    differs: t.boolean({
      description: "Whether the academies' values differ.",
      resolve: (row) => new Set(row.values.map((v) => JSON.stringify(v.setting?.value ?? null))).size > 1,
    }),
    values: t.field({ type: [ComparedValueRef], description: "Each academy's value, in the order asked.", resolve: (row) => row.values }),
  }),
});

builder.queryFields((t) => ({
  comparePolicies: t.field({
    type: [ComparisonRowRef],
    description: "Several academies' policies side by side on a date (default today), each academy under its own layers; rows that differ are marked. Every academy must be one you may see; a setting you may not read in all of them (letter templates) is left out.",
    args: {
      academyUrns: t.arg.intList({ required: true, description: "The academies' URNs (at most 100)." }),
      date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }),
    },
    resolve: async (_root, args, ctx) => {
      if (args.academyUrns.length === 0 || args.academyUrns.length > 100) throw badInput("Give 1 to 100 academies.");
      const policies = await Promise.all(args.academyUrns.map((urn) => effective(ctx, urn, args.date, "read")));
      const keys = [...new Set(policies.flatMap((p) => [...p.settings.keys()]))]
        .filter((key) => policies.every((p) => mayReadSetting(ctx.actor, p.academyId, key)))
        .sort();
      return keys.map((key) => ({ key, values: policies.map((p) => ({ academyId: p.academyId, setting: p.settings.get(key) })) }));
    },
  }),
}));

// ─── Evaluation: a pupil on the lateness ladder ───────────────────────────────

const LadderPositionRef = builder.objectRef<LadderStepPosition>("LatenessLadderStep");
LadderPositionRef.implement({
  description: "A step of the academy's lateness ladder and where the pupil stands on it.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    lates: t.exposeInt("lates", { description: "Lates that reach this step." }),
    per: t.exposeString("per", { description: "WEEK or HALF_TERM: the period they are counted in." }),
    action: t.exposeString("action", { description: "What the step leads to." }),
    count: t.exposeInt("count", { description: "The pupil's lates (L or U) in the period, up to the date." }),
    from: t.field({ type: "Date", description: "The period's first day.", resolve: (s) => dateOfIso(s.from) }),
    to: t.field({ type: "Date", description: "The period's last day.", resolve: (s) => dateOfIso(s.to) }),
    reached: t.exposeBoolean("reached", { description: "Whether the pupil has reached this step." }),
    reason: t.exposeString("reason", { description: "Why, in words." }),
  }),
});

builder.prismaObjectField("Pupil", "latenessLadder", (t) =>
  t.field({
    type: [LadderPositionRef],
    nullable: true,
    description: "Where the pupil stands on their academy's lateness ladder on a date (null if its policy has none), with the actions due and why.",
    args: { asOf: t.arg({ type: "Date", required: true, description: "The date." }) },
    select: { academyId: true },
    resolve: async (pupil, args, ctx) => {
      const date = isoDateOf(args.asOf);
      const ladder = settingValue(await academyPolicy(ctx, pupil.academyId, date), "latenessLadder");
      if (!ladder) return null;
      const day = dateOfIso(date);
      const term = await academyHalfTermOn(ctx.prisma, pupil.academyId, date);
      const earliest = new Date(Math.min(day.getTime() - 7 * 86_400_000, term ? dateOfIso(term.start).getTime() : Infinity));
      const lates = await ctx.prisma.currentMark.findMany({
        where: { pupilId: pupil.id, academyId: pupil.academyId, code: { in: ["L", "U"] }, date: { gte: earliest, lte: day } },
        select: { date: true },
      });
      return evaluateLatenessLadder(
        ladder,
        lates.map((m) => isoDateOf(m.date)),
        date,
        term ? { start: term.start, end: term.end } : undefined,
      );
    },
  }),
);

// ─── Evaluation: a pupil on the absence ladder ────────────────────────────────

const AbsenceStepRef = builder.objectRef<AbsenceStepPosition>("AbsenceLadderStep");
AbsenceStepRef.implement({
  description: "A step of the academy's absence ladder and whether the pupil has reached it.",
  authScopes: { authenticated: true },
  fields: (t) => ({
    below: t.exposeFloat("below", { description: "Cumulative attendance below this (0–1) reaches the step (at or below it, where atOrBelow)." }),
    atOrBelow: t.boolean({
      description: "Whether attendance exactly at `below` reaches the step too: true for the national floor, whose persistent (10%+ missed) and severe (50%+) definitions count the boundary.",
      resolve: (s) => s.inclusive ?? false,
    }),
    actions: t.exposeStringList("actions", { description: "What the step leads to." }),
    reached: t.exposeBoolean("reached", { description: "Whether the pupil has reached it." }),
    reason: t.exposeString("reason", { description: "Why, in words." }),
  }),
});

builder.prismaObjectField("Pupil", "absenceLadder", (t) =>
  t.field({
    type: [AbsenceStepRef],
    nullable: true,
    description: "Where the pupil stands on their academy's absence ladder on a date, by their attendance this school year so far (null if its policy has none).",
    args: { asOf: t.arg({ type: "Date", required: true, description: "The date." }) },
    select: { academyId: true },
    resolve: async (pupil, args, ctx) => {
      const date = isoDateOf(args.asOf);
      const ladder = settingValue(await academyPolicy(ctx, pupil.academyId, date), "absenceLadder");
      if (!ladder) return null;
      const [f] = await ctx.loaders.statistics.load({ kind: "PUPIL", id: pupil.id, from: schoolYearOf(date).start, to: date, cohort: {}, by: "TOTAL" });
      return evaluateAbsenceLadder(ladder, f ? attendanceRate(f) : null);
    },
  }),
);

// ─── On the academy: its policy, and the history of its own settings ──────────

builder.prismaObjectFields("Academy", (t) => ({
  policy: t.field({
    type: EffectivePolicyRef,
    description: "The academy's policy in force on a date (default today), each value with its source: a trust-wide query evaluates each academy under its own layers.",
    args: { date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }) },
    resolve: async (academy, args, ctx) => {
      const day = isoDateOf(args.date ?? new Date());
      return { academyId: academy.id, date: day, settings: await academyPolicy(ctx, academy.id, day) };
    },
  }),
  policyChanges: t.relation("policySettings", {
    description: "The academy's own settings saved through the API, newest first: none is ever changed or deleted.",
    query: { where: { layer: "ACADEMY_OVERRIDE" }, orderBy: [{ createdAt: "desc" }, { id: "asc" }] },
  }),
}));

builder.prismaObject("PolicySettings", {
  name: "PolicyChange",
  description: "Settings an academy (or a trust, for all its academies) saved through the API, in force from a date.",
  authScopes: (change) => (change.academyId ? { academy: { academyId: change.academyId, capability: "read" } } : { memberOfTrust: change.trustId ?? "" }),
  fields: (t) => ({
    effectiveFrom: t.expose("effectiveFrom", { type: "Date", description: "From when they are in force." }),
    settings: t.field({
      type: "JSON",
      description: "The settings you may read, by key (letter templates only for staff who work cases).",
      resolve: (c, _args, ctx) => {
        const all = (c.settings ?? {}) as Record<string, unknown>;
        return Object.fromEntries(Object.entries(all).filter(([key]) => mayReadSetting(ctx.actor, c.academyId, key)));
      },
    }),
    reason: t.exposeString("reason", { nullable: true, description: "Why they were changed." }),
    createdAt: t.expose("createdAt", { type: "DateTime", description: "When they were saved." }),
    createdBy: t.string({
      nullable: true,
      description: "Who saved them (null for an API client: see the audit log).",
      select: { createdBy: { select: { displayName: true } } },
      resolve: (c) => c.createdBy?.displayName ?? null,
    }),
  }),
});

// ─── Compliance with statutory guidance ───────────────────────────────────────
// An advisory limit never replaces an academy's published value (Working
// together to improve school attendance is guidance; the 2024 Regulations,
// reg. 10(2), leave register times to the school). Each departure is a
// finding instead, readable by whoever may read the academy's policy.

const ComplianceFindingRef = builder.objectRef<ComplianceFinding & { academyId: string }>("ComplianceFinding");
ComplianceFindingRef.implement({
  description: "Where an academy's policy in force departs from statutory guidance. Nothing is changed: the academy's value applies.",
  authScopes: (f) => ({ academy: { academyId: f.academyId, capability: "read" } }),
  fields: (t) => ({
    academy: t.prismaField({
      type: "Academy",
      description: "The academy.",
      resolve: (query, f, _args, ctx) => ctx.prisma.academy.findUniqueOrThrow({ ...query, where: { id: f.academyId } }),
    }),
    rule: t.exposeString("rule", { description: "The guidance rule, e.g. \"registerTimes.openAtMost30Minutes\"." }),
    setting: t.exposeString("key", { description: "The setting that departs, e.g. \"registerTimes.AM\"." }),
    basis: t.field({ type: PolicyBasisEnum, description: "What the rule rests on: always GUIDANCE (the law is enforced, not reported).", resolve: (f) => f.basis }),
    source: t.exposeString("source", { description: "The guidance, by title and paragraph or part." }),
    guidanceValue: t.field({ type: "JSON", description: "What the guidance expects.", resolve: (f) => f.guidanceValue }),
    academyValue: t.field({ type: "JSON", description: "What the academy's policy says, and what applies.", resolve: (f) => f.academyValue }),
    academySource: t.field({ type: SourceRef, nullable: true, description: "Where the academy's value comes from.", resolve: (f) => f.academySource ?? null }),
    date: t.field({ type: "Date", description: "The date the policy was evaluated on.", resolve: (f) => dateOfIso(f.date) }),
    message: t.exposeString("message", { description: "The departure in words." }),
  }),
});

const complianceDate = (date: Date | null | undefined) => isoDateOf(date ?? new Date());

builder.prismaObjectFields("Academy", (t) => ({
  policyCompliance: t.field({
    type: [ComplianceFindingRef],
    description:
      "Where the academy's policy in force on a date (default today) departs from statutory guidance: the rule, the guidance passage, the guidance's and the academy's values. The academy's published values apply; these are findings, not changes.",
    args: { date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }) },
    resolve: (academy, args, ctx) => academyCompliance(ctx, academy.id, complianceDate(args.date)),
  }),
}));

builder.prismaObjectFields("Trust", (t) => ({
  policyCompliance: t.field({
    type: [ComplianceFindingRef],
    description:
      "Findings of every academy of the trust that you may read, on a date (default today), by academy name then rule: where each academy's policy departs from statutory guidance. One policy load for all of them.",
    args: { date: t.arg({ type: "Date", required: false, description: "The date (default: today)." }) },
    resolve: async (trust, args, ctx) => {
      const day = complianceDate(args.date);
      const academies = await ctx.prisma.academy.findMany({
        where: { trustId: trust.id, id: { in: visibleAcademyIds(ctx.actor) } },
        select: { id: true },
        orderBy: [{ name: "asc" }, { id: "asc" }],
      });
      const findings = await Promise.all(academies.map((a) => academyCompliance(ctx, a.id, day)));
      return findings.flat();
    },
  }),
}));
