-- itstrat schema, version 4: editing in the browser (migration 3 -> 4).
--
-- Every record that a form or the API edits carries a version, bumped by
-- each change; a save names the version it started from and is refused when
-- the record has moved on (optimistic concurrency, src/core/entity.c).
ALTER TABLE strategy ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE category ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE location ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE outcome ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE output ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE driver ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE indicator ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE milestone ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE measurement ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE project ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE project_update ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE risk ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE risk_action ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE service ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE service_measurement ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE expenditure ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE committee ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE meeting ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE decision ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE report ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- A session whose password was right but whose second factor is still to
-- come (mfa_pending = 1) opens nothing but the code page.
ALTER TABLE session ADD COLUMN mfa_pending INTEGER NOT NULL DEFAULT 0;

-- Roll-out rows and dependencies get an id of their own, so that a form or
-- the API can name one (they were WITHOUT ROWID tables keyed by the pair).
CREATE TABLE project_location_v4 (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  location_id   INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
  status        TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'completed', 'cancelled')),
  date          TEXT,
  note          TEXT,
  sort          INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1,
  UNIQUE (project_id, location_id)
);
INSERT INTO project_location_v4 (project_id, location_id, status, date, note, sort)
  SELECT project_id, location_id, status, date, note, sort FROM project_location
  ORDER BY project_id, sort;
DROP TABLE project_location;
ALTER TABLE project_location_v4 RENAME TO project_location;
CREATE INDEX project_location_location ON project_location(location_id);

CREATE TABLE project_dependency_v4 (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  depends_on_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1,
  UNIQUE (project_id, depends_on_id),
  CHECK (project_id <> depends_on_id)
);
INSERT INTO project_dependency_v4 (project_id, depends_on_id, sort)
  SELECT project_id, depends_on_id, sort FROM project_dependency ORDER BY project_id, sort;
DROP TABLE project_dependency;
ALTER TABLE project_dependency_v4 RENAME TO project_dependency;
CREATE INDEX project_dependency_back ON project_dependency(depends_on_id);
