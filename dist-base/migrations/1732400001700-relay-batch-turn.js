/**
 * The relay may have two batches of one source in flight; the second may reach Postgres first.
 * `sift_relay_batch_turn(source, after)` takes the commit-order lock (the same key the relay's
 * batch insert takes) and then checks, on a fresh snapshot (a volatile function sees what
 * committed while it waited for the lock), that the source's stored cursor has reached `after`,
 * the cursor of the batch before. If not, that batch has not committed (it is behind, or failed):
 * SQLSTATE SR001 aborts the statement before any id is drawn, and the relay sends it again in
 * turn. So a source's batches commit, and take ids, in the order the relay read them.
 */
export class RelayBatchTurn1732400001700 {
    name = 'RelayBatchTurn1732400001700';
    async up(q) {
        await q.query(`
      CREATE FUNCTION sift_relay_batch_turn(p_source text, p_after text, p_lock bigint) RETURNS boolean
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE stored text;
      BEGIN
        PERFORM pg_advisory_xact_lock(p_lock);
        SELECT cursor INTO stored FROM source_cursors WHERE source = p_source;
        -- Cursor order as the relay compares them: by length, then bytewise (numeric cursors).
        IF stored IS NULL OR (length(stored), stored COLLATE "C") < (length(p_after), p_after COLLATE "C") THEN
          RAISE EXCEPTION 'batch out of turn: source % has cursor %, this batch follows %', p_source, coalesce(stored, '(none)'), p_after
            USING ERRCODE = 'SR001';
        END IF;
        RETURN true;
      END
      $fn$`);
    }
    async down(q) {
        await q.query(`DROP FUNCTION sift_relay_batch_turn(text, text, bigint)`);
    }
}
//# sourceMappingURL=1732400001700-relay-batch-turn.js.map