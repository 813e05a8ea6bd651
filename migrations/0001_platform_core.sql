-- Platform core: working groups, delegations, accounts, sessions, documents and their update log.

CREATE TABLE working_groups (
  id          INTEGER PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE delegations (
  id          INTEGER PRIMARY KEY,
  group_id    INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  color       TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (group_id, name)
);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  display_name  TEXT NOT NULL,
  password_hash TEXT,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A user's role in one working group; delegates act for one delegation of that group.
CREATE TABLE memberships (
  user_id        INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  group_id       INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  role           TEXT NOT NULL CHECK (role IN ('chair', 'secretariat', 'delegate', 'observer')),
  delegation_id  INTEGER REFERENCES delegations(id) ON DELETE RESTRICT,
  PRIMARY KEY (user_id, group_id),
  CHECK (role <> 'delegate' OR delegation_id IS NOT NULL)
);

-- Browser sessions; only a SHA-256 of the cookie's token is stored.
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);

-- API tokens for scripts; only a SHA-256 of the token is stored.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
);

CREATE TABLE documents (
  id              TEXT PRIMARY KEY,
  group_id        INTEGER NOT NULL REFERENCES working_groups(id) ON DELETE CASCADE,
  symbol          TEXT NOT NULL,
  title           TEXT NOT NULL,
  type            TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'draft',
  schema_version  INTEGER NOT NULL DEFAULT 1,
  created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (group_id, symbol)
);

-- The Yjs update log: each row is one update the server applied, appended before it is broadcast.
CREATE TABLE document_updates (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  data         BLOB NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX document_updates_by_document ON document_updates(document_id, id);

-- Compacted state: the merge of every update up to and including last_update_id.
CREATE TABLE document_snapshots (
  document_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  data            BLOB NOT NULL,
  last_update_id  INTEGER NOT NULL,
  schema_version  INTEGER NOT NULL,
  created_at      INTEGER NOT NULL
);

-- Append-only record of membership changes, documents created and (later) chair decisions.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  user_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  group_id  INTEGER REFERENCES working_groups(id) ON DELETE SET NULL,
  action    TEXT NOT NULL,
  detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
