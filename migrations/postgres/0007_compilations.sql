-- The cover block of an imported proposal (conference, document and addendum number, date, source,
-- original language, agenda item), as JSON: printed once in the header of exports.
ALTER TABLE documents ADD COLUMN cover TEXT NOT NULL DEFAULT '{}';

-- A negotiation text compiled from several sources' proposals against one base text: which
-- documents it came from, and the compilation table (provision × source) as it was compiled.
CREATE TABLE compilations (
  document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
  base_document_id TEXT NOT NULL REFERENCES documents(id),
  sources TEXT NOT NULL,
  table_json TEXT NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
);
