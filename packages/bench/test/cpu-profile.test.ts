// The profile summary the README's "Throughput" figures come from: self time
// per function and per package, idle left out.
import { describe, expect, it } from "vitest";
import { packageOf, summariseProfile, type CpuProfile } from "../src/cpu-profile.ts";

const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0 });

describe("summariseProfile", () => {
  it("adds each sample's interval to the node it was taken in, by function and by package, without idle time", () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame("(root)"), children: [2, 3, 4, 5] },
        { id: 2, callFrame: frame("request", "file:///w/node_modules/.pnpm/@prisma+client@7/node_modules/@prisma/client/runtime/client.js") },
        { id: 3, callFrame: frame("buildContext", "file:///w/packages/server/src/context.ts") },
        { id: 4, callFrame: frame("(idle)") },
        { id: 5, callFrame: frame("writev") },
      ],
      samples: [2, 2, 3, 4, 5, 4],
      timeDeltas: [10, 30, 20, 500, 40, 500],
      startTime: 0,
      endTime: 1100,
    };
    const s = summariseProfile(profile);
    expect(s.busyUs).toBe(100);
    expect(s.byPackage).toEqual([
      { name: "@prisma/client", us: 40 },
      { name: "(native)", us: 40 },
      { name: "ours: packages/server", us: 20 },
    ]);
    expect(s.byFunction[0]).toMatchObject({ name: "request", us: 40 });
  });

  it("names packages by their node_modules path, Node's modules and V8's pseudo-frames apart", () => {
    expect(packageOf("file:///a/node_modules/.pnpm/pg@8/node_modules/pg/lib/client.js", "query")).toBe("pg");
    expect(packageOf("node:events", "emit")).toBe("node (built-in modules)");
    expect(packageOf("", "(garbage collector)")).toBe("(garbage collector)");
    expect(packageOf("file:///w/schema/src/loaders.ts", "createLoaders")).toBe("ours: schema");
  });
});
