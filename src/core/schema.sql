-- itstrat schema, version 1.
--
-- One database holds any number of strategies; every row belongs to exactly
-- one strategy, directly or through its parent, and disappears with it
-- (ON DELETE CASCADE). Codes are the identities people see and the JSON
-- document uses; integer ids are internal. "sort" columns keep the order of
-- the source document, which is the order of the report.
--
-- Nothing derived is stored: indicator status, risk level and SLA compliance
-- are computed (src/core/rules.c, docs/rules.md).
--
-- Money is stored in cents (INTEGER) so that sums are exact.
-- Dates are TEXT 'YYYY-MM-DD'; months 'YYYY-MM'; periods 'YYYY' or 'YYYY-YY'.
--
-- Changes to this file are made as new numbered migrations in db_sqlite.c,
-- never by editing a version that has shipped.

CREATE TABLE strategy (
  id            INTEGER PRIMARY KEY,
  code          TEXT NOT NULL UNIQUE,
  title         TEXT NOT NULL,
  organization  TEXT,
  first_year    INTEGER NOT NULL,
  last_year     INTEGER NOT NULL,
  biennium_start TEXT NOT NULL DEFAULT 'even' CHECK (biennium_start IN ('even', 'odd')),
  approved_by   TEXT,          -- approving reference, e.g. GB.331/PFA/5
  approved_on   TEXT,
  summary       TEXT,          -- Markdown
  currency      TEXT NOT NULL DEFAULT 'USD',
  public        INTEGER NOT NULL DEFAULT 0,
  risk_matrix   TEXT,          -- 25 letters l/m/h/c, row-major probability x impact; NULL = default
  CHECK (first_year <= last_year)
);

-- Project categories, in figure order; new_or_major marks "new service
-- offerings or major improvements".
CREATE TABLE category (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  new_or_major  INTEGER NOT NULL DEFAULT 0,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);

-- Headquarters, regions, offices, project locations, departments.
CREATE TABLE location (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('headquarters', 'region', 'office', 'project', 'department', 'other')),
  parent_id     INTEGER REFERENCES location(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);
CREATE INDEX location_parent ON location(parent_id);

CREATE TABLE outcome (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  number        INTEGER NOT NULL,
  title         TEXT NOT NULL,
  description   TEXT,
  UNIQUE (strategy_id, number)
);

CREATE TABLE output (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  outcome_id    INTEGER NOT NULL REFERENCES outcome(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  title         TEXT NOT NULL,
  description   TEXT,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);
CREATE INDEX output_outcome ON output(outcome_id);

CREATE TABLE deliverable (
  output_id     INTEGER NOT NULL REFERENCES output(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  text          TEXT NOT NULL,
  PRIMARY KEY (output_id, sort)
);

-- Cross-cutting drivers.
CREATE TABLE driver (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  title         TEXT NOT NULL,
  description   TEXT,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);

-- Outcome indicators, KPIs and key risk indicators. At most one of
-- outcome_id / output_id / driver_id says what the indicator measures.
CREATE TABLE indicator (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('outcome', 'kpi', 'kri')),
  title         TEXT NOT NULL,
  description   TEXT,
  outcome_id    INTEGER REFERENCES outcome(id) ON DELETE CASCADE,
  output_id     INTEGER REFERENCES output(id) ON DELETE CASCADE,
  driver_id     INTEGER REFERENCES driver(id) ON DELETE CASCADE,
  unit          TEXT,
  direction     TEXT NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down')),
  baseline_value REAL,
  baseline_year INTEGER,
  target        REAL,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code),
  CHECK ((outcome_id IS NOT NULL) + (output_id IS NOT NULL) + (driver_id IS NOT NULL) <= 1)
);
CREATE INDEX indicator_outcome ON indicator(outcome_id);
CREATE INDEX indicator_output ON indicator(output_id);
CREATE INDEX indicator_driver ON indicator(driver_id);

CREATE TABLE milestone (
  indicator_id  INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  period        TEXT NOT NULL,  -- 'YYYY' or biennium 'YYYY-YY'
  value         REAL NOT NULL,
  sort          INTEGER NOT NULL,
  PRIMARY KEY (indicator_id, period)
);

