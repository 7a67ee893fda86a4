// Signed-in actors from the demo data, for authorization tests: found by role
// and academy in the database, given tokens signed like the identity
// provider's, or API keys created through the API itself.
import type { PrismaClient, Role } from "@attendance/db";
import { configFromEnv, DEMO_JWT_SECRET, signStaffToken } from "@attendance/server";

export interface Credentials {
  name: string;
  headers: Record<string, string>;
}

const config = configFromEnv({});

export async function tokenFor(userId: string): Promise<string> {
  return signStaffToken(userId, { secret: DEMO_JWT_SECRET, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
}

/** A demo user with `role` (at the academy whose name contains `academyName`, for academy roles). */
export async function staff(prisma: PrismaClient, role: Role, where: { academyName?: string; trustName?: string }): Promise<Credentials & { userId: string }> {
  const assignment = await prisma.roleAssignment.findFirstOrThrow({
    where: {
      role,
      ...(where.academyName ? { academy: { name: { contains: where.academyName } } } : {}),
      ...(where.trustName ? { trust: { name: { contains: where.trustName } } } : {}),
    },
    orderBy: { id: "asc" },
  });
  const token = await tokenFor(assignment.userId);
  return {
    name: `${role} of ${where.academyName ?? where.trustName}`,
    userId: assignment.userId,
    headers: { authorization: `Bearer ${token}` },
  };
}

export const anonymous: Credentials = { name: "no credentials", headers: {} };
