// The policy-plugin contract. A plugin is a named object for one layer that
// sets some settings, each with the document passage it comes from, in force
// between two dates. Layers compose national → local authority → trust →
// academy → the academy's own overrides saved through the API; later wins,
// except that a national setting marked statutory wins over every layer from
// its effective date (the API shows the values it beat). Every resolved value
// carries its provenance: layer, plugin, document, passage, effective date,
// and what it rests on (basis).
//
// Law and guidance are kept apart. A national value rests either on a
// regulation (enforced: it may be statutory and win) or on statutory guidance
// (advisory: schools follow "Working together to improve school attendance"
// (DfE, August 2024) unless they have good reason to depart from it; it does
// not replace what a school publishes). An advisory limit therefore never changes a value: it is a
// guidance rule that reports a compliance finding where the academy's value
// departs from it, and the academy's published value applies. The 2024
// Regulations define L and U by "before/after the taking of the register has
// ended" (SI 2024/208, reg. 10(2), table 1) and leave the time to the school.
import { z } from "zod";
import { ClockTimeSchema, SessionTimesSchema } from "./register-times.ts";
import { AbsenceStepSchema, LadderStepSchema } from "./lateness-ladder.ts";
import { LeaveFormSchema } from "../leave/form.ts";
import { LetterTemplatesSchema } from "../letters/merge.ts";
import type { PolicyHooks } from "./hooks.ts";

/**
 * The layers, in the order they compose. "trustOverride" is the trust's
 * defaults saved through the API (after its plugin, before its academies);
 * "override" is the academy's own settings saved through the API.
 */
export const LAYERS = ["national", "localAuthority", "trust", "trustOverride", "academy", "override"] as const;
export type PolicyLayer = (typeof LAYERS)[number];

const pounds = z.number().int().min(0).max(10_000);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");
const fraction = z.number().min(0).max(1);

/**
 * Every setting a plugin may set, by name, with its schema. Flat dotted names
 * so that each value has one source.
 */
export const SETTINGS = {
  /** Morning register times. */
  "registerTimes.AM": SessionTimesSchema,
  /** Afternoon register times. */
  "registerTimes.PM": SessionTimesSchema,
  /**
   * How many days ahead of today a register may be entered (default 0, see
   * DEFAULT_MAX_DAYS_AHEAD: SI 2024/208 reg. 10(1) has registers taken at the session).
   */
  "registers.maxDaysAhead": z.number().int().min(0).max(31),
  /** Whole-school attendance target or minimum expected, as a fraction (0.96 for 96%). */
  attendanceTarget: fraction,
  /** Leave of absence is unlikely to be authorised below this attendance (fraction). */
  "leave.unlikelyBelowAttendance": fraction,
  /** Unauthorised sessions that make a penalty notice to be considered. */
  "penaltyNotice.thresholdSessions": z.number().int().min(1).max(100),
  /** …within a rolling period of this many school weeks. */
  "penaltyNotice.windowSchoolWeeks": z.number().int().min(1).max(52),
  /** Does lateness after the register closes (U) count towards the threshold as well as G, N, O? */
  "penaltyNotice.countsLateness": z.boolean(),
  /** First notice: amount if paid within 21 days (£). */
  "penaltyNotice.firstAmountWithin21Days": pounds,
  /** First notice: amount if paid within 28 days (£). */
  "penaltyNotice.firstAmountWithin28Days": pounds,
  /** Second notice to the same parent for the same child within three years (£). */
  "penaltyNotice.secondAmount": pounds,
  /** Most notices to one parent for one child within three years. */
  "penaltyNotice.maxInThreeYears": z.number().int().min(0).max(10),
  /** What follows a late arrival, by when it happened: before the register closed (LATE) or after (AFTER_CLOSE). */
  "lateness.consequences": z.array(z.object({ when: z.enum(["LATE", "AFTER_CLOSE"]), action: z.string().min(1).max(200) })).min(1),
  /** When parents should telephone about an unplanned absence (local times). */
  "absenceReporting.window": z
    .object({ from: ClockTimeSchema, to: ClockTimeSchema })
    .refine((w) => w.from <= w.to, { message: "the window must start before it ends" }),
  /** Rewards for attendance only at group level (class or year), never to individual pupils. */
  "rewards.groupOnly": z.boolean(),
  /** Individual pupils meeting this attendance (fraction) are rewarded each half term. */
  "rewards.individualExpectation": fraction,
  /** Steps of the absence ladder: cumulative attendance below a level → actions. */
  absenceLadder: z.array(AbsenceStepSchema).min(1),
  /** Steps of the lateness ladder: so many lates in a week or half term → an action. */
  latenessLadder: z.array(LadderStepSchema).min(1),
  /** Days (calendar) an escalation action is due in, counted from the day it is raised. */
  "escalation.actionDueDays": z.number().int().min(0).max(60),
  /** The fields of the academy's leave-of-absence request form. */
  "leave.form": LeaveFormSchema,
  /** Letter templates by key, with merge fields «name» (an unknown field is refused). */
  "letters.templates": LetterTemplatesSchema,
  /** Who parents and the local authority contact, by role (names and numbers are the academy's own settings). */
  contacts: z
    .array(
      z.object({
        role: z.string().min(1).max(100),
        name: z.string().min(1).max(200).optional(),
        telephone: z.string().regex(/^[0-9 +()-]{6,20}$/, "a telephone number of digits, spaces and + ( ) -").optional(),
        email: z.email().optional(),
      }),
    )
    .min(1),
  /** Unexplained absence followed up day by day: after so many consecutive school days, this is done. */
  "missingEducation.steps": z
    .array(z.object({ afterSchoolDays: z.number().int().min(1).max(60), action: z.string().min(1).max(300), by: z.string().min(1).max(100) }))
    .min(1),
  /** Dates of public exams and formal assessments published in advance (for local authorities that treat absence on them as a trigger). */
  "calendar.publicExamDates": z.array(isoDate).max(200),
  /** The improvement period of a notice to improve, in school weeks, as the local authority sets it. */
  "penaltyNotice.improvementPeriodSchoolWeeks": z.number().int().min(1).max(12),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = z.infer<(typeof SETTINGS)[K]>;
export type PolicySettings = { [K in SettingKey]?: SettingValue<K> };

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}

