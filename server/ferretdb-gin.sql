-- GIN twins for FerretDB's indexes on PostgreSQL (FerretDB 1.24).
--
-- FerretDB stores each collection as a table of one jsonb column, _jsonb, and turns an index
-- declared through the MongoDB protocol (the mongoose schemas' indexes) into a btree index on
-- (_jsonb -> 'field'). Its queries, however, filter with containment, _jsonb -> 'field' @> value,
-- which a btree index cannot answer: every query would read the whole table. This file gives
-- every such top-level field a GIN index on the same expression (jsonb_path_ops answers @>,
-- also for a value inside an array field), so an equality filter reads only its own rows.
-- The last key of a compound index is its sort key by convention (equality fields first, as
-- MongoDB's ESR rule has it) and gets no twin: FerretDB sorts in its own code, not in SQL.
--
-- Run once per PostgreSQL database FerretDB uses (idempotent): Juece runs it on its embedded
-- cluster at every start; docker-compose.yml mounts it into the FerretDB profile's PostgreSQL.
-- The event trigger needs a superuser to be created. Nested fields (a.b) are skipped: FerretDB
-- does not push filters on them down to SQL.

CREATE OR REPLACE FUNCTION juece_gin_twins(tbl regclass) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  field text;
  twin text;
  made integer := 0;
  ns text;
  rel text;
BEGIN
  SELECT n.nspname, c.relname INTO ns, rel FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = tbl;
  FOR field IN
    SELECT DISTINCT replace(m[1], '''''', '''')
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
    CROSS JOIN LATERAL generate_series(1, greatest(i.indnkeyatts - 1, 1)) AS k
    CROSS JOIN LATERAL regexp_match(pg_get_indexdef(i.indexrelid, k, false), '^\(\(_jsonb -> ''((?:[^'']|'''')*)''::text\)\)$') AS m
    WHERE i.indrelid = tbl AND m IS NOT NULL
  LOOP
    twin := left(rel, 40) || '_' || left(md5(field), 8) || '_gin';
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = twin AND relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = tbl)) THEN
      EXECUTE format('CREATE INDEX %I ON %I.%I USING gin ((_jsonb -> %L) jsonb_path_ops)', twin, ns, rel, field);
      made := made + 1;
    END IF;
  END LOOP;
  RETURN made;
END $$;

-- Every table of this database that has FerretDB's _jsonb column: for start-up, and for tables
-- created before this file was installed.
CREATE OR REPLACE FUNCTION juece_gin_twins_all() RETURNS integer
LANGUAGE sql AS $$
  SELECT coalesce(sum(juece_gin_twins(a.attrelid)), 0)::integer
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
  WHERE a.attname = '_jsonb' AND c.relkind = 'r' AND NOT a.attisdropped
$$;

CREATE OR REPLACE FUNCTION juece_gin_twins_on_ddl() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  created record;
BEGIN
  FOR created IN
    SELECT i.indrelid
    FROM pg_event_trigger_ddl_commands() d
    JOIN pg_index i ON i.indexrelid = d.objid
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam AND am.amname = 'btree'
    WHERE d.command_tag = 'CREATE INDEX'
  LOOP
    PERFORM juece_gin_twins(created.indrelid);
  END LOOP;
END $$;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'juece_gin_twins') THEN
    CREATE EVENT TRIGGER juece_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION juece_gin_twins_on_ddl();
  END IF;
END $$;

SELECT juece_gin_twins_all();
