-- itstrat schema, version 3: people, their sessions and tokens, and the
-- tamper-evident audit trail (migration 2 -> 3).

-- People who sign in. Roles: admin (users, settings), manager (edits
-- everything of the strategies), contributor (updates, roll-outs and
-- measurements of what is assigned to them), viewer (reads).
CREATE TABLE app_user (
  id            INTEGER PRIMARY KEY,
  login         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'contributor', 'viewer')),
  password_hash TEXT NOT NULL,   -- Argon2id, libsodium's crypto_pwhash_str format
  totp_secret   TEXT,            -- base32; NULL until enrolment is confirmed
  disabled      INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until  TEXT,            -- UTC 'YYYY-MM-DDTHH:MM:SSZ'
  created_at    TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1  -- optimistic concurrency
);

-- One-time recovery codes for a lost authenticator (hashed).
CREATE TABLE recovery_code (
  user_id       INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  code_hash     TEXT NOT NULL,
  used_at       TEXT,
  PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- What a contributor may update.
CREATE TABLE assignment (
  user_id       INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  project_id    INTEGER REFERENCES project(id) ON DELETE CASCADE,
  indicator_id  INTEGER REFERENCES indicator(id) ON DELETE CASCADE,
  CHECK ((project_id IS NULL) <> (indicator_id IS NULL))
);
CREATE UNIQUE INDEX assignment_project ON assignment(user_id, project_id) WHERE project_id IS NOT NULL;
CREATE UNIQUE INDEX assignment_indicator ON assignment(user_id, indicator_id) WHERE indicator_id IS NOT NULL;

-- Server-side sessions: the cookie holds a random token, the table its hash.
CREATE TABLE session (
  token_hash    TEXT PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  csrf          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  last_seen     TEXT NOT NULL,
  address       TEXT
) WITHOUT ROWID;
CREATE INDEX session_user ON session(user_id);

-- API tokens for /api/v1 writes: shown once, stored hashed.
CREATE TABLE api_token (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  token_hash    TEXT NOT NULL UNIQUE,
  scope         TEXT NOT NULL CHECK (scope IN ('read', 'write')),
  created_at    TEXT NOT NULL,
  expires_at    TEXT,
  revoked_at    TEXT
);

-- Settings an admin changes (e.g. require_mfa = 1).
CREATE TABLE setting (
  key           TEXT PRIMARY KEY,
  value         TEXT NOT NULL
) WITHOUT ROWID;

-- Failed sign-ins per address, for back-off and lock-out.
CREATE TABLE login_failure (
  address       TEXT NOT NULL,
  at            TEXT NOT NULL
);
CREATE INDEX login_failure_address ON login_failure(address, at);

-- Every change, append-only. Each entry's hash covers the previous entry's
-- hash and its own fields (src/core/audit.c), so an edited, inserted or
-- removed entry breaks the chain that `itstrat audit verify` walks. Not
-- tied to strategies: deleting one keeps its history.
CREATE TABLE audit (
  id            INTEGER PRIMARY KEY,
  at            TEXT NOT NULL,   -- UTC 'YYYY-MM-DDTHH:MM:SSZ'
  actor         TEXT NOT NULL,   -- login, or the OS user for the CLI
  via           TEXT NOT NULL CHECK (via IN ('cli', 'web', 'api')),
  address       TEXT,            -- client address for web and API
  action        TEXT NOT NULL,   -- create, update, delete, import, login...
  entity        TEXT NOT NULL,   -- strategy, project, user...
  entity_key    TEXT,            -- e.g. "2018-21/DC.1"
  before        TEXT,            -- JSON, NULL for a creation
  after         TEXT,            -- JSON, NULL for a deletion
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity, entity_key);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
