// Marks written set-based, for bulk loads (the demo loader, pnpm start on an
// empty database): the rows are gathered in a temporary table, inserted into
// mark in one statement with the session's triggers off
// (session_replication_role = replica, which also skips the row-by-row
// foreign-key checks), and what the triggers would have done is done once for
// all of them from that table, in the same transaction:
//
//   mark_keep_current (20261123084433_current_marks)      → one INSERT … ON CONFLICT into current_mark
//   attendance_week_refresh (20261123113353_rollups)      → one INSERT … ON CONFLICT into attendance_week
//   attendance_span_refresh (20261205211246_attendance_span) → attendance_span_refresh_keys for the same weeks
//   attendance_academy_week_apply (20261206020000_attendance_academy_week) → attendance_academy_week_refresh_keys for the same weeks
//   attendance_weekday_span_apply (20261206030000_attendance_weekday_span) → attendance_weekday_span_refresh_keys for the new marks' spans
//   change_feed_mark (20261205074455_change_feed)         → one INSERT into change_event, in insertion order
//   the foreign keys of mark and current_mark             → one anti-join per constraint over the new rows
//
// Why: measured on PGlite (issue 17 item 8, README "pnpm start"), the demo's
// 120,546 marks took 17.0 s to insert with the triggers and 5.5 s without:
// every mark row runs five foreign-key lookups and its current_mark row four
// more, each an SPI query in WebAssembly. The statements below are the
// trigger functions' own SQL with the transition table replaced by the
// temporary table (not by a join of the new ids to mark: that hashes the
// whole mark table once per academy, and measured slower than the triggers); test/demo-set-based.test.ts loads the demo both ways and compares
// mark, current_mark, attendance_week and change_event row for row.
//
// The triggers stay the only writers everywhere else. This path is taken
// only when it can be exact: the role may set session_replication_role (a
// superuser, or GRANT SET ON PARAMETER, PostgreSQL 15+), mark and
// current_mark (and attendance_week) have no triggers but the ones above (a trigger added later
// makes it fall back), and no new mark needs mark_author_position (its WHEN
// is false for every row: the position is given, or no author is named).
import type { PrismaClient } from "../generated/prisma/client.ts";

type Tx = Pick<PrismaClient, "$executeRawUnsafe" | "$queryRawUnsafe">;

/** The user triggers the statements below stand in for, by table (pg_trigger, not internal). */
const KNOWN_TRIGGERS: Record<string, string[]> = {
  mark: ["change_feed_mark", "mark_append_only", "mark_author_position", "mark_keep_current", "mark_no_truncate"],
  current_mark: ["current_mark_rollup_insert", "current_mark_rollup_update", "current_mark_weekday_span_insert", "current_mark_weekday_span_update"],
  attendance_week: ["attendance_week_academy_week_insert", "attendance_week_academy_week_update", "attendance_week_span_insert", "attendance_week_span_update"],
};

/**
 * Whether this transaction may write marks set-based: it may switch its
 * triggers off, and the triggers on mark and current_mark are exactly those
 * this module reproduces.
 */
