-- Metadata kept with each document (issue: the texts of the field): its revision, the delegations
-- it comes from, the base text it modifies, its original language and date.
ALTER TABLE documents ADD COLUMN revision TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN source TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN base_reference TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN original_language TEXT NOT NULL DEFAULT 'English';
ALTER TABLE documents ADD COLUMN document_date TEXT;
