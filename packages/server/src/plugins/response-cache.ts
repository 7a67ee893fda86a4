// A short-lived cache of answers, per caller. A trust's dashboards and an
// academy's front end ask the same questions over and over; within a few
// seconds the answer is served from memory instead of run again.
//
// What keeps it correct:
// - Looked up after authentication (envelop's onExecute, with the request's
//   context built): a bad or expired token is refused, an API client's rate
//   limit is spent, on a hit as on a miss.
// - Keyed by the caller's whole access (accessFingerprint: who, which trust,
//   every academy and form and what it may do there), so an answer reaches
//   only a caller who may see exactly the same; a change of role is a new key.
// - Any mutation through this server, successful or not, retires every answer
//   cached for that trust (a per-trust generation in the key), so an office
//   sees its own register at once. Writes through another server instance
//   show within the TTL.
// - Answers with errors are never kept; neither are anonymous ones, nor
//   answers holding safeguarding flags, carers' details or letters: each of
//   those reads is run and audited (read-audit.ts).
// - Bounded by bytes, not only entries (OWASP API4:2023 Unrestricted Resource
//   Consumption): each answer is weighed as the JSON it is sent as; one
//   larger than maxEntryBytes is never kept, and the least recently used go
//   once the total passes maxBytes.
import { useResponseCache, type Cache, type CacheEntityRecord } from "@envelop/response-cache";
import { LRUCache } from "lru-cache";
import type { ExecutionResult } from "graphql";
import { getOperationAST } from "graphql";
import type { Plugin } from "graphql-yoga";
import { accessFingerprint } from "@attendance/core";
import type { GraphQLContext } from "@attendance/schema";
import { AUDITED_FIELDS, AUDITED_TYPES } from "./read-audit.ts";

/**
 * A ttl of 0 for every audited coordinate and type, and for the change feed
 * (its events also come from writers that are not this server, the import
 * CLI and the retention job, and a page held back by a running transaction
 * must be asked again), and for the viewer (it carries the token's expiry,
 * which differs between two tokens of one user, while the key is the access):
 * the library then never stores the answer.
 */
const NEVER_CACHED = Object.fromEntries([...AUDITED_FIELDS, ...AUDITED_TYPES, "Query.changes", "Query.viewer"].map((coordinate) => [coordinate, 0]));

/** Lookups and hits since the server started, for the bench and for metrics. */
export interface ResponseCacheStats {
  lookups: number;
  hits: number;
}

export interface ResponseCacheOptions {
  /** How long an answer is kept (ms); 0 turns the cache off. */
  ttlMs: number;
  /** Most answers kept (least recently used go first). */
  maxEntries: number;
  /** Most bytes kept in all (answers weighed as JSON). */
  maxBytes: number;
  /** Largest answer kept (bytes); larger ones are run every time. */
  maxEntryBytes: number;
  /** Counted into, when given. */
  stats?: ResponseCacheStats;
}

/** @envelop/response-cache's Cache, in an LRU bounded by entries and by bytes. */
export function boundedCache({ maxEntries, maxBytes, maxEntryBytes, stats }: Omit<ResponseCacheOptions, "ttlMs">): Cache & { bytes(): number } {
  const answers = new LRUCache<string, ExecutionResult>({
    max: maxEntries,
    maxSize: maxBytes,
    maxEntrySize: maxEntryBytes,
    sizeCalculation: (result) => Math.max(1, Buffer.byteLength(JSON.stringify(result))),
    allowStale: false,
  });
  // Which answers hold which types, for the library's invalidation by entity.
  const byEntity = new Map<string, Set<string>>();
  const key = (e: CacheEntityRecord) => (e.id === undefined ? e.typename : `${e.typename}:${e.id}`);
  return {
    set(id, result, entities, ttl) {
      // lru-cache refuses (and does not store) an entry over maxEntrySize.
      answers.set(id, result, { ttl });
      if (!answers.has(id)) return;
      for (const entity of entities) {
        for (const k of new Set([entity.typename, key(entity)])) {
          let ids = byEntity.get(k);
          if (!ids) byEntity.set(k, (ids = new Set()));
          ids.add(id);
        }
      }
    },
    get(id) {
      const answer = answers.get(id) ?? null;
      if (stats) {
        stats.lookups++;
        if (answer) stats.hits++;
      }
      return answer;
    },
    invalidate(entities) {
      for (const entity of entities) {
        const k = key(entity);
        for (const id of byEntity.get(k) ?? []) answers.delete(id);
        byEntity.delete(k);
      }
    },
    bytes: () => answers.calculatedSize,
  };
}

export function responseCachePlugins({ ttlMs, ...bounds }: ResponseCacheOptions): Plugin<GraphQLContext>[] {
  if (ttlMs <= 0) return [];
  // Mutations seen per trust: part of every key, so one write retires the trust's answers.
  const generations = new Map<string, number>();
  const generation = (trustId: string) => generations.get(trustId) ?? 0;
  return [
    useResponseCache<GraphQLContext>({
      ttl: ttlMs,
      cache: boundedCache(bounds),
      enabled: (ctx) => ctx.actor !== null,
      ttlPerSchemaCoordinate: NEVER_CACHED,
      session: (ctx) => (ctx.actor ? `${generation(ctx.actor.trustId)}|${accessFingerprint(ctx.actor)}` : null),
      // Invalidation is by trust (below), so no entity ids need adding to
      // documents. Mutations go the library's own way: run every time, never kept.
      idFields: [],
      invalidateViaMutation: true,
      shouldCacheResult: ({ result }) => !result.errors?.length,
    }) as Plugin<GraphQLContext>,
    {
      onExecute({ args }) {
        const trustId = args.contextValue.actor?.trustId;
        if (!trustId || getOperationAST(args.document, args.operationName)?.operation !== "mutation") return;
        generations.set(trustId, generation(trustId) + 1);
        return {
          // Again once it has happened: an answer read while it ran may be older than its writes.
          onExecuteDone() {
            generations.set(trustId, generation(trustId) + 1);
          },
        };
      },
    },
  ];
}
