import type { Config } from './config.ts';
import type { Db } from './storage/database.ts';
import { Accounts } from './storage/accounts.ts';
import { Documents } from './storage/documents.ts';
import { DocumentLog } from './storage/document-log.ts';
import { Sessions } from './auth/sessions.ts';
import { ApiTokens } from './auth/tokens.ts';
import { DecisionLog } from './decisions/decision-log.ts';

/** The stores the routes, the collaboration hub and the CLI share, over one SQLite connection. */
export interface Stores {
  db: Db;
  accounts: Accounts;
  documents: Documents;
  log: DocumentLog;
  sessions: Sessions;
  tokens: ApiTokens;
  decisions: DecisionLog;
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
  };
}
