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

/** A trial price: every list of `field` as if it asked for `items` (to find the largest page that fits). */
interface Trial {
  field: string;
  items: number;
}

function sizeOf(coordinate: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, pricing: CostPricing, trial?: Trial): { items: number; argument?: string } {
  for (const name of ["first", "last"]) {
    if (typeof args[name] === "number") return { items: trial?.field === coordinate ? trial.items : Math.max(0, args[name] as number), argument: name };
  }
  if (Array.isArray(args.ids)) return { items: trial?.field === coordinate ? trial.items : args.ids.length, argument: "ids" };
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
function estimator(pricing: CostPricing, drivers: Driver[], trial?: Trial): ComplexityEstimator {
  return ({ type, field, args, childComplexity }) => {
    if (type.name.startsWith("__") || field.name.startsWith("__")) return 0;
    const nullable = getNullableType(field.type);
    if (isLeafType(getNamedType(field.type))) return pricing.scalarCost;
    const coordinate = `${type.name}.${field.name}`;
    const { items, argument } = sizeOf(coordinate, field, args, pricing, trial);
    if (argument && items > 1) drivers.push({ field: coordinate, argument, items });
    // A plain list of objects (not a connection's edges or nodes, priced at the connection).
    const plainList = isListType(nullable) && !type.name.endsWith("Connection") && argument === undefined;
    const multiplier = plainList ? pricing.defaultListSize : items;
    return pricing.objectCost + multiplier * childComplexity;
  };
}

/** A list that drives the cost: its field, the argument that sizes it, the items asked for and how often it occurs. */
export interface CostDriver {
  field: string;
  argument: string;
  items: number;
  occurrences: number;
}

/** The drivers worth naming: the largest lists first, each field and size once, at most five. */
function topDrivers(drivers: Driver[]): CostDriver[] {
  const seen = new Map<string, CostDriver>();
  for (const d of drivers) {
    const key = `${d.field}(${d.argument}: ${d.items})`;
    const known = seen.get(key);
    if (known) known.occurrences++;
    else seen.set(key, { ...d, occurrences: 1 });
  }
  return [...seen.values()].sort((a, b) => b.items - a.items).slice(0, 5);
}

/** How to fit: the largest `first` (or `last`) on the biggest driver with which the operation is within the limit. */
export interface CostFit {
  field: string;
  argument: string;
  /** The largest value that fits, every other argument as sent; null if even 1 does not (nest fewer lists instead). */
  atMost: number | null;
}

export function costLimitError(cost: number, maxCost: number, drivers: CostDriver[], fit: CostFit | null): GraphQLError {
  const named = drivers.map((d) => `${d.field}(${d.argument}: ${d.items})${d.occurrences > 1 ? ` ×${d.occurrences}` : ""}`).join(", ");
  const how = fit?.atMost != null
    ? fit.argument === "ids"
      ? ` To fit, send at most ${fit.atMost} \`ids\` to ${fit.field} at a time, or select less for each.`
      : ` To fit, lower \`${fit.argument}\` on ${fit.field} to at most ${fit.atMost} and page through the rest, or nest fewer lists inside each other.`
    : fit
      ? ` Even \`${fit.argument}: 1\` on ${fit.field} does not fit: nest fewer lists inside each other, or select fewer fields.`
      : " Select fewer fields or nest fewer lists inside each other.";
  const lists = named ? ` The lists that drive it: ${named}.` : "";
  return new GraphQLError(`This operation would cost ${cost}, over the limit of ${maxCost}.${lists}${how}`, {
    extensions: {
      code: "COST_LIMIT_EXCEEDED",
      cost,
      maxCost,
      drivers,
      fit,
      // As the other refusals of a whole request before it runs (a document
      // that does not parse or validate): 400 to a client that accepts
      // application/graphql-response+json (GraphQL over HTTP: a response
      // without data is 4xx), 200 under legacy application/json, as yoga
      // answers its own validation errors.
      http: { spec: true, status: 400 },
    },
  });
}

/** Refuses, before any resolver runs, an operation whose price with its variables is over the limit. */
export function useCostLimit(pricing: CostPricing): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const drivers: Driver[] = [];
      const price = (into: Driver[], trial?: Trial) =>
        getComplexity({
          schema: args.schema,
          query: args.document,
          variables: (args.variableValues ?? {}) as Record<string, unknown>,
          operationName: args.operationName ?? undefined,
          estimators: [estimator(pricing, into, trial)],
        });
      let cost: number;
      try {
        cost = price(drivers);
      } catch {
        // Variables that do not fit their types: graphql-js refuses them next,
        // with its own coded error (input-errors.ts).
        return;
      }
      if (cost <= pricing.maxCost) return;
      const top = topDrivers(drivers);
      setResultAndStopExecution({ errors: [costLimitError(cost, pricing.maxCost, top, top[0] ? largestThatFits(top[0], pricing.maxCost, (trial) => price([], trial)) : null)] });
    },
  };
}

/**
 * The largest size of `driver`'s lists with which the operation fits, by
 * pricing it again (a binary search: about ten pricings of the document,
 * microseconds each, and only for a refused operation).
 */
function largestThatFits(driver: CostDriver, maxCost: number, price: (trial: Trial) => number): CostFit {
  let fits = 0;
  let over = driver.items;
  while (over - fits > 1) {
    const mid = Math.floor((fits + over) / 2);
    if (price({ field: driver.field, items: mid }) <= maxCost) fits = mid;
    else over = mid;
  }
  return { field: driver.field, argument: driver.argument, atMost: fits > 0 ? fits : null };
}
