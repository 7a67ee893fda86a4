// Escalation evaluation out of the request (issue 17, item 4). A register
// write or an amendment queues an escalation_job row in its own transaction
// (the transactional outbox pattern: the write and the promise to evaluate it
// commit together, or neither does), and the server's worker
// (packages/server/src/escalations/worker.ts) runs it afterwards. Evaluation
// is idempotent (escalations.ts: the insert skips trigger keys already
// recorded), so a job run twice, after a crash, creates nothing twice.
import type { PolicyRegistry, IsoDate } from "@attendance/core";
import { isoDateOf } from "@attendance/core";
import type { Prisma, PrismaClient } from "@attendance/db";
import { createLoaders } from "../loaders.ts";
import { evaluateEscalations, type EvaluationResult } from "./escalations.ts";

/** Queues the evaluation of `pupilIds` on `asOf` in the caller's transaction; returns the job's id. */
export async function queueEscalations(tx: Prisma.TransactionClient, academyId: string, pupilIds: readonly string[], asOf: IsoDate): Promise<string> {
  // The pupils go as one uuid[] parameter, whatever their number (DESIGN.md §9: typed arrays, not text).
  const [job] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO escalation_job (academy_id, pupil_ids, as_of)
    VALUES (${academyId}::uuid, ${[...pupilIds]}::uuid[], ${asOf}::date)
    RETURNING id`;
  return job!.id;
}

/** A job as the worker claimed it. */
export interface ClaimedEscalationJob {
  id: string;
  academyId: string;
  /** The academy's trust: the tenant the job runs as. */
  trustId: string;
  pupilIds: string[];
  asOf: Date;
  /** This claim's attempt number: the fence a finish must still hold. */
  attempts: number;
}

/** Raised when another worker claimed the job after this one's lease ran out: this run is rolled back. */
export class LeaseLost extends Error {
  constructor(jobId: string) {
    super(`escalation job ${jobId}: the lease ran out and another worker claimed it`);
  }
}

/**
 * Evaluates a claimed job in `tx` (a tenant transaction of the job's trust)
 * and marks it finished in that same transaction, so the actions and the
 * "done" commit together. The finish is fenced by the attempt number: if the
 * lease ran out and another worker has claimed the job since, LeaseLost is
 * thrown and the caller's transaction rolls this run back.
 */
export async function runEscalationJob(tx: PrismaClient, policies: PolicyRegistry, job: ClaimedEscalationJob): Promise<EvaluationResult> {
  // The whole academy is in scope: the job was queued by a write its author
  // was allowed to make, and the ladders judge a pupil on all their marks
  // whoever took the register (a teacher's form-limited scope must not hide
  // the rest of the pupil's attendance from the absence ladder).
  const loaders = createLoaders(tx, { academyIds: [job.academyId], formIds: [] }, policies);
  const run = await evaluateEscalations({ prisma: tx, loaders }, job.academyId, job.pupilIds, isoDateOf(job.asOf));
  const finished = await tx.$executeRaw`
    UPDATE escalation_job SET finished_at = now(), locked_until = NULL, created_actions = ${run.created.length}, last_error = NULL
    WHERE id = ${job.id}::uuid AND attempts = ${job.attempts} AND finished_at IS NULL`;
  if (finished !== 1) throw new LeaseLost(job.id);
  return run;
}
