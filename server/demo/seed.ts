import { randomInt } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Role } from '../../shared/roles.ts';
import type { Stores } from '../services.ts';
import { hashPassword } from '../auth/password.ts';
import { importText } from '../../shared/import/index.ts';
import { startFromBaseText } from '../../shared/base-text.ts';
import { initialTextUpdate } from '../collab/initial-text.ts';
import { audit } from '../storage/audit.ts';

const TEXTS = resolve(import.meta.dirname, 'texts');

/** The demo working group: six Member States and two regional groups, each with one delegate. */
export const DEMO_GROUP = { slug: 'cwg-ai', name: 'Council Working Group on Artificial Intelligence' };
const DELEGATIONS: { name: string; username: string; person: string }[] = [
  { name: 'Brazil', username: 'brazil', person: 'Ana Souza' },
  { name: 'Canada', username: 'canada', person: 'Claire Tremblay' },
  { name: 'China', username: 'china', person: 'Li Wei' },
  { name: 'France', username: 'france', person: 'Julien Martin' },
  { name: 'Kenya', username: 'kenya', person: 'Wanjiru Kamau' },
  { name: 'Saudi Arabia', username: 'saudi-arabia', person: 'Faisal Al-Harbi' },
  { name: 'ATU', username: 'atu', person: 'Amina Diallo (African Telecommunications Union)' },
  { name: 'CEPT', username: 'cept', person: 'Erik Johansson (European Conference of Postal and Telecommunications Administrations)' },
];
const OFFICERS: { username: string; person: string; role: Role }[] = [
  { username: 'chair', person: 'Chair of the Working Group', role: 'chair' },
  { username: 'secretariat', person: 'ITU Secretariat', role: 'secretariat' },
  { username: 'observer', person: 'Observer', role: 'observer' },
];
/**
 * The demo's documents: the draft resolution as pasted by the secretariat, a proposal that
 * modifies it (every provision NOC with its base kept, so edits show as MOD), and the Council
 * document that created the group.
 */
const DOCUMENTS = [
  {
    file: 'draft-new-resolution-ai.txt',
    symbol: 'CWG-AI/2',
    title: 'Draft new Resolution [WGPL-XX]: Artificial Intelligence (AI) technologies and telecommunications/ICTs',
    type: 'resolution' as const,
    source: ['Brazil', 'Kenya', 'ATU'],
    fromBase: false,
    baseReference: '',
  },
  {
    file: 'draft-new-resolution-ai.txt',
    symbol: 'CWG-AI/3',
    title: 'Proposed modifications to Draft new Resolution [WGPL-XX] (CWG-AI/2)',
    type: 'resolution' as const,
    source: ['CEPT'],
    fromBase: true,
    baseReference: 'Document CWG-AI/2',
  },
  {
    file: 'council-proposal-cwg-ai.txt',
    symbol: 'C24/XX',
    title: 'Proposal for the creation of a Council working group on artificial intelligence',
    type: 'council-document' as const,
    source: ['Saudi Arabia'],
    fromBase: false,
    baseReference: '',
  },
];

/** Memorable generated passwords: four words and two digits. */
const WORDS = [
  'amber',
  'basalt',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'granite',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lagoon',
  'meadow',
  'nectar',
  'orchid',
  'pebble',
  'quartz',
  'raven',
  'saffron',
  'tundra',
  'umber',
  'violet',
  'willow',
  'yarrow',
];
function newPassword(): string {
  return `${[0, 1, 2, 3].map(() => WORDS[randomInt(WORDS.length)]).join('-')}-${randomInt(10, 100)}`;
}

export interface DemoLogin {
  username: string;
  password: string;
  role: Role;
  delegation: string | null;
}

/**
 * Seeds the demo working group on an empty database and writes the generated passwords to
 * `<dataDir>/demo-credentials.txt`. Returns the logins, or null when the database was not empty.
 */
export async function seedDemo(stores: Stores, dataDir: string): Promise<DemoLogin[] | null> {
  if (stores.accounts.groupCount() > 0) return null;
  const logins: DemoLogin[] = [];
  const accounts = [
    ...OFFICERS.map((o) => ({ ...o, delegation: null as string | null })),
    ...DELEGATIONS.map((d) => ({ username: d.username, person: d.person, role: 'delegate' as Role, delegation: d.name })),
  ];
  const hashes = await Promise.all(
    accounts.map(async (a) => {
      const password = newPassword();
      return { ...a, password, hash: await hashPassword(password) };
    }),
  );
  stores.db.transaction(() => {
    stores.accounts.addGroup(DEMO_GROUP.slug, DEMO_GROUP.name);
    for (const d of DELEGATIONS) stores.accounts.addDelegation(DEMO_GROUP.slug, d.name);
    for (const a of hashes) {
      const user = stores.accounts.addUser(a.username, a.person, a.hash);
      stores.accounts.setMembership(user.id, DEMO_GROUP.slug, a.role, a.delegation ?? undefined);
      logins.push({ username: a.username, password: a.password, role: a.role, delegation: a.delegation });
    }
    const group = stores.accounts.requireGroup(DEMO_GROUP.slug);
    for (const d of DOCUMENTS) {
      const record = stores.documents.create({
        groupId: group.id,
        symbol: d.symbol,
        title: d.title,
        type: d.type,
        createdBy: null,
        source: d.source,
        baseReference: d.baseReference,
        originalLanguage: 'English',
      });
      const imported = importText(readFileSync(join(TEXTS, d.file), 'utf8'), d.type);
      const doc = d.fromBase ? startFromBaseText(imported.doc) : imported.doc;
      stores.log.append([{ documentId: record.id, update: initialTextUpdate(doc) }]);
    }
    audit(stores.db, { userId: null, groupId: group.id, action: 'demo.seed', detail: { delegations: DELEGATIONS.length } });
  })();
  const lines = logins.map((l) => `${l.username.padEnd(14)} ${l.password.padEnd(36)} ${l.role}${l.delegation ? ` (${l.delegation})` : ''}`);
  writeFileSync(join(dataDir, 'demo-credentials.txt'), `# Concord demo logins (generated)\n${lines.join('\n')}\n`, { mode: 0o600 });
  return logins;
}
