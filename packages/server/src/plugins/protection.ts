// Limits for a public API (DESIGN.md §5; OWASP API4:2023 Unrestricted
// Resource Consumption). Each refuses a request before any resolver runs:
// oversized bodies while they stream in (yoga's maxRequestBodySize, in
// yoga.ts), the rest while the document is parsed and validated.
import { EnvelopArmorPlugin } from "@escape.tech/graphql-armor";
import { useCSRFPrevention } from "@graphql-yoga/plugin-csrf-prevention";
import { Kind, visit, type DocumentNode } from "graphql";
import { createGraphQLError, type Plugin } from "graphql-yoga";
import { useCostLimit } from "./cost-limit.ts";
import { perDocument } from "./per-document.ts";
import { unauthenticated, type GraphQLContext } from "@attendance/schema";

export interface ProtectionLimits {
  /**
   * Largest request body in bytes: a GraphQL document is text, a few KiB at
   * most. Enforced by yoga's maxRequestBodySize (yoga.ts) while the body
   * streams in, so a chunked body without Content-Length is cut off at the
   * limit too (413, REQUEST_ENTITY_TOO_LARGE), never read in full.
   */
  maxBodyBytes: number;
  /**
   * Largest multipart/form-data request (a file upload: importFile): 20 MiB,
   * the import's own file limit (schema/src/modules/import.ts) plus the
   * operation. Every other request keeps maxBodyBytes (useBodyLimit).
   */
  maxUploadBytes: number;
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
   * their attendance rate costs about 20,000, and 5 trusts × 10 academies ×
   * 200 pupils with their attendance about 111,000; 150,000 refuses the
   * 27,000-row academy → pupils → academy cycle of issue 13 (about 170,000).
   */
  maxCost: number;
}

export const defaultLimits: ProtectionLimits = {
  // The largest legitimate request is a register of 2,000 marks (about 80
  // bytes each as JSON variables): 256 KiB holds it with room to spare.
  maxBodyBytes: 256 * 1024,
  maxUploadBytes: 20 * 1024 * 1024 + 64 * 1024,
  maxDepth: 14,
  maxAliases: 15,
  maxTokens: 2_000,
  maxCost: 150_000,
};

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
    useBodyLimit(limits.maxBodyBytes),
    // Browsers may send "simple" requests across sites without a preflight;
    // requiring a non-simple header (or a JSON content type) stops CSRF.
    useNamedCSRFPrevention(CSRF_HEADER),
    armor as Plugin,
    useCostLimit({ maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, defaultPageSize: 20, defaultListSize: 10 }),
  ];
}

/** The header a request that a browser could send cross-site without a preflight must carry (any value). */
export const CSRF_HEADER = "x-graphql-yoga-csrf";

/**
 * yoga's CSRF prevention (@graphql-yoga/plugin-csrf-prevention: a GET, or a
 * POST as form data, multipart or text/plain, needs a non-simple header, so a
 * browser must preflight it), with a refusal that says which header to send:
 * yoga's own says only "Required CSRF header(s) not present" (issue 16,
 * item 7). The rule is yoga's; only the error is ours.
 */
export function useNamedCSRFPrevention(header: string): Plugin {
  const yogaCsrf = useCSRFPrevention({ requestHeaders: [header] });
  return {
    /** Invoked when yoga has chosen the parser for a request's body: before anything is read or run. */
    onRequestParse(payload) {
      try {
        return yogaCsrf.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(
          `Send the header \`${header}\` (any value) with this request: a GET, or a POST as form data, multipart or text/plain, could be forged by another site (cross-site request forgery). A POST of application/json needs no header.`,
          { extensions: { code: "CSRF_HEADER_REQUIRED", header, http: { status: 403 } } },
        );
      }
    },
  };
}

const tooLarge = () => createGraphQLError("Request body too large", { extensions: { http: { status: 413 }, code: "REQUEST_ENTITY_TOO_LARGE" } });

/**
 * Yoga's maxRequestBodySize (yoga.ts) is set to maxUploadBytes so that a file
 * can be uploaded; this keeps every request that is not multipart/form-data
 * to `maxBytes`, by Content-Length and, without one (chunked), while the body
 * streams in, as yoga's own limit does (graphql-yoga
 * plugins/request-validation/use-limit-request-body-size.ts).
 */
export function useBodyLimit(maxBytes: number): Plugin {
  return {
    /** Invoked when yoga has chosen the parser for a request's body. */
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      if (request.headers.get("content-type")?.toLowerCase().startsWith("multipart/form-data")) return;
      const length = request.headers.get("content-length");
      if (length !== null && /^\d+$/.test(length) && Number(length) > maxBytes) throw tooLarge();
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => {
        let read = 0;
        // The same stream implementation as the body's (yoga's workaround for graphql-yoga issue 4583).
        const Transform = req.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
        const body = req.body!.pipeThrough(new Transform<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            read += chunk.byteLength;
            if (read > maxBytes) controller.error(tooLarge());
            else controller.enqueue(chunk);
          },
        }));
        return parse(new fetchAPI.Request(req.url, { method: req.method, headers: req.headers, signal: req.signal, body, duplex: "half" } as RequestInit));
      });
    },
  };
}

/** Whether the document asks for the schema (`__schema` or `__type`; `__typename` is not introspection). */
const introspects = perDocument(function introspects(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === "__schema" || node.name.value === "__type") found = true;
    },
  });
  return found;
});

/**
 * The schema is shown to signed-in callers only (OWASP GraphQL Cheat Sheet,
 * "Introspection + GraphiQL"): a stranger gets UNAUTHENTICATED, as for data.
 */
export function useAnonymousIntrospectionRefusal(): Plugin<GraphQLContext> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (args.contextValue.actor === null && introspects(args.document)) {
        setResultAndStopExecution({ errors: [unauthenticated("Sign in to read the schema: send a bearer token or an API key.")] });
      }
    },
  };
}
