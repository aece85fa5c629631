-- The decision log's request and answer are compressed with lz4 instead of pglz where the server
-- has it (PostgreSQL 14 or newer, built with lz4, as the Debian and official images are). An
-- answer with its reasoning is usually 2 to 6 KB, past the size at which PostgreSQL compresses a
-- row, and pglz was a fifth of PostgreSQL's work per logged decision: on 20,000 answers of a large
-- account, 70 µs a row with pglz, 58 µs with lz4, for 7 % more space. Only new values are
-- compressed so: existing rows stay as they are, and nothing is rewritten.
--
-- Partitions created from now on take the setting from decision_log; the existing ones are set
-- one by one, since setting it on a partitioned table does not reach them.
DO $$
DECLARE
    partition regclass;
BEGIN
    IF current_setting('server_version_num')::int >= 140000
        AND EXISTS (SELECT 1 FROM pg_settings
                    WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE decision_log
            ALTER COLUMN request SET COMPRESSION lz4,
            ALTER COLUMN answer SET COMPRESSION lz4;
        FOR partition IN
            SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'decision_log'::regclass
        LOOP
            EXECUTE format('ALTER TABLE %s ALTER COLUMN request SET COMPRESSION lz4,'
                           ' ALTER COLUMN answer SET COMPRESSION lz4', partition);
        END LOOP;
    END IF;
END
$$;