CREATE TABLE measurement (
  indicator_id  INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  date          TEXT NOT NULL,
  value         REAL NOT NULL,
  source        TEXT,
  note          TEXT,
  PRIMARY KEY (indicator_id, date)
);

-- The portfolio. Exactly one primary home: an output, an outcome or a driver.
CREATE TABLE project (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  title         TEXT NOT NULL,
  summary       TEXT,
  outcome_id    INTEGER REFERENCES outcome(id) ON DELETE CASCADE,
  output_id     INTEGER REFERENCES output(id) ON DELETE CASCADE,
  driver_id     INTEGER REFERENCES driver(id) ON DELETE CASCADE,
  category_id   INTEGER REFERENCES category(id) ON DELETE SET NULL,
  status        TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'in_progress', 'pilot', 'completed', 'on_hold', 'cancelled')),
  planned_start TEXT,
  planned_end   TEXT,
  actual_start  TEXT,
  actual_end    TEXT,
  budget        INTEGER,        -- cents
  actual_cost   INTEGER,        -- cents
  currency      TEXT,
  unit          TEXT,           -- owning unit
  source        TEXT,           -- e.g. "GB.344/PFA, para. 16"
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code),
  CHECK ((outcome_id IS NOT NULL) + (output_id IS NOT NULL) + (driver_id IS NOT NULL) = 1)
);
CREATE INDEX project_output ON project(output_id);
-- Few projects live directly under an outcome or a driver: partial indexes.
CREATE INDEX project_outcome ON project(outcome_id) WHERE outcome_id IS NOT NULL;
CREATE INDEX project_driver ON project(driver_id) WHERE driver_id IS NOT NULL;
-- Covers the counts by category, status and home without reading whole rows
-- (and serves lookups by category within a strategy).
CREATE INDEX project_stats ON project(strategy_id, category_id, status, output_id, outcome_id, driver_id);

-- Work-plan years.
CREATE TABLE project_year (
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  year          INTEGER NOT NULL,
  PRIMARY KEY (project_id, year)
) WITHOUT ROWID;
CREATE INDEX project_year_year ON project_year(year, project_id);

-- Roll-out by location.
CREATE TABLE project_location (
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  location_id   INTEGER NOT NULL REFERENCES location(id) ON DELETE CASCADE,
  status        TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'completed', 'cancelled')),
  date          TEXT,
  note          TEXT,
  sort          INTEGER NOT NULL,
  PRIMARY KEY (project_id, location_id)
) WITHOUT ROWID;
CREATE INDEX project_location_location ON project_location(location_id);

-- project_id waits on depends_on_id.
CREATE TABLE project_dependency (
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  depends_on_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  PRIMARY KEY (project_id, depends_on_id),
  CHECK (project_id <> depends_on_id)
) WITHOUT ROWID;
CREATE INDEX project_dependency_back ON project_dependency(depends_on_id);

-- Progress updates; report_year marks the ones the report for that year includes.
CREATE TABLE project_update (
  id            INTEGER PRIMARY KEY,
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  date          TEXT NOT NULL,
  text          TEXT NOT NULL,  -- Markdown
  report_year   INTEGER,
  source        TEXT,
  sort          INTEGER NOT NULL
);
CREATE INDEX project_update_project ON project_update(project_id, sort);
CREATE INDEX project_update_report ON project_update(report_year) WHERE report_year IS NOT NULL;

