// An academy's policy on a date: its layers' plugins and its saved overrides,
// resolved with provenance (packages/core/src/policy/contract.ts).
import { isoDateOf, pluginsFor, resolvePolicy, type PolicySettings, type ResolvedSetting, type SettingKey } from "@attendance/core";
import type { GraphQLContext } from "./context.ts";

export async function academyPolicy(ctx: GraphQLContext, academyId: string, date: string): Promise<Map<SettingKey, ResolvedSetting>> {
  const [academy, overrides] = await Promise.all([
    ctx.prisma.academy.findUniqueOrThrow({
      where: { id: academyId },
      select: { policyPlugin: true, trust: { select: { policyPlugin: true } }, localAuthority: { select: { policyPlugin: true } } },
    }),
    ctx.prisma.policySettings.findMany({ where: { academyId, layer: "ACADEMY_OVERRIDE" } }),
  ]);
  const plugins = pluginsFor(ctx.policies, {
    academy: academy.policyPlugin,
    trust: academy.trust.policyPlugin,
    localAuthority: academy.localAuthority.policyPlugin,
  });
  return resolvePolicy(
    plugins,
    date,
    overrides.map((o) => ({ id: o.id, effectiveFrom: isoDateOf(o.effectiveFrom), settings: o.settings as PolicySettings, reason: o.reason, createdAt: o.createdAt })),
  );
}
