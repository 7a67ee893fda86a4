// Runs the escalation jobs that register writes and amendments queue in their
// own transactions (schema/src/workflows/escalation-queue.ts; issue 17, item 4),
// the way the webhook dispatcher sends the outbox (../webhooks/dispatcher.ts):
// - a job is claimed with a lease (FOR UPDATE SKIP LOCKED, so two servers
//   never claim one at once; locked_until = now() + lease): a worker that dies
//   after claiming leaves a job whose lease runs out and which the next claim
//   takes again;
// - it is evaluated in a tenant transaction of its academy's trust, as the
//   application role (row-level security as for a request), and marked
//   finished in that same transaction, fenced by its attempt number: a worker
//   whose lease ran out and was overtaken rolls its own run back;
// - evaluation is idempotent (trigger keys already recorded are skipped), so
//   a job run twice creates nothing twice;
// - a failed attempt is retried with exponential backoff, up to maxAttempts,
//   then FAILED (evaluateEscalations on demand evaluates again);
// - it is woken right after a write commits, and polls as well (jobs of other
//   servers' requests, retries, expired leases);
// - finished jobs are pruned after a retention, so the table holds days of
//   jobs, not years.
// Claiming, retry bookkeeping and pruning span every trust and run as the
// owner, like the webhook dispatcher ("background jobs run as the owner":
// migration 20261204230000_database_roles).
import { withTenant, withoutCounting, type PrismaClient } from "@attendance/db";
import type { PolicyRegistry } from "@attendance/core";
import { LeaseLost, runEscalationJob, type ClaimedEscalationJob } from "@attendance/schema";
import { startPoller, type Poller } from "../background/poller.ts";
import type { Logger } from "../logger.ts";
import { policies as serverPolicies } from "../policies.ts";

export interface EscalationWorkerOptions {
  /** The owner's client: claims, retries and pruning (across trusts). */
  prisma: PrismaClient;
  /** Where evaluations run, as `role` (DATABASE_APP_URL's client; default `prisma`). */
  operationPrisma?: PrismaClient;
  /** The application role evaluations run as (DATABASE_APP_ROLE). */
  role: string;
  logger: Logger;
  /** The policy plugins (default: the server's). */
  policies?: PolicyRegistry;
  /** Longest one evaluation's transaction may run (ms; default 60,000, as a request's). */
  timeoutMs?: number;
  /**
   * How long a claim holds a job (ms). Longer than `timeoutMs` by default, so
   * a live worker's transaction has ended (committed or timed out) before
   * anyone else may claim the job; a crashed worker's job waits this long.
   */
  leaseMs?: number;
  /** How often to look for due jobs when nobody wakes the worker (ms; default 1,000). */
  pollMs?: number;
  /** Jobs claimed at once (each is evaluated in turn). */
  batchSize?: number;
  /** Attempts before a job is FAILED (default 8). */
  maxAttempts?: number;
  /** The first retry's delay; each further retry doubles it (ms; default 5,000). */
  retryBaseMs?: number;
  /** How long finished and failed jobs are kept (ms; default 7 days: long enough to answer escalationEvaluation and to investigate). */
  retentionMs?: number;
  /** How often old jobs are pruned (ms; default an hour). */
  pruneEveryMs?: number;
  /** Called after a job committed webhook deliveries (case_action.created), to wake the dispatcher. */
  eventsQueued?: (count: number) => void;
  /** Tests only: runs between the claim and the evaluation (a crash is simulated there). */
  afterClaim?: (jobs: ClaimedEscalationJob[]) => Promise<void>;
}

/** Look for due jobs now (wake, after a write queued one); run every job due now (drain); stop (close). */
export type EscalationWorker = Poller;

const DAY_MS = 86_400_000;

