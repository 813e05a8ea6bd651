-- One owner per document (server/cluster/ownership.ts): the instance that judges and stores a
-- document's updates holds its row until `expires_at` (the database's clock). `epoch` grows at each
-- takeover and `seq` is the number of the last stored update: every append is a compare-and-set on
-- both, so an owner that lost the row can never store again.

CREATE TABLE document_owners (
  document_id  TEXT PRIMARY KEY,
  owner        TEXT NOT NULL,
  epoch        BIGINT NOT NULL,
  expires_at   TIMESTAMPTZ NOT NULL,
  seq          BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE document_updates (
  document_id  TEXT NOT NULL,
  seq          BIGINT NOT NULL,
  epoch        BIGINT NOT NULL,
  data         BYTEA NOT NULL,
  stored_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (document_id, seq)
);
