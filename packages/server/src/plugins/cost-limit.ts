// The query cost limit, priced after the variables are bound. GraphQL Armor's
// cost rule runs during validation and reads only literal arguments, so
// `pupils(first: $n)` went unpriced and a cycle through academy → pupils →
// academy returned 27,000 rows (issue 13). graphql-query-complexity computes
// the same price from the operation with its variables, once per execution.
import { getComplexity, type ComplexityEstimator } from "graphql-query-complexity";
import { GraphQLError, getNamedType, getNullableType, isLeafType, isListType, type GraphQLField } from "graphql";
import type { Plugin } from "graphql-yoga";

export interface CostPricing {
  /** The most an operation may cost. */
  maxCost: number;
  /** Price of a field that returns an object (each row the server must fetch and shape). */
  objectCost: number;
  /** Price of a field that returns a scalar or an enum. */
  scalarCost: number;
  /** Items assumed for a connection asked for without `first` or `last` (Pothos' defaultConnectionSize). */
  defaultPageSize: number;
  /** Items assumed for a plain list of objects (a pupil's carers, a mark's history): a few, never thousands. */
  defaultListSize: number;
}

/** A list whose size an argument sets, and how many it asks for. */
interface Driver {
  field: string;
  argument: string;
  items: number;
}

function sizeOf(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, pricing: CostPricing): { items: number; argument?: string } {
  for (const name of ["first", "last"]) {
    if (typeof args[name] === "number") return { items: Math.max(0, args[name] as number), argument: name };
  }
  if (Array.isArray(args.ids)) return { items: args.ids.length, argument: "ids" };
  const named = getNamedType(field.type);
  if (!isLeafType(named) && named.name.endsWith("Connection")) return { items: pricing.defaultPageSize };
  return { items: 1 };
}

/**
 * Prices every field the way Armor did, so inline and variable spellings of one
 * question cost the same: an object field costs `objectCost` plus its selection,
 * a scalar `scalarCost`, and a connection's selection is multiplied by the items
 * it may return (its `first`/`last`, or the default page). A connection's
 * `edges` and `nodes` are the items themselves, priced once at the connection.
 */
function estimator(pricing: CostPricing, drivers: Driver[]): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (type.name.startsWith("__") || field.name.startsWith("__")) return 0;
    const nullable = getNullableType(field.type);
    if (isLeafType(getNamedType(field.type))) return pricing.scalarCost;
    const { items, argument } = sizeOf(field, args, pricing);
    if (argument && items > 1) drivers.push({ field: `${type.name}.${field.name}`, argument, items });
    // A plain list of objects (not a connection's edges or nodes, priced at the connection).
    const plainList = isListType(nullable) && !type.name.endsWith("Connection") && argument === undefined;
    const multiplier = plainList ? pricing.defaultListSize : items;
    return pricing.objectCost + multiplier * childComplexity;
  };
}

/** The drivers worth naming: the largest lists first, each field once. */
function describeDrivers(drivers: Driver[]): string {
  const seen = new Map<string, Driver & { count: number }>();
  for (const d of drivers) {
    const key = `${d.field}(${d.argument}: ${d.items})`;
    const known = seen.get(key);
    if (known) known.count++;
    else seen.set(key, { ...d, count: 1 });
  }
  return [...seen.entries()]
    .sort((a, b) => b[1].items - a[1].items)
    .slice(0, 5)
    .map(([key, d]) => (d.count > 1 ? `${key} ×${d.count}` : key))
    .join(", ");
}

export function costLimitError(cost: number, maxCost: number, drivers: string): GraphQLError {
  const hint = drivers
    ? ` The lists that drive it: ${drivers}. Ask for fewer items per page (a lower \`first\`), or nest fewer lists inside each other.`
    : " Select fewer fields or nest fewer lists inside each other.";
  return new GraphQLError(`This operation would cost ${cost}, over the limit of ${maxCost}.${hint}`, {
    extensions: { code: "COST_LIMIT_EXCEEDED", cost, maxCost },
  });
}

/** Refuses, before any resolver runs, an operation whose price with its variables is over the limit. */
export function useCostLimit(pricing: CostPricing): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const drivers: Driver[] = [];
      let cost: number;
      try {
        cost = getComplexity({
          schema: args.schema,
          query: args.document,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          operationName: args.operationName ?? undefined,
          estimators: [estimator(pricing, drivers)],
        });
      } catch {
        // Variables that do not fit their types: graphql-js refuses them next,
        // with its own coded error (input-errors.ts).
        return;
      }
      if (cost > pricing.maxCost) setResultAndStopExecution({ errors: [costLimitError(cost, pricing.maxCost, describeDrivers(drivers))] });
    },
  };
}
