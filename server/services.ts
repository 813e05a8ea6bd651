import type { Config } from './config.ts';
import type { Db } from './storage/database.ts';
import { Accounts } from './storage/accounts.ts';
import { Documents } from './storage/documents.ts';
import { DocumentLog } from './storage/document-log.ts';
import { Sessions } from './auth/sessions.ts';
import { ApiTokens } from './auth/tokens.ts';
import { DecisionLog } from './decisions/decision-log.ts';
import { ThreadStore } from './threads/thread-store.ts';
import { VersionStore } from './versions/version-store.ts';
import { Compilations } from './storage/compilations.ts';
import type { Hub } from './collab/hub.ts';
import type { DocumentEvents } from './documents/document-events.ts';
import type { BracketCounter } from './decisions/bracket-stats.ts';

/** The stores the routes, the collaboration hub and the CLI share, over one SQLite connection. */
export interface Stores {
  db: Db;
  accounts: Accounts;
  documents: Documents;
  log: DocumentLog;
  sessions: Sessions;
  tokens: ApiTokens;
  decisions: DecisionLog;
  threads: ThreadStore;
  versions: VersionStore;
  compilations: Compilations;
}

/**
 * What the routes and the background work (autosave) share, built once in buildApp, the one
 * composition root: the stores, the collaboration hub and each document's live event stream.
 */
export interface Services {
  stores: Stores;
  hub: Hub;
  events: DocumentEvents;
  /** Each document's open questions, counted once per change of its text (the group page lists them). */
  brackets: BracketCounter;
}

export function openStores(db: Db, config: Pick<Config, 'sessionTtlMs'>): Stores {
  return {
    db,
    accounts: new Accounts(db),
    documents: new Documents(db),
    log: new DocumentLog(db),
    sessions: new Sessions(db, config.sessionTtlMs),
    tokens: new ApiTokens(db),
    decisions: new DecisionLog(db),
    threads: new ThreadStore(db),
    versions: new VersionStore(db),
    compilations: new Compilations(db),
  };
}