/**
 * What a value rests on: REGULATION (a statutory instrument: enforced),
 * GUIDANCE (statutory guidance: advisory, departures are reported as
 * findings), POLICY (a local authority's code, a trust's or an academy's own
 * policy, or settings saved through the API).
 */
export const BASES = ["REGULATION", "GUIDANCE", "POLICY"] as const;
export type Basis = (typeof BASES)[number];

/** A value and the passage of the plugin's document it comes from. */
export interface Cited<T> {
  value: T;
  passage: string;
  /** National values only, and required there: the law (REGULATION) or statutory guidance (GUIDANCE) it rests on. */
  basis?: "REGULATION" | "GUIDANCE";
}

export interface PolicyPluginInput {
  /** Unique, and the value of policyPlugin on the trust, LA or academy row. */
  name: string;
  layer: Exclude<PolicyLayer, "override" | "trustOverride">;
  /** The document, e.g. "St James CE Primary School, Attendance Policy (September 2023), seed 001". */
  document: string;
  /** First date the plugin is in force (inclusive); undefined: always was. */
  effectiveFrom?: string;
  /** Last date it is in force (inclusive); undefined: still is. */
  effectiveTo?: string;
  settings: { [K in SettingKey]?: Cited<SettingValue<K>> };
  /** Settings that no later layer may override while this plugin is in force: national law (basis REGULATION) only. */
  statutory?: readonly SettingKey[];
  /**
   * Expectations of statutory guidance on values other layers set (e.g. a
   * register open no longer than 30 minutes). Advisory: they never change a
   * value; each departure is a compliance finding.
   */
  guidance?: readonly GuidanceRule[];
  /** The plugin's decision functions (hooks.ts), run in layer order with every other plugin's. */
  hooks?: PolicyHooks;
}

/** An expectation of statutory guidance, checked against the settings in force. */
export interface GuidanceRule {
  /** A stable name, e.g. "registerTimes.openAtMost30Minutes". */
  rule: string;
  /** The guidance by title and paragraph (never internal notes). */
  source: string;
  /** The departures of the settings in force from the guidance; empty when they follow it. Never changes a value. */
  check: (settings: ReadonlyMap<SettingKey, ResolvedSetting>) => GuidanceDeparture[];
}

/** Where a setting in force departs from a guidance rule. */
export interface GuidanceDeparture {
  /** The setting that departs. */
  key: SettingKey;
  /** What the guidance expects. */
  guidanceValue: unknown;
  /** What the academy's policy says (and what applies). */
  academyValue: unknown;
  /** The departure in words. */
  message: string;
}

/** A departure from guidance on a date, with the rule and the guidance passage. */
export interface ComplianceFinding extends GuidanceDeparture {
  rule: string;
  /** Always GUIDANCE: the law is enforced, so it has no findings. */
  basis: "GUIDANCE";
  source: string;
  /** The plugin whose guidance rule it is. */
  plugin: string;
  date: string;
  /** Where the academy's value comes from (undefined if no layer sets it). */
  academySource: Provenance | undefined;
}