export async function canWriteMarksSetBased(tx: Tx): Promise<boolean> {
  const [row] = await tx.$queryRawUnsafe<{ allowed: boolean; triggers: Record<string, string[]> | null }[]>(
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
              OR has_parameter_privilege('session_replication_role', 'SET') AS allowed,
            (SELECT jsonb_object_agg(rel, names) FROM (
               SELECT c.relname AS rel, jsonb_agg(t.tgname::text ORDER BY t.tgname) AS names
               FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
               WHERE c.relname IN ('mark', 'current_mark', 'attendance_week') AND c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
               GROUP BY c.relname) x) AS triggers`,
  );
  if (!row?.allowed) return false;
  const triggers = row.triggers ?? {};
  return Object.entries(KNOWN_TRIGGERS).every(([table, names]) => JSON.stringify(triggers[table] ?? []) === JSON.stringify(names));
}

/** Whether mark_author_position would fire for a row (its WHEN clause, 20261204230941_cases_follow_marks). */
export function needsAuthorPosition(row: Record<string, unknown>): boolean {
  return row.recordedByRole == null && (row.recordedById != null || row.recordedByApiClientId != null);
}

/** The temporary table the new marks are gathered in (bulkInsert resolves it: pg_temp is first on the search path). */
export const NEW_MARK_TABLE = "new_mark";

/**
 * Starts a set-based write: a temporary table shaped like mark, with mark's
 * defaults (id, recorded_at: the same values they would take in mark, in this
 * transaction) and the order rows arrive in, dropped at commit.
 */
export async function beginMarksSetBased(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(
    `CREATE TEMPORARY TABLE "${NEW_MARK_TABLE}" (LIKE mark INCLUDING DEFAULTS, ord bigint GENERATED ALWAYS AS IDENTITY) ON COMMIT DROP`,
  );
}

/**
 * Every foreign key of `table` checked once over the rows `rowsSql` selects
 * (a subquery naming the table's columns): throws as the row trigger would,
 * naming the constraint, on the first that has a row without its parent.
 * Constraints whose parent is in `skipParents` are left out, and so are those
 * in `checked` (the same columns, parent and parent columns, already checked
 * over the same values); the ones checked here are added to it.
 */
async function checkForeignKeys(tx: Tx, table: string, rowsSql: string, skipParents: string[] = [], checked = new Set<string>()): Promise<void> {
  const constraints = await tx.$queryRawUnsafe<{ name: string; columns: string[]; parent: string; parent_columns: string[] }[]>(
    `SELECT c.conname::text AS name,
            array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
            c.confrelid::regclass::text AS parent,
            array(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.i) AS parent_columns
     FROM pg_constraint c WHERE c.conrelid = $1::regclass AND c.contype = 'f' ORDER BY c.conname`,
    `public."${table}"`,
  );
  const same = (c: (typeof constraints)[number]) => `${c.columns.join(",")}→${c.parent}(${c.parent_columns.join(",")})`;
  const toCheck = constraints.filter((c) => !skipParents.includes(c.parent.replace(/"/g, "")) && !checked.has(same(c)));
  for (const c of toCheck) checked.add(same(c));
  if (toCheck.length === 0) return;
  // MATCH SIMPLE (Prisma's default): a row with any key column NULL is not checked.
  const checks = toCheck.map((c) => {
    const present = c.columns.map((col) => `r."${col}" IS NOT NULL`).join(" AND ");
    const join = c.columns.map((col, i) => `p."${c.parent_columns[i]}" = r."${col}"`).join(" AND ");
    return `(SELECT '${c.name}' AS name FROM ${rowsSql} r WHERE ${present} AND NOT EXISTS (SELECT 1 FROM ${c.parent} p WHERE ${join}) LIMIT 1)`;
  });
  const [violated] = await tx.$queryRawUnsafe<{ name: string }[]>(`${checks.join(" UNION ALL ")} LIMIT 1`);
  if (violated) throw new Error(`insert or update on table "${table}" violates foreign key constraint "${violated.name}"`);
}

/**
 * Writes the marks gathered in the temporary table into mark with the
 * triggers off, does what the triggers do, drops the table and turns the
 * triggers back on.
 */
export async function completeMarksSetBased(tx: Tx): Promise<void> {
  const t = `"${NEW_MARK_TABLE}"`;
  const checked = new Set<string>();
  await checkForeignKeys(tx, "mark", t, [], checked);
  const columns = await tx.$queryRawUnsafe<{ name: string }[]>(
    `SELECT attname::text AS name FROM pg_attribute WHERE attrelid = 'public.mark'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
  );
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
  await tx.$executeRawUnsafe(`INSERT INTO mark (${names}) SELECT ${names} FROM ${t} ORDER BY ord`);
  // mark_keep_current, with new_marks the new rows.
  await tx.$executeRawUnsafe(
    `INSERT INTO current_mark (register_id, pupil_id, mark_id, academy_id, date, session, version, code, category, minutes_late)
     SELECT DISTINCT ON (register_id, pupil_id)
            register_id, pupil_id, id, academy_id, date, session, version, code, category, minutes_late
     FROM ${t} new_marks
     ORDER BY register_id, pupil_id, version DESC
     ON CONFLICT (register_id, pupil_id) DO UPDATE
       SET mark_id = EXCLUDED.mark_id, version = EXCLUDED.version, code = EXCLUDED.code,
           category = EXCLUDED.category, minutes_late = EXCLUDED.minutes_late
       WHERE current_mark.version < EXCLUDED.version`,
  );
  // current_mark's foreign keys, over the values its new rows were made of:
  // register, pupil and academy (mark_id is a mark this statement wrote).
  // Those are the new marks' own register_id, pupil_id and academy_id, which
  // mark's constraints to the same parents have just checked: each such
  // constraint is not checked a second time over the same values (measured
  // on PGlite: the second anti-join was 0.4–0.7 s of pnpm start).
  await checkForeignKeys(tx, "current_mark", `(SELECT id AS mark_id, register_id, pupil_id, academy_id FROM ${t})`, ["mark"], checked);
  // Statistics for the join below whenever current_mark has more than doubled
  // since they were taken (a handful of ANALYZEs over a whole demo load;
  // PGlite has no autovacuum to take them). Without them the planner takes
  // the (academy_id, date) index and filters the pupil: measured, 2,453 rows
  // read and dropped per pupil-week, 1.2 s for one academy of 19,678 marks.
  await tx.$executeRawUnsafe(
    `DO $$ BEGIN
       IF (SELECT n_mod_since_analyze > greatest(c.reltuples, 1000) FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relid = 'public.current_mark'::regclass)
       THEN ANALYZE current_mark; END IF;
     END $$`,
  );
  // attendance_week_refresh, with \`changed\` the weeks of the new marks: the
  // trigger's transition table holds the current_mark rows inserted or
  // updated, whose weeks are among these; a week recomputed without a change
  // gets the values it has (the refresh counts the week afresh from
  // current_mark), so the rows are the same.
  await tx.$executeRawUnsafe(
    `INSERT INTO attendance_week (academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u)
     SELECT k.academy_id, k.pupil_id, k.week_start,
            count(*) FILTER (WHERE cm.category <> 'NOT_POSSIBLE'),
            count(*) FILTER (WHERE cm.category = 'PRESENT'),
            count(*) FILTER (WHERE cm.category = 'APPROVED_ACTIVITY'),
            count(*) FILTER (WHERE cm.category = 'AUTHORISED_ABSENCE'),
            count(*) FILTER (WHERE cm.category = 'UNAUTHORISED_ABSENCE'),
            count(*) FILTER (WHERE cm.code = 'L' AND cm.category = 'PRESENT'),
            count(*) FILTER (WHERE cm.code = 'U' AND cm.category = 'UNAUTHORISED_ABSENCE')
     FROM (SELECT DISTINCT academy_id, pupil_id, date_trunc('week', date)::date AS week_start FROM ${t} changed) k
     JOIN current_mark cm ON cm.academy_id = k.academy_id AND cm.pupil_id = k.pupil_id
      AND cm.date >= k.week_start AND cm.date < k.week_start + 7
     GROUP BY 1, 2, 3
     ON CONFLICT (academy_id, pupil_id, week_start) DO UPDATE SET
       possible = EXCLUDED.possible, present = EXCLUDED.present, approved = EXCLUDED.approved,
       authorised = EXCLUDED.authorised, unauthorised = EXCLUDED.unauthorised, late_l = EXCLUDED.late_l, late_u = EXCLUDED.late_u`,
  );
  // attendance_span_refresh (20261205211246_attendance_span), with the spans
  // of the same weeks: it recomputes them from attendance_week as written above.
  await tx.$executeRawUnsafe(
    `SELECT attendance_span_refresh_keys(array_agg(academy_id), array_agg(pupil_id), array_agg(span_start))
     FROM (SELECT DISTINCT academy_id, pupil_id, attendance_span_start(date_trunc('week', date)::date) AS span_start FROM ${t}) k`,
  );
  // attendance_weekday_span_apply (20261206030000_attendance_weekday_span),
  // with the spans of the new marks: recomputed from current_mark as written above.
  await tx.$executeRawUnsafe(
    `SELECT attendance_weekday_span_refresh_keys(array_agg(academy_id), array_agg(pupil_id), array_agg(span_start))
     FROM (SELECT DISTINCT academy_id, pupil_id, attendance_span_start(date) AS span_start FROM ${t}) k`,
  );
  // attendance_academy_week_apply (20261206020000_attendance_academy_week),
  // recomputed for the same academy-weeks and, for dual registration's shared
  // count, the other academies those pupils have rows at in those weeks.
  await tx.$executeRawUnsafe(
    `SELECT attendance_academy_week_refresh_keys(array_agg(academy_id), array_agg(week_start))
     FROM (SELECT DISTINCT aw.academy_id, aw.week_start
           FROM (SELECT DISTINCT pupil_id, date_trunc('week', date)::date AS week_start FROM ${t}) k
           JOIN attendance_week aw ON aw.pupil_id = k.pupil_id AND aw.week_start = k.week_start) k`,
  );
  // change_feed_mark, one event a mark version, in the order inserted.
  await tx.$executeRawUnsafe(
    `INSERT INTO change_event (trust_id, academy_id, kind, entity_id, pupil_id, op)
     SELECT a.trust_id, m.academy_id, 'MARK', m.id, m.pupil_id, CASE WHEN m.version = 1 THEN 'CREATED' ELSE 'AMENDED' END
     FROM ${t} m JOIN academy a ON a.id = m.academy_id
     ORDER BY m.ord`,
  );
  await tx.$executeRawUnsafe(`DROP TABLE ${t}`);
  await tx.$executeRawUnsafe("SET LOCAL session_replication_role = origin");
}
