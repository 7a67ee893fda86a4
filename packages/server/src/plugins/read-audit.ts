// An audit row for every request that reads safeguarding flags, parents' and
// carers' contact details or the text of letters to them: who, when, which
// fields, with which variables, and how it ended (issue 13, "Audit gaps").
//
// Why: these are special-category and safeguarding data (UK GDPR Art. 9;
// "Keeping children safe in education" 2024, Part 2 on information sharing),
// and the trust must be able to show who looked at them (UK GDPR Art. 5(2),
// accountability; Art. 32 security of processing; OWASP API Security Top 10
// 2023, API3 and the OWASP Logging Cheat Sheet's "data access" events).
//
// Each row also lists the pupils whose data was actually returned (the
// resolvers' own records, seen by wrapping the audited fields' resolvers), so the trust
// can say who looked at which child.
//
// The fields are found in the document (with the schema's types, so aliases
// and fragments count) before execution: a request that asks for them is
// recorded whether or not it was allowed to see them. The response cache
// never keeps such answers (ttl 0 for these coordinates, response-cache.ts),
// so every read runs, and is recorded, again.
import type { Plugin } from "graphql-yoga";
import { defaultFieldResolver, getOperationAST, isIntrospectionType, isObjectType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import type { Prisma } from "@attendance/db";
import type { GraphQLContext } from "@attendance/schema";
import type { Logger } from "../logger.ts";
import { auditedActor, outcomeOf, redact, sanitiseForAudit } from "./audit.ts";
import { perDocument } from "./per-document.ts";

/** Types every field of which is personal contact data. */
export const AUDITED_TYPES = ["Carer"] as const;

/** Schema coordinates (Type.field) whose reads are recorded. */
export const AUDITED_FIELDS = [
  // Safeguarding and cohort flags.
  "Pupil.freeSchoolMeals",
  "Pupil.pupilPremium",
  "Pupil.lookedAfter",
  "Pupil.hasSocialWorker",
  // Special educational needs: data concerning health (UK GDPR Art. 9(1)).
  "Pupil.senProvision",
  // Letters carry the parent's name and postal address.
  "Letter.html",
  "Letter.text",
  // A subject access export holds all of the above and more.
  "Query.subjectAccessExport",
  // A Common Transfer File holds the pupil's identity, carers' contact details and marks.
  "Query.ctfExport",
] as const;

/** The audited coordinates a document selects, sorted; empty if none. */
export function auditedReadsIn(schema: GraphQLSchema, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const found = new Set<string>();
  const types = new Set<string>(AUDITED_TYPES);
  const fields = new Set<string>(AUDITED_FIELDS);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType()?.name;
        if (!parent || node.name.value === "__typename") return;
        const coordinate = `${parent}.${node.name.value}`;
        if (types.has(parent) || fields.has(coordinate)) found.add(coordinate);
      },
    }),
  );
  return [...found].sort();
}

/** The pupil a resolved audited field was about, from its parent record (or the export's result). */
function pupilOf(typeName: string, root: unknown, result: unknown): string | undefined {
  const record = (typeName === "Query" ? result : root) as { id?: unknown; pupilId?: unknown } | null;
  const id = typeName === "Pupil" ? record?.id : record?.pupilId;
  return typeof id === "string" ? id : undefined;
}

export function useReadAudit(logger: Logger): Plugin<GraphQLContext>[] {
  // One schema per server: what a document reads is worked out once per document.
  const readsOf = new WeakMap<GraphQLSchema, (document: DocumentNode) => string[]>();
  const auditedReads = (schema: GraphQLSchema, document: DocumentNode) => {
    let reads = readsOf.get(schema);
    if (!reads) readsOf.set(schema, (reads = perDocument((d) => auditedReadsIn(schema, d))));
    return reads(document);
  };
  const types = new Set<string>(AUDITED_TYPES);
  const fields = new Set<string>(AUDITED_FIELDS);
  /**
   * Pupils whose audited data a request was given, kept on the request's
   * context under a symbol: the operation's transaction (transaction.ts) runs
   * resolvers with a copy of the context, which carries the same set.
   */
  const PUPILS_READ = Symbol("pupilsRead");
  const pupilsRead = {
    get: (context: object) => (context as { [PUPILS_READ]?: Set<string> })[PUPILS_READ],
    set: (context: object, pupils: Set<string>) => {
      (context as { [PUPILS_READ]?: Set<string> })[PUPILS_READ] = pupils;
    },
  };
  /** Fields already wrapped: a schema may be announced more than once. */
  const wrapped = new WeakSet<object>();
  return [
    {
      // Only the audited fields' resolvers are wrapped, to note the pupil each
      // result was about. @envelop/on-resolve wrapped every field of the
      // schema and decided per call: an officer's forms × 30 pupils resolve
      // about 10,000 fields, and the wrapper's closures and promise helpers
      // were 5% of the server's CPU and 3 MB of garbage a request (issue 17,
      // item 1). Which fields are audited is known from the schema alone.
      onSchemaChange({ schema }) {
        for (const type of Object.values(schema.getTypeMap())) {
          if (!isObjectType(type) || isIntrospectionType(type)) continue;
          const typeName = type.name;
          for (const field of Object.values(type.getFields())) {
            if (!types.has(typeName) && !fields.has(`${typeName}.${field.name}`)) continue;
            if (wrapped.has(field)) continue;
            const resolver: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
            const note = (root: unknown, context: GraphQLContext, result: unknown) => {
              // A field that failed or returned nothing gave nothing away.
              if (result === null || result === undefined || result instanceof Error) return;
              const pupil = pupilOf(typeName, root, result);
              if (pupil) pupilsRead.get(context)?.add(pupil);
            };
            const audited: GraphQLFieldResolver<unknown, GraphQLContext> = (root, args, context, info) => {
              const result: unknown = resolver(root, args, context, info);
              if (typeof (result as PromiseLike<unknown> | null)?.then === "function") {
                return Promise.resolve(result).then((value: unknown) => {
                  note(root, context, value);
                  return value;
                });
              }
              note(root, context, result);
              return result;
            };
            field.resolve = audited as typeof field.resolve;
            wrapped.add(field);
          }
        }
      },
    } as Plugin<GraphQLContext>,
    {
      onExecute({ args }) {
        const operation = getOperationAST(args.document, args.operationName);
        // Mutations have their own audit row (audit.ts), with everything they return.
        if (operation?.operation !== "query") return;
        const reads = auditedReads(args.schema, args.document);
        if (reads.length === 0) return;
        const ctx = args.contextValue;
        const pupils = new Set<string>();
        pupilsRead.set(ctx, pupils);
        return {
          async onExecuteDone({ result }) {
            if (!("errors" in result) && !("data" in result)) return;
            const entry = {
              ...auditedActor(ctx),
              operation: `read ${operation.name?.value ?? "anonymous"}: ${reads.join(", ")}`,
              variables: {
                variables: sanitiseForAudit(redact(args.variableValues ?? {}) ?? {}),
                pupilIds: [...pupils].sort(),
              } as Prisma.InputJsonValue,
              outcome: outcomeOf(result.errors),
            };
            try {
              await ctx.prisma.auditEntry.create({ data: entry });
            } catch (error) {
              logger.error({ err: error, audit: entry }, "read audit entry not written");
            }
          },
        };
      },
    },
  ];
}