/** Internal design notes are not a source: a value cites its instrument and paragraph. */
const INTERNAL_NOTES = /DESIGN\.md|design notes/i;

export type PolicyPlugin = Readonly<PolicyPluginInput>;

/** Checks every value against its schema, so that a bad plugin fails at start-up with the zod message. */
export function definePolicyPlugin(plugin: PolicyPluginInput): PolicyPlugin {
  const settings: Record<string, Cited<unknown>> = {};
  if (INTERNAL_NOTES.test(plugin.document)) throw new Error(`${plugin.name}: the document cites internal notes; cite the instrument or policy`);
  for (const [key, entry] of Object.entries(plugin.settings)) {
    const cited = entry as Cited<unknown>;
    if (!isSettingKey(key)) throw new Error(`${plugin.name}: unknown setting ${key}`);
    const parsed = SETTINGS[key].safeParse(cited.value);
    if (!parsed.success) throw new Error(`${plugin.name}: ${key}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
    if (INTERNAL_NOTES.test(cited.passage)) throw new Error(`${plugin.name}: ${key}: the passage cites internal notes; cite the instrument and paragraph`);
    if (plugin.layer === "national" && cited.basis === undefined) throw new Error(`${plugin.name}: ${key}: a national value needs a basis (REGULATION or GUIDANCE)`);
    if (plugin.layer !== "national" && cited.basis !== undefined) throw new Error(`${plugin.name}: ${key}: only national values rest on law or guidance; a local document is POLICY`);
    settings[key] = { value: parsed.data, passage: cited.passage, ...(cited.basis ? { basis: cited.basis } : {}) };
  }
  for (const key of plugin.statutory ?? []) {
    if (!(key in settings)) throw new Error(`${plugin.name}: statutory ${key} has no value`);
    // Guidance is advisory: only the law may win over a later layer.
    if (settings[key]!.basis !== "REGULATION") throw new Error(`${plugin.name}: statutory ${key} must rest on a regulation, not guidance`);
  }
  for (const rule of plugin.guidance ?? []) {
    if (INTERNAL_NOTES.test(rule.source)) throw new Error(`${plugin.name}: guidance rule ${rule.rule} cites internal notes; cite the guidance and paragraph`);
  }
  return { ...plugin, settings: settings as PolicyPluginInput["settings"] };
}

/**
 * Overrides saved through the API: settings validated here, with the zod
 * message for each bad value. Returns the problems, or the parsed settings.
 */
export function parseOverride(input: Record<string, unknown>): { settings: PolicySettings; problems: { field: string; message: string }[] } {
  const settings: Record<string, unknown> = {};
  const problems: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (!isSettingKey(key)) {
      problems.push({ field: key, message: `Unknown setting. Known: ${Object.keys(SETTINGS).join(", ")}` });
      continue;
    }
    const parsed = SETTINGS[key].safeParse(value);
    if (parsed.success) settings[key] = parsed.data;
    else problems.push(...parsed.error.issues.map((i) => ({ field: [key, ...i.path.map(String)].join("."), message: i.message })));
  }
  return { settings: settings as PolicySettings, problems };
}

/** Where a resolved value comes from. */
export interface Provenance {
  layer: PolicyLayer;
  plugin: string;
  document: string;
  passage: string;
  effectiveFrom: string | undefined;
  statutory: boolean;
  /** What the value rests on: a regulation, statutory guidance, or a local policy. */
  basis: Basis;
}

export interface ResolvedSetting {
  key: SettingKey;
  value: unknown;
  source: Provenance;
  /** Values of earlier layers (or later ones, beaten by a statutory value) that this one replaced. */
  replaced: { value: unknown; source: Provenance }[];
}

/** Settings saved through the API: a trust's defaults or an academy's own. */
export interface SavedOverride {
  id: string;
  /** "trustOverride" for a trust's defaults; "override" (the default) for an academy's own. */
  layer?: "trustOverride" | "override";
  effectiveFrom: string;
  settings: PolicySettings;
  reason: string | null;
  createdAt: Date;
}

function inForce(plugin: PolicyPlugin, date: string): boolean {
  return (plugin.effectiveFrom === undefined || plugin.effectiveFrom <= date) && (plugin.effectiveTo === undefined || date <= plugin.effectiveTo);
}

/**
 * The settings in force on `date` from the plugins of an academy's layers and
 * its saved overrides (the latest effective on that date, each key on its
 * own), in the fixed layer order, with provenance.
 */
export function resolvePolicy(plugins: readonly PolicyPlugin[], date: string, overrides: readonly SavedOverride[] = []): Map<SettingKey, ResolvedSetting> {
  type Candidate = { value: unknown; source: Provenance };
  const candidates = new Map<SettingKey, Candidate[]>();
  const add = (key: SettingKey, c: Candidate) => candidates.set(key, [...(candidates.get(key) ?? []), c]);
  const ordered = pluginsInForce(plugins, date);
  // Saved settings in force: effective by `date`, oldest first within a layer, so the latest wins.
  const saved = overrides
    .filter((o) => o.effectiveFrom <= date)
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.createdAt.getTime() - b.createdAt.getTime());
  const savedIn = (layer: "trustOverride" | "override") => saved.filter((o) => (o.layer ?? "override") === layer);
  for (const layer of LAYERS) {
    if (layer === "override" || layer === "trustOverride") {
      for (const o of savedIn(layer)) {
        for (const [key, value] of Object.entries(o.settings) as [SettingKey, unknown][]) {
          add(key, {
            value,
            source: {
              layer, plugin: layer === "override" ? "academy settings" : "trust settings", document: `saved through the API (${o.id})`,
              passage: o.reason ?? "", effectiveFrom: o.effectiveFrom, statutory: false, basis: "POLICY",
            },
          });
        }
      }
      continue;
    }
    for (const plugin of ordered.filter((p) => p.layer === layer)) {
      for (const [key, cited] of Object.entries(plugin.settings) as [SettingKey, Cited<unknown>][]) {
        add(key, {
          value: cited.value,
          source: {
            layer: plugin.layer, plugin: plugin.name, document: plugin.document, passage: cited.passage,
            effectiveFrom: plugin.effectiveFrom, statutory: plugin.statutory?.includes(key) ?? false,
            basis: cited.basis ?? "POLICY",
          },
        });
      }
    }
  }
  const resolved = new Map<SettingKey, ResolvedSetting>();
  for (const [key, list] of candidates) {
    const statutory = list.filter((c) => c.source.statutory);
    const winner = statutory.at(-1) ?? list.at(-1)!;
    resolved.set(key, { key, value: winner.value, source: winner.source, replaced: list.filter((c) => c !== winner) });
  }
  return resolved;
}

/**
 * Where the settings in force depart from the guidance rules of the plugins in
 * force (`inForce` as pluginsInForce gives them), on `date`. The values are
 * not changed: the academy's published value applies.
 */
export function complianceFindings(inForce: readonly PolicyPlugin[], settings: ReadonlyMap<SettingKey, ResolvedSetting>, date: string): ComplianceFinding[] {
  return inForce.flatMap((plugin) =>
    (plugin.guidance ?? []).flatMap((rule) =>
      rule.check(settings).map((d) => ({
        ...d, rule: rule.rule, basis: "GUIDANCE" as const, source: rule.source, plugin: plugin.name, date, academySource: settings.get(d.key)?.source,
      })),
    ),
  );
}

/** The plugins in force on `date`, in layer order (national first). */
export function pluginsInForce(plugins: readonly PolicyPlugin[], date: string): PolicyPlugin[] {
  return plugins.filter((p) => inForce(p, date)).sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer));
}

/** Every known plugin by name. */
export type PolicyRegistry = ReadonlyMap<string, PolicyPlugin>;

export function policyRegistry(plugins: readonly PolicyPlugin[]): PolicyRegistry {
  const registry = new Map<string, PolicyPlugin>();
  for (const plugin of plugins) {
    if (registry.has(plugin.name)) throw new Error(`Two policy plugins are called ${plugin.name}`);
    registry.set(plugin.name, plugin);
  }
  return registry;
}

/** The plugin names an academy's rows carry (null where a layer has none). */
export interface PolicyNames {
  localAuthority: string | null;
  trust: string | null;
  academy: string | null;
}

/** Plugins named "national…" apply to every academy. */
export function pluginsFor(registry: PolicyRegistry, names: PolicyNames): PolicyPlugin[] {
  const national = [...registry.values()].filter((p) => p.layer === "national");
  const named = [names.localAuthority, names.trust, names.academy]
    .filter((n): n is string => n !== null && registry.has(n))
    .map((n) => registry.get(n)!);
  return [...national, ...named];
}

/** The value of one setting in force, or undefined. */
export function settingValue<K extends SettingKey>(resolved: Map<SettingKey, ResolvedSetting>, key: K): SettingValue<K> | undefined {
  return resolved.get(key)?.value as SettingValue<K> | undefined;
}
