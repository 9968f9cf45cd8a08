-- A queue's own search box reads an index of its own queue (grams.rs): the
-- search text of each case, tokenized by the store (`regdesk_queue_grams`:
-- characters and neighbouring pairs of each word, for one- and
-- two-character searches; `regdesk_queue_trigrams`: every three neighbouring
-- characters of the whole text, in order, for longer ones), each token
-- prefixed by the case's queue. The matches of one queue are then a list of
-- their own, newest first, and a search stops at its page whatever the other
-- queues hold. Same row id as the case's row in case_search.
CREATE VIRTUAL TABLE case_queue_search USING fts5 (
    grams, tris, content = '', contentless_delete = 1, tokenize = 'ascii'
);
INSERT INTO case_queue_search (rowid, grams, tris)
SELECT s.rowid, regdesk_queue_grams(c.queue, s.body), regdesk_queue_trigrams(c.queue, s.body)
FROM cases c JOIN case_search s ON s.rowid = c.search_rowid;

-- A case's entry follows its queue and its search row, whoever writes the
-- case (a new search text is written by the store, grams.rs `put`).
CREATE TRIGGER case_queue_search_insert AFTER INSERT ON cases WHEN NEW.search_rowid IS NOT NULL BEGIN
    DELETE FROM case_queue_search WHERE rowid = NEW.search_rowid;
    INSERT INTO case_queue_search (rowid, grams, tris)
    SELECT rowid, regdesk_queue_grams(NEW.queue, body), regdesk_queue_trigrams(NEW.queue, body)
    FROM case_search WHERE rowid = NEW.search_rowid;
END;

CREATE TRIGGER case_queue_search_update AFTER UPDATE ON cases
WHEN OLD.queue IS NOT NEW.queue OR OLD.search_rowid IS NOT NEW.search_rowid
BEGIN
    DELETE FROM case_queue_search WHERE rowid = OLD.search_rowid;
    DELETE FROM case_queue_search WHERE rowid = NEW.search_rowid;
    INSERT INTO case_queue_search (rowid, grams, tris)
    SELECT rowid, regdesk_queue_grams(NEW.queue, body), regdesk_queue_trigrams(NEW.queue, body)
    FROM case_search WHERE rowid = NEW.search_rowid;
END;

CREATE TRIGGER case_queue_search_delete AFTER DELETE ON cases WHEN OLD.search_rowid IS NOT NULL BEGIN
    DELETE FROM case_queue_search WHERE rowid = OLD.search_rowid;
END;
