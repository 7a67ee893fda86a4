// Limits for a public API (DESIGN.md §5). Each refuses a request before any
// resolver runs: oversized bodies at the HTTP layer, the rest while the
// document is parsed and validated.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import type { Plugin } from "graphql-yoga";
import { useCostLimit } from "./cost-limit.ts";

export interface ProtectionLimits {
  /** Largest request body in bytes: a GraphQL document is text, a few KiB at most. */
  maxBodyBytes: number;
  /**
   * Deepest selection nesting. Relay connections take three levels a list
   * (field, edges, node): a trust → academies → pupils → attendance → total →
   * rate query is 12 deep.
   */
  maxDepth: number;
  /** Most aliases per operation: stops alias bombs that multiply one costly field. */
  maxAliases: number;
  /** Most tokens in a document: stops parser exhaustion before validation. */
  maxTokens: number;
  /**
   * Largest cost (cost-limit.ts): roughly the rows and values the answer holds,
   * each connection's selection counted `first` (or `last`, or 20) times — 2
   * per object and 1 per scalar. A trust lead's 10 academies × 200 pupils with
   * their attendance rate costs about 20,000; 100,000 refuses the 27,000-row
   * academy → pupils → academy cycle of issue 13 (about 170,000).
   */
  maxCost: number;
}

export const defaultLimits: ProtectionLimits = {
  // The largest legitimate request is a register of 2,000 marks (about 80
  // bytes each as JSON variables): 256 KiB holds it with room to spare.
  maxBodyBytes: 256 * 1024,
  maxDepth: 14,
  maxAliases: 15,
  maxTokens: 2_000,
  maxCost: 100_000,
};

/** Answers 413 to a body that says it is larger than the limit. */
function useBodySizeLimit(maxBytes: number): Plugin {
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const length = Number(request.headers.get("content-length") ?? 0);
      if (length > maxBytes) {
        endResponse(
          new fetchAPI.Response(
            JSON.stringify({ errors: [{ message: `Request body too large: at most ${maxBytes} bytes.`, extensions: { code: "PAYLOAD_TOO_LARGE" } }] }),
            { status: 413, headers: { "content-type": "application/json" } },
          ),
        );
      }
    },
  };
}

export function protectionPlugins(limits: ProtectionLimits = defaultLimits): Plugin[] {
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true },
    maxAliases: { n: limits.maxAliases },
    maxTokens: { n: limits.maxTokens },
    // Cost is priced after variables are bound (cost-limit.ts): Armor's rule
    // reads literals only, so `first: $n` went unpriced (issue 13).
    costLimit: { enabled: false },
    maxDirectives: { n: 20 },
    // Do not suggest field names to a stranger probing the schema.
    blockFieldSuggestion: { enabled: true },
  });
  return [
    useBodySizeLimit(limits.maxBodyBytes),
    // Browsers may send "simple" requests across sites without a preflight;
    // requiring a non-simple header (or a JSON content type) stops CSRF.
    useCSRFPrevention({ requestHeaders: ["x-graphql-yoga-csrf"] }),
    armor as Plugin,
    useCostLimit({ maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, defaultPageSize: 20, defaultListSize: 10 }),
  ];
}
