-- The chair's decisions on brackets and provision statuses: who, when, what, the text before and
-- after, and what undo needs (the units the decision changed, as ProseMirror JSON).
CREATE TABLE decisions (
  id           INTEGER PRIMARY KEY,
  document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
  at           TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  action       TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'choose', 'status', 'undo')),
  request      TEXT NOT NULL,
  summary      TEXT NOT NULL,
  brackets     TEXT NOT NULL DEFAULT '[]',
  units        TEXT NOT NULL DEFAULT '[]',
  text_before  TEXT NOT NULL DEFAULT '',
  text_after   TEXT NOT NULL DEFAULT '',
  -- the provision (or first provision) it concerns, to link the log entry to its place
  provision_id TEXT,
  undoes       INTEGER REFERENCES decisions(id),
  undone_by    INTEGER REFERENCES decisions(id)
);
CREATE INDEX decisions_by_document ON decisions (document_id, id);
