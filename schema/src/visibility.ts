// Prisma filters that keep lists to what the actor may see. Type-level scopes
// (auth.ts) refuse a single object the actor may not see; these keep such
// objects out of lists in the first place, in SQL.
import { academiesWhere, type Actor, type Capability } from "@attendance/core";

/** Academies where the actor has `capability` (default: read). */
export function visibleAcademyIds(actor: Actor | null, capability: Capability = "read"): string[] {
  return academiesWhere(actor, capability);
}

/** The academies the actor reads in full, and the forms it is limited to elsewhere. */
export function readableScope(actor: Actor | null): { academyIds: string[]; formIds: string[] } {
  const academyIds: string[] = [];
  const formIds: string[] = [];
  for (const [academyId, grant] of actor?.academies ?? []) {
    if (!grant.capabilities.has("read")) continue;
    if (grant.formIds === undefined) academyIds.push(academyId);
    else formIds.push(...grant.formIds);
  }
  return { academyIds, formIds };
}

/**
 * Pupils the actor may read: every pupil of an academy it reads in full, and,
 * where it is limited to some forms (a teacher), only the pupils of those forms.
 */
export function visiblePupilsWhere(actor: Actor | null) {
  const { academyIds, formIds } = readableScope(actor);
  return { OR: [{ academyId: { in: academyIds } }, { formId: { in: formIds } }] };
}

/** Forms the actor may read, on the same terms as pupils. */
export function visibleFormsWhere(actor: Actor | null) {
  const { academyIds, formIds } = readableScope(actor);
  return { OR: [{ academyId: { in: academyIds } }, { id: { in: formIds } }] };
}
