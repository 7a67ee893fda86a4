// The escalation evaluation a register write or an amendment queued (issue 17,
// item 4; workflows/escalation-queue.ts): a front end that took a register
// sees whether its pupils' ladders have been evaluated yet, and how many case
// actions that raised, without reading the actions themselves (those stay
// with whoever works cases: cases.ts).
import { builder } from "../builder.ts";

export const EscalationEvaluationStatusEnum = builder.enumType("EscalationEvaluationStatus", {
  description: "Where a queued escalation evaluation stands.",
  values: {
    QUEUED: { description: "Committed with the register or amendment, waiting for the worker (or for a retry after a failed attempt)." },
    RUNNING: { description: "A worker has claimed it and holds its lease." },
    DONE: { description: "Evaluated: createdCaseActions says how many case actions it raised." },
    FAILED: { description: "Every attempt failed; run evaluateEscalations for the academy to evaluate again." },
  },
});

type Status = "QUEUED" | "RUNNING" | "DONE" | "FAILED";

function statusOf(job: { finishedAt: Date | null; failedAt: Date | null; lockedUntil: Date | null }): Status {
  if (job.finishedAt) return "DONE";
  if (job.failedAt) return "FAILED";
  return job.lockedUntil && job.lockedUntil.getTime() > Date.now() ? "RUNNING" : "QUEUED";
}

// Counts and dates only, nothing about a pupil: whoever took or amended the
// register, or works the academy's cases, may follow it.
export const EscalationEvaluationNode = builder.prismaNode("EscalationJob", {
  name: "EscalationEvaluation",
  id: { field: "id" },
  description: "The evaluation of a register's (or an amended mark's) pupils against the academy's ladders and unexplained-absence steps, run after the write commits.",
  authScopes: (j) => ({ academyAny: { academyId: j.academyId, capabilities: ["takeRegister", "amendRegister", "workCases"] } }),
  fields: (t) => ({
    status: t.field({
      type: EscalationEvaluationStatusEnum,
      description: "Where it stands.",
      resolve: (j) => statusOf(j),
    }),
    asOf: t.expose("asOf", { type: "Date", description: "The date the pupils are evaluated on (the register's or the mark's)." }),
    pupilCount: t.int({ description: "How many pupils it evaluates.", resolve: (j) => j.pupilIds.length }),
    attempts: t.exposeInt("attempts", { description: "Attempts so far (a worker that stopped mid-way leaves one that is retried)." }),
    createdCaseActions: t.int({
      nullable: true,
      description: "Case actions it raised, once DONE (null before). Actions already recorded are not raised again.",
      resolve: (j) => j.createdActions,
    }),
    enqueuedAt: t.expose("enqueuedAt", { type: "DateTime", description: "When the write that queued it committed." }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true, description: "When it was DONE." }),
  }),
});
