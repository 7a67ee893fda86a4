// Personal-data duties on the database: what is held about one pupil (for a
// subject access request, UK GDPR Art. 15), and the retention job that
// anonymises pupils whose registers need no longer be kept (School Attendance
// (Pupil Registration) (England) Regulations 2024, reg. 14; UK GDPR
// Art. 5(1)(e) and 17). Both are audited.
import { isoDateOf, retentionDecision, RETENTION_SOURCE, type IsoDate } from "@attendance/core";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

export interface RetentionCandidate {
  pupilId: string;
  academyId: string;
  trustId: string;
  lastEntry: IsoDate;
  retainedUntil: IsoDate;
}

export interface RetentionRun {
  today: IsoDate;
  applied: boolean;
  /** Pupils due for anonymisation (dry run) or anonymised (applied). */
  pupils: RetentionCandidate[];
}

/**
 * Pupils off roll and not yet anonymised, with the latest date any entry about
 * them was made (a mark or amendment recorded, an admission, a deletion), kept
 * if the retention rule says they are due.
 */
export async function retentionDue(prisma: PrismaClient, today: IsoDate): Promise<RetentionCandidate[]> {
  const rows = await prisma.$queryRaw<{ pupil_id: string; academy_id: string; trust_id: string; last_entry: Date }[]>`
    SELECT p.id AS pupil_id, p.academy_id, a.trust_id,
           GREATEST(
             (SELECT max(GREATEST(m.date, (m.recorded_at AT TIME ZONE 'Europe/London')::date)) FROM mark m WHERE m.pupil_id = p.id),
             (SELECT max(GREATEST(e.on_roll_from, COALESCE(e.on_roll_to, e.on_roll_from), (e.created_at AT TIME ZONE 'Europe/London')::date))
                FROM enrolment e WHERE e.pupil_id = p.id),
             (p.created_at AT TIME ZONE 'Europe/London')::date
           ) AS last_entry
      FROM pupil p JOIN academy a ON a.id = p.academy_id
     WHERE p.anonymised_at IS NULL
       AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.on_roll_to IS NULL)
     ORDER BY p.id`;
  return rows.flatMap((row) => {
    const lastEntry = isoDateOf(row.last_entry);
    const decision = retentionDecision({ lastEntry, onRoll: false, anonymised: false }, today);
    return decision.due
      ? [{ pupilId: row.pupil_id, academyId: row.academy_id, trustId: row.trust_id, lastEntry, retainedUntil: decision.retainedUntil }]
      : [];
  });
}

/**
 * The retention job. A dry run lists who is due and changes nothing; with
 * `apply`, each pupil is anonymised by the database's own anonymise_pupil
 * (the migration "personal_data"). Either way one audit row per trust records
 * the run, with pupil ids only (never names or UPNs, which would outlive the
 * anonymisation). Applied in one transaction: all or nothing.
 */
export async function runRetention(prisma: PrismaClient, { today, apply }: { today: IsoDate; apply: boolean }): Promise<RetentionRun> {
  const pupils = await retentionDue(prisma, today);
  const byTrust = new Map<string, RetentionCandidate[]>();
  for (const p of pupils) byTrust.set(p.trustId, [...(byTrust.get(p.trustId) ?? []), p]);
  const auditRows = [...byTrust].map(([trustId, due]) => ({
    actorKind: "system",
    trustId,
    operation: apply ? "retention: anonymise_pupil" : "retention (dry run)",
    variables: { today, source: RETENTION_SOURCE, pupils: due.map(({ pupilId, academyId, lastEntry, retainedUntil }) => ({ pupilId, academyId, lastEntry, retainedUntil })) } as Prisma.InputJsonValue,
    outcome: "OK",
  }));
  if (!apply) {
    if (auditRows.length) await prisma.auditEntry.createMany({ data: auditRows });
    return { today, applied: false, pupils };
  }
  await prisma.$transaction(async (tx) => {
    for (const pupil of pupils) await tx.$queryRaw`SELECT anonymise_pupil(${pupil.pupilId}::uuid)`;
    if (auditRows.length) await tx.auditEntry.createMany({ data: auditRows });
  }, { timeout: 600_000 });
  return { today, applied: true, pupils };
}

/** Everything held about one pupil, by kind of record (UK GDPR Art. 15). Null for an unknown id. */
export async function pupilRecords(prisma: PrismaClient | Prisma.TransactionClient, pupilId: string) {
  const pupil = await prisma.pupil.findUnique({ where: { id: pupilId }, include: { academy: { select: { name: true, urn: true, trustId: true } }, form: { select: { name: true } } } });
  if (!pupil) return null;
  const where = { pupilId };
  const [enrolments, marks, leaveRequests, caseActions, letters, penaltyNotices, carers, notifications] = await Promise.all([
    prisma.enrolment.findMany({ where, orderBy: { onRollFrom: "asc" } }),
    prisma.mark.findMany({ where, orderBy: [{ date: "asc" }, { session: "asc" }, { version: "asc" }] }),
    prisma.leaveRequest.findMany({ where, orderBy: { fromDate: "asc" } }),
    prisma.caseAction.findMany({ where, orderBy: { createdAt: "asc" } }),
    prisma.letter.findMany({ where, orderBy: { renderedAt: "asc" } }),
    prisma.penaltyNotice.findMany({ where, orderBy: { issuedOn: "asc" } }),
    prisma.carer.findMany({ where, orderBy: { contactOrder: "asc" } }),
    prisma.localAuthorityNotification.findMany({ where, orderBy: { createdAt: "asc" } }),
  ]);
  // Audit rows about the pupil: those naming their id or UPN in the variables,
  // written in the pupil's trust (another trust's probes stay that trust's).
  const audit = await prisma.$queryRaw<{ id: string; at: Date; actor_kind: string; operation: string; outcome: string }[]>`
    SELECT id, at, actor_kind, operation, outcome FROM audit_entry
     WHERE (trust_id = ${pupil.academy.trustId}::uuid OR trust_id IS NULL)
       AND (strpos(variables::text, ${pupil.id}) > 0 OR strpos(variables::text, ${pupil.upn}) > 0)
     ORDER BY at`;
  const auditEntries = audit.map((a) => ({ id: a.id, at: a.at, actorKind: a.actor_kind, operation: a.operation, outcome: a.outcome }));
  const { academy, form, ...own } = pupil;
  return {
    pupil: { ...own, academyName: academy.name, academyUrn: academy.urn, formName: form?.name ?? null },
    enrolments, marks, leaveRequests, caseActions, letters, penaltyNotices, carers, notifications, auditEntries,
  };
}

export type PupilRecords = NonNullable<Awaited<ReturnType<typeof pupilRecords>>>;
