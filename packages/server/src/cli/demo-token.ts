// pnpm demo:token --role <ROLE> [--academy <URN>] [--trust <slug>]
// Prints a bearer token for a demo user, signed with the demo secret the server
// uses when JWT_SECRET is unset. Works while the server is running.
import { parseArgs } from "node:util";
import { demoUser, DEMO_ACADEMIES, DEMO_TRUSTS } from "@attendance/db/demo";
import { configFromEnv, jwtSecretOf } from "../config.ts";
import { signStaffToken } from "../auth/tokens.ts";

const ROLES = ["TRUST_ADMIN", "TRUST_ATTENDANCE_LEAD", "HEADTEACHER", "ACADEMY_ADMIN", "ATTENDANCE_OFFICER", "TEACHER"] as const;
type DemoRole = (typeof ROLES)[number];

const { values } = parseArgs({
  options: { role: { type: "string" }, academy: { type: "string" }, trust: { type: "string" }, quiet: { type: "boolean", short: "q" } },
});
const role = values.role?.toUpperCase() as DemoRole | undefined;
if (!role || !ROLES.includes(role)) {
  console.error(`usage: pnpm demo:token --role <${ROLES.join("|")}> [--academy <URN>] [--trust <slug>]
academies: ${DEMO_ACADEMIES.map((a) => `${a.urn} ${a.name}`).join("; ")}
trusts: ${DEMO_TRUSTS.map((t) => t.slug).join(", ")}`);
  process.exit(2);
}
const config = configFromEnv();
const secret = jwtSecretOf(config);
if (!secret) {
  console.error("The server verifies tokens against JWT_JWKS_URL: demo tokens cannot be signed for it.");
  process.exit(2);
}
const user = demoUser(role, {
  academyUrn: values.academy === undefined ? undefined : Number(values.academy),
  trustSlug: values.trust,
});
const token = await signStaffToken(user.id, { secret, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
if (!values.quiet) console.error(`${role}: ${user.displayName} <${user.email}>, valid for 8 hours`);
console.log(token);
