// A small Pothos plugin: describes the `totalCount` field that plugin-prisma adds
// to connections, which it leaves without a description. Every field of the
// schema is described (schema/test/descriptions.test.ts).
import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from "@pothos/core";

export const TOTAL_COUNT_DESCRIPTION = "How many items the whole list has, across all pages.";

export class DescribeTotalCountPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  /** Invoked for every output field as the schema is built. */
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (fieldConfig.extensions?.pothosPrismaTotalCount && !fieldConfig.description) {
      return { ...fieldConfig, description: TOTAL_COUNT_DESCRIPTION };
    }
    return fieldConfig;
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      describeTotalCount: DescribeTotalCountPlugin<Types>;
    }
  }
}

export const describeTotalCountPlugin = "describeTotalCount" as const;
SchemaBuilder.registerPlugin(describeTotalCountPlugin, DescribeTotalCountPlugin);
