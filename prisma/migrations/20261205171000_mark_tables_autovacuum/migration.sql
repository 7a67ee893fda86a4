-- ─── Written by hand ──────────────────────────────────────────────────────────

-- Planner statistics that keep up with the registers (issue 17, item 6).
-- PostgreSQL re-analyzes a table after autovacuum_analyze_threshold +
-- autovacuum_analyze_scale_factor × its rows have changed (defaults 50 and
-- 0.1: PostgreSQL 15 docs, §25.1.6 and §20.10). On a trust of 11.5 million
-- marks that is 1.15 million new marks, about three weeks of registers for
-- 30 academies, during which the planner believes the newest dates hold no
-- rows: the register write's unexplained-absence step then took 5.0 s
-- instead of 21 ms (README, Benchmarks). Here a table is re-analyzed after
-- 10,000 + 0.2% of its rows change (about 33,000 marks on that trust: half
-- a day of registers), and vacuumed after 1% of inserts, so the visibility
-- map stays current for index-only scans of the rollup. PGlite has no
-- autovacuum; these settings are kept and do nothing there.
ALTER TABLE "mark" SET (autovacuum_analyze_scale_factor = 0.002, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0.01);
ALTER TABLE "current_mark" SET (autovacuum_analyze_scale_factor = 0.002, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.02);
ALTER TABLE "attendance_week" SET (autovacuum_analyze_scale_factor = 0.002, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0.01, autovacuum_vacuum_scale_factor = 0.02);
