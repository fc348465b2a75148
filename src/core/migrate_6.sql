-- itstrat schema, version 6 (migration 5 -> 6): signing in through the
-- organization's identity provider (OpenID Connect; src/auth/oidc.c,
-- src/web/page_oidc.c, docs/security.md "Identity providers").

-- Accounts get an e-mail address (unique without regard to case); an account
-- made by a provider has no usable password ('!' verifies against nothing).
ALTER TABLE app_user ADD COLUMN email TEXT;
CREATE UNIQUE INDEX app_user_email ON app_user(email COLLATE NOCASE) WHERE email IS NOT NULL;

-- The identity providers an admin configured.
CREATE TABLE idp (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,  -- in the address /login/oidc/NAME: a-z 0-9 -
  kind          TEXT NOT NULL CHECK (kind IN ('oidc', 'ldap')),
  label         TEXT NOT NULL,         -- the text of the sign-in button
  issuer        TEXT NOT NULL,         -- the issuer URL (https://...), exactly as in iss
  client_id     TEXT NOT NULL,
  client_secret TEXT,                  -- sealed with the key file (store_idp.h), or NULL
  scopes        TEXT NOT NULL DEFAULT 'openid email profile',
  role_claim    TEXT NOT NULL DEFAULT 'groups', -- the claim whose values map to roles
  jit           INTEGER NOT NULL DEFAULT 0,     -- 1: create accounts at first sign-in
  mfa_values    TEXT,                  -- amr/acr values that count as two-factor, space separated
  created_at    TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1
);

-- Which value of a provider's role claim gives which role (the highest wins).
CREATE TABLE idp_role (
  idp_id        INTEGER NOT NULL REFERENCES idp(id) ON DELETE CASCADE,
  value         TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'contributor', 'viewer')),
  PRIMARY KEY (idp_id, value)
) WITHOUT ROWID;

-- An account's identities at providers: (issuer, sub) is who the provider
-- says signed in.
CREATE TABLE user_identity (
  issuer        TEXT NOT NULL,
  subject       TEXT NOT NULL,
  user_id       INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at    TEXT NOT NULL,
  last_login    TEXT,
  PRIMARY KEY (issuer, subject)
) WITHOUT ROWID;
CREATE INDEX user_identity_user ON user_identity(user_id);

-- Sign-ins under way: the digest of state (single use: deleted when read),
-- the digest of the browser's pre-sign-in cookie it is bound to, the nonce
-- and the PKCE verifier.
CREATE TABLE oidc_pending (
  state_hash    TEXT PRIMARY KEY,
  idp_id        INTEGER NOT NULL REFERENCES idp(id) ON DELETE CASCADE,
  browser_hash  TEXT NOT NULL,
  nonce         TEXT NOT NULL,
  verifier      TEXT NOT NULL,
  next          TEXT NOT NULL,
  created_at    TEXT NOT NULL
) WITHOUT ROWID;

-- A session opened through a provider: which one (for its end-session
-- endpoint) and whether its amr/acr satisfied "require two-factor sign-in".
ALTER TABLE session ADD COLUMN idp_id INTEGER REFERENCES idp(id) ON DELETE SET NULL;
ALTER TABLE session ADD COLUMN mfa_idp INTEGER NOT NULL DEFAULT 0;
