// Hooks: a plugin's decision functions. Each is a pure function of the settings
// in force and the facts of one case, returning decisions with a reason and
// the passage that makes the rule. Composition is explicit: every plugin in
// force runs its hook, national first, then local authority, trust and
// academy, and all their decisions are kept, each labelled with its plugin,
// so a headteacher sees the national rule and the trust's rule side by side.
import type { IsoDate } from "../dates.ts";
import type { LeaveAnswers } from "../leave/form.ts";
import type { PolicyLayer, Provenance, ResolvedSetting, SettingKey, SettingValue } from "./contract.ts";

/** The settings in force, as hooks read them. */
export interface PolicyView {
  get<K extends SettingKey>(key: K): SettingValue<K> | undefined;
  source(key: SettingKey): Provenance | undefined;
}

export function policyView(resolved: ReadonlyMap<SettingKey, ResolvedSetting>): PolicyView {
  return {
    get: <K extends SettingKey>(key: K) => resolved.get(key)?.value as SettingValue<K> | undefined,
    source: (key) => resolved.get(key)?.source,
  };
}

export type Verdict = "AGAINST" | "FOR" | "NOTE";

export interface HookDecision {
  verdict: Verdict;
  /** A stable name for the rule, e.g. "leave.inAdvance". */
  rule: string;
  reason: string;
  passage: string;
}

export interface LabelledDecision extends HookDecision {
  plugin: string;
  layer: Exclude<PolicyLayer, "override" | "trustOverride">;
}

/** What is known about a leave-of-absence request when it is pre-assessed. */
export interface LeaveFacts {
  /** The day the request was made. */
  requestedOn: IsoDate;
  /** First and last day of the leave. */
  from: IsoDate;
  to: IsoDate;
  /** School sessions the leave would miss. */
  sessions: number;
  /** Answers to the academy's form, already validated against it. */
  answers: LeaveAnswers;
  /** The pupil's attendance this school year up to the request (0–1), null with no possible sessions yet. */
  attendanceRate: number | null;
  /** Earlier requests for the same pupil in the same school year. */
  earlierRequestsThisYear: number;
}

/** One session of unauthorised absence, as evidence for a penalty notice. */
export interface UnauthorisedSession {
  date: IsoDate;
  session: "AM" | "PM";
  code: string;
  /**
   * The URN of the academy whose register holds it, where known: a pupil who
   * moved within the trust brings sessions from both (the national framework
   * counts them "within one or more schools").
   */
  academyUrn?: number;
}

/** The facts a local authority's extra penalty-notice triggers look at. */
export interface PenaltyTriggerFacts {
  /** The pupil's unauthorised sessions (G, N, O, U) in the school year so far. */
  unauthorised: readonly UnauthorisedSession[];
}

export interface PolicyHooks {
  /** Reasons for and against a leave request, for the headteacher's decision. */
  preAssessLeave?: (policy: PolicyView, facts: LeaveFacts) => HookDecision[];
  /** Triggers for considering a penalty notice besides the national threshold. */
  penaltyNoticeTriggers?: (policy: PolicyView, facts: PenaltyTriggerFacts) => HookDecision[];
}

export type HookName = keyof PolicyHooks;

interface HookPlugin {
  name: string;
  layer: LabelledDecision["layer"];
  hooks?: PolicyHooks;
}

/** Runs one hook of every plugin given (already those in force, in layer order). */
export function runHook<H extends HookName>(
  plugins: readonly HookPlugin[],
  hook: H,
  policy: PolicyView,
  facts: Parameters<NonNullable<PolicyHooks[H]>>[1],
): LabelledDecision[] {
  const decisions: LabelledDecision[] = [];
  for (const plugin of plugins) {
    const fn = plugin.hooks?.[hook] as ((p: PolicyView, f: typeof facts) => HookDecision[]) | undefined;
    if (!fn) continue;
    for (const d of fn(policy, facts)) decisions.push({ ...d, plugin: plugin.name, layer: plugin.layer });
  }
  return decisions;
}
