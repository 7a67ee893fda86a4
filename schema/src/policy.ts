// An academy's policy on a date: its layers' plugins, its trust's settings and
// its own saved through the API, resolved with provenance
// (packages/core/src/policy/contract.ts). What each academy's policy is made
// of is loaded once per request for every academy asked about (two SQL
// statements whatever their number), so a list of pupils with ladder fields or
// a trust-wide query costs the same number of statements at any size.
import DataLoader from "dataloader";
import {
  complianceFindings,
  isoDateOf,
  pluginsFor,
  pluginsInForce,
  policyView,
  resolvePolicy,
  type PolicyPlugin,
  type PolicyRegistry,
  type PolicySettings,
  type PolicyView,
  type ComplianceFinding,
  type ResolvedSetting,
  type SavedOverride,
  type SettingKey,
} from "@attendance/core";
import type { PrismaClient } from "@attendance/db";
import type { GraphQLContext } from "./context.ts";

interface PolicyInputs {
  plugins: PolicyPlugin[];
  saved: SavedOverride[];
}

/** The policy in force for one academy on one day. */
export interface AcademyPolicy {
  settings: Map<SettingKey, ResolvedSetting>;
  /** The settings as hooks read them. */
  view: PolicyView;
  /** The plugins in force that day, in layer order (to run their hooks). */
  plugins: PolicyPlugin[];
}

export type PolicyLoader = DataLoader<{ academyId: string; date: string }, AcademyPolicy, string>;

export function createPolicyLoader(prisma: PrismaClient, registry: PolicyRegistry): PolicyLoader {
  const inputs = new DataLoader<string, PolicyInputs>(async (ids) => {
    const academies = await prisma.academy.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, trustId: true, policyPlugin: true, trust: { select: { policyPlugin: true } }, localAuthority: { select: { policyPlugin: true } } },
    });
    const rows = await prisma.policySettings.findMany({
      where: {
        OR: [
          { layer: "ACADEMY_OVERRIDE", academyId: { in: [...ids] } },
          { layer: "TRUST", trustId: { in: [...new Set(academies.map((a) => a.trustId))] } },
        ],
      },
    });
    const saved = (row: (typeof rows)[number]): SavedOverride => ({
      id: row.id,
      layer: row.layer === "TRUST" ? "trustOverride" : "override",
      effectiveFrom: isoDateOf(row.effectiveFrom),
      settings: row.settings as PolicySettings,
      reason: row.reason,
      createdAt: row.createdAt,
    });
    return ids.map((id) => {
      const academy = academies.find((a) => a.id === id);
      if (!academy) return new Error(`No academy ${id}`);
      return {
        plugins: pluginsFor(registry, { academy: academy.policyPlugin, trust: academy.trust.policyPlugin, localAuthority: academy.localAuthority.policyPlugin }),
        saved: rows.filter((r) => r.academyId === id || (r.layer === "TRUST" && r.trustId === academy.trustId)).map(saved),
      };
    });
  });
  return new DataLoader(
    (keys) =>
      Promise.all(
        keys.map(async ({ academyId, date }) => {
          const { plugins, saved } = await inputs.load(academyId);
          const settings = resolvePolicy(plugins, date, saved);
          return { settings, view: policyView(settings), plugins: pluginsInForce(plugins, date) };
        }),
      ),
    { cacheKeyFn: (k) => `${k.academyId}/${k.date}` },
  );
}

export async function academyPolicy(ctx: GraphQLContext, academyId: string, date: string): Promise<Map<SettingKey, ResolvedSetting>> {
  return (await ctx.loaders.policy.load({ academyId, date })).settings;
}

/** Where an academy's policy in force on `date` departs from statutory guidance (nothing is changed: its own values apply). */
export async function academyCompliance(ctx: GraphQLContext, academyId: string, date: string): Promise<(ComplianceFinding & { academyId: string })[]> {
  const { settings, plugins } = await ctx.loaders.policy.load({ academyId, date });
  return complianceFindings(plugins, settings, date).map((f) => ({ ...f, academyId }));
}
