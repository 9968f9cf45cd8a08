-- A save at the design volume: one save in twenty took 26 ms or more at a
-- million cases (p50 3.5 ms), and the difference was the full-text indexes
-- merging their segments inside the save's transaction (FTS5's automerge,
-- by default after every fourth write to a level). With automerge off, each
-- commit still adds one small segment per index, and FTS5 still merges a
-- level once it holds 16 of them (its crisis merge, `crisismerge`), so the
-- segments stay few; a save does that work once in sixteen instead of
-- piecemeal after most of them (docs/BENCHMARKS.md, "One save at a million
-- cases"). The searches read the same entries either way.
INSERT INTO case_search (case_search, rank) VALUES ('automerge', 0);
INSERT INTO case_grams (case_grams, rank) VALUES ('automerge', 0);
INSERT INTO case_queue_search (case_queue_search, rank) VALUES ('automerge', 0);
