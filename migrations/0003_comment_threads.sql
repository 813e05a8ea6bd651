-- Comment threads anchored to the text. Private threads never enter the shared Yjs document: their
-- anchors (Yjs relative positions) and comments live here, sent only to their own scope.
CREATE TABLE threads (
  id            INTEGER PRIMARY KEY,
  document_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  -- 'public' (the whole group) or a private scope: 'delegation:<id>', 'role:chair', 'role:secretariat'
  scope         TEXT NOT NULL,
  -- the delegation (or office) that opened it: who may resolve it besides the chair
  owner         TEXT NOT NULL,
  anchor_start  BLOB NOT NULL,
  anchor_end    BLOB NOT NULL,
  quote         TEXT NOT NULL,
  provision_id  TEXT,
  created_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  resolved_at   TEXT,
  resolved_by   INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX threads_by_document ON threads (document_id, id);

CREATE TABLE comments (
  id          INTEGER PRIMARY KEY,
  thread_id   INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
  user_id     INTEGER REFERENCES users(id) ON DELETE SET NULL,
  -- who the author spoke for when writing: a delegation name, or the office (Chair, Secretariat)
  speaks_for  TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  edited_at   TEXT,
  deleted_at  TEXT
);
CREATE INDEX comments_by_thread ON comments (thread_id, id);

-- delegations mentioned ("@Brazil") in a comment, for their notifications
CREATE TABLE comment_mentions (
  comment_id     INTEGER NOT NULL REFERENCES comments(id) ON DELETE CASCADE,
  delegation_id  INTEGER NOT NULL REFERENCES delegations(id) ON DELETE CASCADE,
  PRIMARY KEY (comment_id, delegation_id)
);
