-- ─── Written by hand ──────────────────────────────────────────────────────────

-- Lists of ids, year groups and dates reach the statistics statements as one
-- text parameter each, an array literal such as '{id1,id2}', so that either
-- driver adapter (pg, PGlite) binds them alike. Cast in the statement
-- (`$1::text::uuid[]`), the literal is parsed by array_in, which PostgreSQL
-- marks STABLE: the planner does not fold it into a constant, and in a filter
-- it is parsed again for every row. On the benchmark trust that parse was
-- most of the time: a seq scan of 1.17 million attendance_week rows took 12 s
-- against a 30-academy list, 165 ms once the list was a constant (README,
-- Benchmarks; issue 17). These functions are IMMUTABLE, so a call with a
-- constant argument is evaluated once while planning (PostgreSQL docs,
-- "Function Volatility Categories", §38.7) and the plan sees the array
-- itself, estimates included. They are immutable in fact for the inputs they
-- are given: uuids and integers read the same under every setting, and the
-- statements send dates only as ISO 8601 (YYYY-MM-DD), which DateStyle does
-- not change.
CREATE FUNCTION "uuid_list"(text) RETURNS uuid[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT $1::uuid[] $$;
CREATE FUNCTION "int_list"(text) RETURNS int[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT $1::int[] $$;
CREATE FUNCTION "date_list"(text) RETURNS date[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT $1::date[] $$;
CREATE FUNCTION "text_list"(text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT $1::text[] $$;
GRANT EXECUTE ON FUNCTION "uuid_list"(text), "int_list"(text), "date_list"(text), "text_list"(text) TO attendance_app;
