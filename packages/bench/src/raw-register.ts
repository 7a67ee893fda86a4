// The raw side of the register rows (pnpm bench's register phase and
// bench:register-queue): the same marks takeRegister records, present, sent
// as one multi-row insert through pg in a transaction of their own.
import type pg from "pg";

export async function rawRegisterInsert(pool: pg.Pool, academyId: string, date: string, pupilIds: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const { rows: [register] } = await client.query("INSERT INTO register (academy_id, date, session) VALUES ($1, $2, 'AM') RETURNING id", [academyId, date]);
    await client.query(
      `INSERT INTO mark (register_id, pupil_id, academy_id, date, session, code, category)
       SELECT $1, x.pupil_id, $2, $3, 'AM', '/', 'PRESENT' FROM jsonb_to_recordset($4::jsonb) AS x(pupil_id uuid)`,
      [register.id, academyId, date, JSON.stringify(pupilIds.map((id) => ({ pupil_id: id })))],
    );
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  } finally {
    client.release();
  }
}
