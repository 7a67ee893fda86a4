// The policy-plugin contract, in its first form: a plugin is a named object
// of settings for one layer, validated by a zod schema, citing the document
// its values come from. Layers compose national → local authority → trust →
// academy, later wins. (Issue 6 grows the settings, hooks and provenance.)
import { z } from "zod";
import { RegisterTimesSchema } from "./register-times.ts";

export const LAYERS = ["national", "localAuthority", "trust", "academy"] as const;
export type PolicyLayer = (typeof LAYERS)[number];

export const PolicySettingsSchema = z.object({
  /** Register times per session; absent: arrivals must be given a code by hand. */
  registerTimes: RegisterTimesSchema.optional(),
});

export type PolicySettings = z.infer<typeof PolicySettingsSchema>;

export interface PolicyPlugin {
  /** Unique, and the value of policyPlugin on the trust, LA or academy row. */
  name: string;
  layer: PolicyLayer;
  /** The document the values come from, e.g. "seed 001, section 8 Lateness". */
  source: string;
  settings: PolicySettings;
}

/** Validates a plugin's settings against the schema, so a bad plugin fails at start-up. */
export function definePolicyPlugin(plugin: PolicyPlugin): PolicyPlugin {
  return { ...plugin, settings: PolicySettingsSchema.parse(plugin.settings) };
}

/** The settings in force: each layer's values over the one before, session by session. */
export function resolvePolicy(plugins: readonly PolicyPlugin[]): PolicySettings {
  const ordered = [...plugins].sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer));
  const resolved: PolicySettings = {};
  for (const plugin of ordered) {
    const times = plugin.settings.registerTimes;
    if (times) resolved.registerTimes = { ...resolved.registerTimes, ...times };
  }
  return resolved;
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

/**
 * The settings in force for an academy, from its layers' plugins. A name with
 * no plugin yet (e.g. a local authority not yet written) contributes nothing.
 */
export function policyFor(registry: PolicyRegistry, names: PolicyNames, national: readonly PolicyPlugin[] = []): PolicySettings {
  const layers = [names.localAuthority, names.trust, names.academy].filter((n): n is string => n !== null && registry.has(n));
  return resolvePolicy([...national, ...layers.map((n) => registry.get(n)!)]);
}