export function startEscalationWorker(options: EscalationWorkerOptions): EscalationWorker {
  const {
    prisma, operationPrisma, role, logger, policies = serverPolicies, timeoutMs = 60_000, leaseMs = timeoutMs + 30_000, pollMs = 1_000,
    batchSize = 10, maxAttempts = 8, retryBaseMs = 5_000, retentionMs = 7 * DAY_MS, pruneEveryMs = 3_600_000, eventsQueued, afterClaim,
  } = options;
  const base = operationPrisma ?? prisma;
  let prunedAt = 0;

  function claim(): Promise<ClaimedEscalationJob[]> {
    return prisma.$queryRawUnsafe<ClaimedEscalationJob[]>(
      `UPDATE escalation_job j SET attempts = j.attempts + 1, locked_until = now() + make_interval(secs => $2::float8 / 1000)
       FROM academy a
       WHERE a.id = j.academy_id AND j.id IN (
         SELECT x.id FROM escalation_job x
         WHERE x.finished_at IS NULL AND x.failed_at IS NULL AND x.run_after <= now()
           AND (x.locked_until IS NULL OR x.locked_until <= now())
         ORDER BY x.run_after, x.id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING j.id, j.academy_id AS "academyId", a.trust_id AS "trustId", j.pupil_ids::text[] AS "pupilIds", j.as_of AS "asOf", j.attempts`,
      batchSize,
      leaseMs,
    );
  }

  async function fail(job: ClaimedEscalationJob, error: unknown): Promise<void> {
    const failed = job.attempts >= maxAttempts;
    const delay = retryBaseMs * 2 ** (job.attempts - 1);
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await prisma.$executeRaw`
      UPDATE escalation_job SET locked_until = NULL, last_error = ${message},
        run_after = now() + make_interval(secs => ${delay}::float8 / 1000), failed_at = CASE WHEN ${failed} THEN now() END
      WHERE id = ${job.id}::uuid AND attempts = ${job.attempts} AND finished_at IS NULL`;
    const log = { job: job.id, academyId: job.academyId, attempt: job.attempts, err: error, retryInMs: failed ? null : delay };
    if (failed) logger.error(log, "escalation evaluation failed: giving up (evaluateEscalations evaluates again)");
    else logger.warn(log, "escalation evaluation failed: will retry");
  }

  async function evaluate(job: ClaimedEscalationJob): Promise<void> {
    // A job claimed again after crashes past the limit is not run once more.
    if (job.attempts > maxAttempts) return fail(job, new Error("the worker stopped during every attempt"));
    try {
      const started = performance.now();
      const run = await withTenant(base, job.trustId, (tx) => runEscalationJob(tx, policies, job), { role, timeoutMs });
      if (run.queued > 0) eventsQueued?.(run.queued);
      logger.debug({ job: job.id, pupils: job.pupilIds.length, created: run.created.length, ms: Math.round(performance.now() - started) }, "escalations evaluated");
    } catch (error) {
      // Overtaken after our lease ran out: the other worker's run stands, ours was rolled back.
      if (error instanceof LeaseLost) return void logger.warn({ job: job.id }, error.message);
      await fail(job, error);
    }
  }

  async function prune(): Promise<void> {
    if (Date.now() - prunedAt < pruneEveryMs) return;
    prunedAt = Date.now();
    const removed = await prisma.$executeRaw`
      DELETE FROM escalation_job
      WHERE finished_at < now() - make_interval(secs => ${retentionMs}::float8 / 1000)
         OR failed_at < now() - make_interval(secs => ${retentionMs}::float8 / 1000)`;
    if (removed > 0) logger.info({ removed }, "escalation jobs pruned");
  }

  return startPoller({
    pollMs,
    batchSize,
    claim,
    handle: async (batch) => {
      if (afterClaim) await afterClaim(batch);
      for (const job of batch) await evaluate(job);
    },
    afterRun: prune,
    // The worker's statements are its own, not those of the request that woke it.
    wrap: (run) => withoutCounting(run),
    onError: (error) => logger.error({ err: error }, "escalation worker: the queue could not be read"),
  });
}
