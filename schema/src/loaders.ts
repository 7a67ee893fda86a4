// Per-request DataLoaders (never shared between requests: a shared cache would
// leak across tenants). Each batches one kind of lookup into one SQL statement.
import DataLoader from "dataloader";
import type { Mark, PrismaClient } from "@attendance/db";

export interface Loaders {
  /** Every version of a pupil's entry in a register, by "registerId/pupilId", oldest first. */
  markHistory: DataLoader<string, Mark[]>;
  /** A pupil's form, by pupil id (for teachers' per-form access checks). */
  pupilForm: DataLoader<string, string | null>;
}

export function createLoaders(prisma: PrismaClient): Loaders {
  return {
    markHistory: new DataLoader(async (keys) => {
      const pairs = keys.map((k) => k.split("/") as [string, string]);
      const marks = await prisma.mark.findMany({
        where: { OR: pairs.map(([registerId, pupilId]) => ({ registerId, pupilId })) },
        orderBy: { version: "asc" },
      });
      const byKey = new Map<string, Mark[]>();
      for (const m of marks) byKey.set(`${m.registerId}/${m.pupilId}`, [...(byKey.get(`${m.registerId}/${m.pupilId}`) ?? []), m]);
      return keys.map((k) => byKey.get(k) ?? []);
    }),
    pupilForm: new DataLoader(async (ids) => {
      const pupils = await prisma.pupil.findMany({ where: { id: { in: [...ids] } }, select: { id: true, formId: true } });
      const forms = new Map(pupils.map((p) => [p.id, p.formId]));
      return ids.map((id) => forms.get(id) ?? null);
    }),
  };
}
