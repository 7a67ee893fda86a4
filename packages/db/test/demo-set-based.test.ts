// The demo loader writes marks set-based (triggers off, their work done once
// per import: src/import/set-based-marks.ts). That must leave the database
// exactly as the triggers would: the demo (small, with its amendments, which
// take the ON CONFLICT … DO UPDATE path of current_mark) is loaded both ways
// and every row of mark, current_mark, attendance_week, attendance_span, attendance_weekday_span, attendance_academy_week and change_event is
// compared, on each back end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { availableBackends, openScratchDatabase, type ScratchDatabase } from "../src/index.ts";
import { seedDemo } from "../src/demo/load.ts";
import { canWriteMarksSetBased } from "../src/import/set-based-marks.ts";

const SMALL = { pupilsPerForm: 4, weeks: 3 } as const;

/**
 * Each derived table's rows as text, in a fixed order. change_event without
 * what differs per run (seq, xid, at), transaction by transaction in the
 * order they wrote: within one, change_feed_mark's INSERT … SELECT has no
 * ORDER BY, so the order is the join's (on PostgreSQL an amendment import's
 * events come out in hash order), and is compared as a set.
 */
const TABLES: Record<string, string> = {
  mark: `SELECT concat_ws('|', id, register_id, pupil_id, academy_id, date, session, version, code, category, minutes_late, arrived_at, note,
           amendment_reason, recorded_by_id, recorded_by_role, recorded_by_academy_id, recorded_by_name, recorded_by_api_client_id, recorded_at) AS row
         FROM mark ORDER BY id`,
  current_mark: `SELECT concat_ws('|', register_id, pupil_id, mark_id, academy_id, date, session, version, code, category, minutes_late) AS row
                 FROM current_mark ORDER BY register_id, pupil_id`,
  attendance_week: `SELECT concat_ws('|', academy_id, pupil_id, week_start, possible, present, approved, authorised, unauthorised, late_l, late_u) AS row
                    FROM attendance_week ORDER BY academy_id, pupil_id, week_start`,
  attendance_span: `SELECT concat_ws('|', academy_id, pupil_id, span_start, possible, present, approved, authorised, unauthorised, late_l, late_u) AS row
                    FROM attendance_span ORDER BY academy_id, pupil_id, span_start`,
  attendance_weekday_span: `SELECT concat_ws('|', academy_id, pupil_id, span_start, weekday, possible, present, approved, authorised, unauthorised, late_l, late_u) AS row
                            FROM attendance_weekday_span ORDER BY academy_id, pupil_id, span_start, weekday`,
  attendance_academy_week: `SELECT concat_ws('|', academy_id, week_start, pupils, possible, present, approved, authorised, unauthorised, late_l, late_u,
                                    persistently_absent, severely_absent, shared) AS row
                            FROM attendance_academy_week ORDER BY academy_id, week_start`,
  change_event: `SELECT concat_ws('|', trust_id, academy_id, kind, entity_id, pupil_id, op, payload) AS row FROM change_event
                 ORDER BY min(seq) OVER (PARTITION BY xid), kind, 1`,
};

async function rowsOf(db: ScratchDatabase, table: string): Promise<string[]> {
  return (await db.prisma.$queryRawUnsafe<{ row: string }[]>(TABLES[table]!)).map((r) => r.row);
}

describe.each(availableBackends())("the demo's marks written set-based on %s", (kind) => {
  let triggers: ScratchDatabase;
  let setBased: ScratchDatabase;
  beforeAll(async () => {
    [triggers, setBased] = await Promise.all([openScratchDatabase(kind), openScratchDatabase(kind)]);
    await seedDemo(triggers.prisma, { ...SMALL, setBasedMarks: false });
    await seedDemo(setBased.prisma, { ...SMALL, setBasedMarks: true });
  });
  afterAll(async () => {
    await triggers?.close();
    await setBased?.close();
  });

  it("is taken here (the test role may switch triggers off and the triggers are the known ones)", async () => {
    expect(await canWriteMarksSetBased(setBased.prisma)).toBe(true);
  });

  it.each(Object.keys(TABLES))("leaves %s row for row as the triggers do", async (table) => {
    const expected = await rowsOf(triggers, table);
    expect(expected.length).toBeGreaterThan(0);
    expect(await rowsOf(setBased, table)).toEqual(expected);
  });

  it("leaves the triggers on for whatever the connection runs next", async () => {
    const [row] = await setBased.prisma.$queryRawUnsafe<{ role: string }[]>(`SELECT current_setting('session_replication_role') AS role`);
    expect(row!.role).toBe("origin");
  });
});
