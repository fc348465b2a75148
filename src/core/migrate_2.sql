-- itstrat schema, version 2: what the web portfolio needs (migration 1 -> 2).
--
-- Portfolio order. The portfolio lists a strategy's projects in document
-- order (sort), filtered and paged with LIMIT/OFFSET. project_portfolio
-- serves that order and carries the status and category, so that a filter
-- on them is decided from the index alone: only the rows shown are read
-- from the table. (One index, not one per filter: each index a project has
-- is paid for at every import.)
CREATE INDEX project_portfolio ON project(strategy_id, sort, status, category_id);

-- Full-text search over a project's title, summary and the text of its
-- progress updates (rowid = project.id; porter stemming, so "backups" finds
-- "backup"). Imports do NOT keep it up to date, to stay fast: search_index
-- marks the strategies whose rows are complete, with the highest project
-- and update ids that existed when they were written. The server writes a
-- strategy's rows at its first search (store_portfolio.c); rows of a
-- strategy's projects are replaced then, rows of projects that are gone are
-- dropped then. A search always joins back to project, so a stale row can
-- never show a project that is not there.
CREATE VIRTUAL TABLE project_fts USING fts5(title, summary, updates,
  tokenize = 'porter unicode61 remove_diacritics 2');

CREATE TABLE search_index (
  strategy_id     INTEGER PRIMARY KEY REFERENCES strategy(id) ON DELETE CASCADE,
  max_project_id  INTEGER NOT NULL,  -- project rows above this were added later
  max_update_id   INTEGER NOT NULL   -- project_update rows above this were added later
);

-- Rows added later are found by their ids (see above). Text changed or
-- removed in place is not, so these triggers drop the strategy's mark. An
-- import only inserts, and pays nothing for them.
CREATE TRIGGER search_project_text AFTER UPDATE OF title, summary ON project
  WHEN OLD.title IS NOT NEW.title OR OLD.summary IS NOT NEW.summary
BEGIN
  DELETE FROM search_index WHERE strategy_id IN (OLD.strategy_id, NEW.strategy_id);
END;
CREATE TRIGGER search_update_text AFTER UPDATE OF text, project_id ON project_update
BEGIN
  DELETE FROM search_index WHERE strategy_id IN
    (SELECT strategy_id FROM project WHERE id IN (OLD.project_id, NEW.project_id));
END;
CREATE TRIGGER search_update_gone AFTER DELETE ON project_update
  WHEN EXISTS (SELECT 1 FROM search_index)
BEGIN
  DELETE FROM search_index
   WHERE strategy_id = (SELECT strategy_id FROM project WHERE id = OLD.project_id);
END;
