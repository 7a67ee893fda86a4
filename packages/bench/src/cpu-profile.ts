// Summarises a V8 CPU profile (the .cpuprofile that `node --cpu-prof` and the
// inspector's Profiler.stop write): self time per function and per package,
// idle time left out. A node's self time is the sum of the intervals of the
// samples taken in it (timeDeltas[i] is the time before sample i).
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** Microseconds the profile spans, and those not idle. */
  totalUs: number;
  busyUs: number;
  byPackage: { name: string; us: number }[];
  byFunction: { name: string; where: string; us: number }[];
}

/** The package a script belongs to: an npm package by its node_modules path, Node's own code, V8's pseudo-frames, or our workspace package. */
export function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === "(garbage collector)") return "(garbage collector)";
    if (functionName === "(program)") return "(program: V8 and native code outside JS)";
    if (functionName === "(idle)") return "(idle)";
    return "(native)";
  }
  if (url.startsWith("node:")) return "node (built-in modules)";
  const modules = url.lastIndexOf("/node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "/node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ours = /\/(packages\/[^/]+|schema|plugins\/[^/]+)\//.exec(url);
  if (ours) return `ours: ${ours[1]}`;
  return url;
}

export function summariseProfile(profile: CpuProfile): ProfileSummary {
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, { name: string; where: string; us: number }>();
  let busyUs = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    if (pkg === "(idle)") continue;
    busyUs += us;
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const where = url ? `${pkg}: ${url.split("/").slice(-1)[0]}:${lineNumber + 1}` : pkg;
    const key = `${functionName}@${where}`;
    const f = byFunction.get(key) ?? { name: functionName || "(anonymous)", where, us: 0 };
    f.us += us;
    byFunction.set(key, f);
  }
  return {
    totalUs: profile.endTime - profile.startTime,
    busyUs,
    byPackage: [...byPackage].map(([name, us]) => ({ name, us })).sort((a, b) => b.us - a.us),
    byFunction: [...byFunction.values()].sort((a, b) => b.us - a.us),
  };
}
