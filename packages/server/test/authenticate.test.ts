// Which user a verified staff token is for (issue 15): our user id, the
// identity provider's subject recorded for the user, or a verified e-mail
// claim (OpenID Connect Core 1.0 §5.1: email_verified), in that order; an
// unverified e-mail proves nothing.
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "@attendance/db";
import { authenticate } from "../src/auth/authenticate.ts";
import type { TokenVerifier } from "../src/auth/tokens.ts";

const TRUST = "11111111-1111-4111-8111-111111111111";
const ACADEMY = "22222222-2222-4222-8222-222222222222";
const BY_ID = "33333333-3333-4333-8333-333333333333";
const BY_SUBJECT = "44444444-4444-4444-8444-444444444444";
const BY_EMAIL = "55555555-5555-4555-8555-555555555555";

/** Just the look-ups authentication makes, over three users who each hold a role. */
const prisma = {
  user: {
    findUnique: async ({ where }: { where: { subject?: string } }) => (where.subject === "idp|abc" ? { id: BY_SUBJECT } : null),
    findFirst: async ({ where }: { where: { email: { equals: string } } }) => (where.email.equals.toLowerCase() === "staff@example.org" ? { id: BY_EMAIL } : null),
  },
  roleAssignment: {
    findMany: async ({ where }: { where: { userId: string } }) =>
      [BY_ID, BY_SUBJECT, BY_EMAIL].includes(where.userId) ? [{ role: "HEADTEACHER", trustId: TRUST, academyId: ACADEMY }] : [],
  },
  academy: { findMany: async () => [{ id: ACADEMY }] },
  form: { findMany: async () => [] },
} as unknown as PrismaClient;

const verifier = (claims: Record<string, unknown>): TokenVerifier => async () => claims as Awaited<ReturnType<TokenVerifier>>;

describe("authenticate: the user a token names", () => {
  it.each<[string, Record<string, unknown>, string | null]>([
    ["our user id as subject", { sub: BY_ID }, BY_ID],
    ["the identity provider's subject recorded for the user", { sub: "idp|abc" }, BY_SUBJECT],
    ["a verified e-mail claim, any case", { sub: "idp|other", email: "Staff@Example.org", email_verified: true }, BY_EMAIL],
    ["an unverified e-mail claim proves nothing", { sub: "idp|other", email: "staff@example.org" }, null],
    ["an unknown subject", { sub: "idp|nobody" }, null],
    ["a UUID that is no user's id nor subject", { sub: "66666666-6666-4666-8666-666666666666" }, null],
  ])("%s", async (_name, claims, userId) => {
    const attempt = authenticate(prisma, verifier(claims), { bearer: "token" });
    if (userId === null) await expect(attempt).rejects.toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
    else expect((await attempt)?.actor.id).toBe(userId);
  });
});
