// Multi-row inserts of thousands of rows per statement, for demo data and the
// synthetic trust. Prisma's createMany binds every value separately (15 per
// mark) and costs about a second per 4,000 marks; sending a chunk as one JSON
// parameter and unpacking it with json_to_recordset costs a fraction of that,
// and works the same through both driver adapters. json, not jsonb: jsonb
// parses and stores the whole chunk as a binary document first, only for
// json_to_recordset to read it back once (7,500 demo marks: 390 → 225 ms on
// PGlite).
import type { PrismaClient } from "./generated/prisma/client.ts";

type Executor = Pick<PrismaClient, "$executeRawUnsafe" | "$queryRawUnsafe">;

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

// The column types of a table, looked up once per client: the demo and the
// synthetic trust insert into the same tables hundreds of times.
const typesByClient = new WeakMap<Executor, Map<string, Promise<Map<string, string>>>>();

function columnTypes(db: Executor, table: string): Promise<Map<string, string>> {
  let tables = typesByClient.get(db);
  if (!tables) typesByClient.set(db, (tables = new Map()));
  let types = tables.get(table);
  if (!types) {
    types = lookUpColumnTypes(db, table);
    // A failed lookup (a table not yet migrated) is not remembered.
    types.catch(() => tables.delete(table));
    tables.set(table, types);
  }
  return types;
}

async function lookUpColumnTypes(db: Executor, table: string): Promise<Map<string, string>> {
  const rows = await db.$queryRawUnsafe<{ column_name: string; type: string }[]>(
    `SELECT a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS type
     FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    `"${table}"`,
  );
  return new Map(rows.map((r) => [r.column_name, r.type]));
}

/** The table's columns for the keys of `rows`, with their SQL types for json_to_recordset. */
async function recordsetColumns(db: Executor, table: string, rows: readonly object[], caller: string) {
  const types = await columnTypes(db, table);
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return keys.map((key) => {
    const column = snake(key);
    const type = types.get(column);
    if (!type) throw new Error(`${caller}: ${table} has no column ${column} (from ${key})`);
    return { key, column, type };
  });
}

/**
 * Inserts `rows` (objects keyed by the Prisma field names) into `table`,
 * `chunkSize` rows a statement. Column names are the snake_case of the keys,
 * as everywhere in prisma/schema.prisma.
 */
export async function bulkInsert(db: Executor, table: string, rows: readonly object[], chunkSize = 10_000): Promise<number> {
  if (rows.length === 0) return 0;
  // A key some rows lack would be NULL for them, not the column's default
  // (an id, recorded_at): rows are inserted in groups of the same keys.
  const shapes = new Map<string, object[]>();
  for (const row of rows) {
    const shape = Object.keys(row).sort().join(",");
    const group = shapes.get(shape);
    if (group) group.push(row);
    else shapes.set(shape, [row]);
  }
  if (shapes.size > 1) {
    let inserted = 0;
    for (const group of shapes.values()) inserted += await bulkInsert(db, table, group, chunkSize);
    return inserted;
  }
  const columns = await recordsetColumns(db, table, rows, "bulkInsert");
  const names = columns.map((c) => `"${c.column}"`).join(", ");
  const definition = columns.map((c) => `"${c.key}" ${c.type}`).join(", ");
  const select = columns.map((c) => `x."${c.key}"`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${select} FROM json_to_recordset($1::json) AS x(${definition})`;
  let inserted = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    inserted += await db.$executeRawUnsafe(sql, JSON.stringify(rows.slice(i, i + chunkSize)));
  }
  return inserted;
}

/**
 * Updates rows of `table` by id from `rows` (objects keyed by Prisma field
 * names, each with `id`), `chunkSize` rows a statement, the same way as
 * bulkInsert: one JSON parameter unpacked with json_to_recordset.
 */
export async function bulkUpdate(db: Executor, table: string, rows: readonly ({ id: string } & object)[], chunkSize = 10_000): Promise<number> {
  if (rows.length === 0) return 0;
  const columns = await recordsetColumns(db, table, rows, "bulkUpdate");
  const set = columns.filter((c) => c.key !== "id").map((c) => `"${c.column}" = x."${c.key}"`).join(", ");
  const definition = columns.map((c) => `"${c.key}" ${c.type}`).join(", ");
  const sql = `UPDATE "${table}" AS t SET ${set} FROM json_to_recordset($1::json) AS x(${definition}) WHERE t.id = x."id"`;
  let updated = 0;
  for (let i = 0; i < rows.length; i += chunkSize) {
    updated += await db.$executeRawUnsafe(sql, JSON.stringify(rows.slice(i, i + chunkSize)));
  }
  return updated;
}
