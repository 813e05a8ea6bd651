-- Named versions of a document (Rev.1, "Chair's text") and autosave points: the full Yjs state and
-- the text as ProseMirror JSON, who took it and when.
CREATE TABLE versions (
  id           INTEGER PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN ('named', 'autosave')),
  state        BLOB NOT NULL,
  text         TEXT NOT NULL,
  created_by   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX versions_by_document ON versions (document_id, id);