CREATE TABLE update_footnote (
  update_id     INTEGER NOT NULL REFERENCES project_update(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  text          TEXT NOT NULL,  -- Markdown
  PRIMARY KEY (update_id, sort)
);

CREATE TABLE project_tag (
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  tag           TEXT NOT NULL,
  sort          INTEGER NOT NULL,
  PRIMARY KEY (project_id, tag)
) WITHOUT ROWID;

-- The risk register. Levels come from the strategy's matrix.
CREATE TABLE risk (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  title         TEXT NOT NULL,
  description   TEXT,
  category      TEXT,
  owner         TEXT,
  inherent_probability INTEGER CHECK (inherent_probability BETWEEN 1 AND 5),
  inherent_impact      INTEGER CHECK (inherent_impact BETWEEN 1 AND 5),
  residual_probability INTEGER CHECK (residual_probability BETWEEN 1 AND 5),
  residual_impact      INTEGER CHECK (residual_impact BETWEEN 1 AND 5),
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);

CREATE TABLE risk_action (
  risk_id       INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  title         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
  due           TEXT,
  owner         TEXT,
  PRIMARY KEY (risk_id, sort)
);

-- Key risk indicators of a risk.
CREATE TABLE risk_indicator (
  risk_id       INTEGER NOT NULL REFERENCES risk(id) ON DELETE CASCADE,
  indicator_id  INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  PRIMARY KEY (risk_id, indicator_id)
) WITHOUT ROWID;
CREATE INDEX risk_indicator_indicator ON risk_indicator(indicator_id);

-- Services and their service-level targets.
CREATE TABLE service (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  description   TEXT,
  availability_target REAL,    -- per cent
  response_hours      REAL,
  resolution_hours    REAL,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);

CREATE TABLE service_measurement (
  service_id    INTEGER NOT NULL REFERENCES service(id) ON DELETE CASCADE,
  period        TEXT NOT NULL,  -- 'YYYY-MM'
  availability  REAL,
  response_hours REAL,
  resolution_hours REAL,
  PRIMARY KEY (service_id, period)
);

-- IT spending.
CREATE TABLE expenditure (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  year          INTEGER NOT NULL,
  category      TEXT NOT NULL,
  unit          TEXT,
  amount        INTEGER NOT NULL,  -- cents
  currency      TEXT,
  project_id    INTEGER REFERENCES project(id) ON DELETE SET NULL,
  note          TEXT,
  sort          INTEGER NOT NULL
);
CREATE INDEX expenditure_strategy ON expenditure(strategy_id, sort);
CREATE INDEX expenditure_project ON expenditure(project_id);

-- Governance: committees, meetings, decisions.
CREATE TABLE committee (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  code          TEXT NOT NULL,
  name          TEXT NOT NULL,
  charter       TEXT,
  sort          INTEGER NOT NULL,
  UNIQUE (strategy_id, code)
);

CREATE TABLE meeting (
  id            INTEGER PRIMARY KEY,
  committee_id  INTEGER NOT NULL REFERENCES committee(id) ON DELETE CASCADE,
  date          TEXT NOT NULL,
  title         TEXT,
  sort          INTEGER NOT NULL
);
CREATE INDEX meeting_committee ON meeting(committee_id, sort);

CREATE TABLE decision (
  id            INTEGER PRIMARY KEY,
  meeting_id    INTEGER NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('approve', 'prioritize', 'hold', 'cancel', 'guidance', 'other')),
  text          TEXT NOT NULL,
  sort          INTEGER NOT NULL
);
CREATE INDEX decision_meeting ON decision(meeting_id, sort);

CREATE TABLE decision_project (
  decision_id   INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
  project_id    INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  PRIMARY KEY (decision_id, project_id)
) WITHOUT ROWID;
CREATE INDEX decision_project_project ON decision_project(project_id);

-- Metadata of the report sent to the governing body for a year.
CREATE TABLE report (
  id            INTEGER PRIMARY KEY,
  strategy_id   INTEGER NOT NULL REFERENCES strategy(id) ON DELETE CASCADE,
  year          INTEGER NOT NULL,
  final         INTEGER NOT NULL DEFAULT 0,
  body          TEXT,
  session       TEXT,
  date          TEXT,
  symbol        TEXT,
  section       TEXT,
  section_code  TEXT,
  original_language TEXT,
  title         TEXT,
  summary       TEXT,
  author_unit   TEXT,
  introduction  TEXT,
  stated_projects INTEGER,
  stated_new_or_major INTEGER,
  UNIQUE (strategy_id, year)
);

CREATE TABLE report_related (
  report_id     INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
  sort          INTEGER NOT NULL,
  symbol        TEXT NOT NULL,
  PRIMARY KEY (report_id, sort)
);
