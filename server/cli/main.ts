import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { resolve } from 'node:path';
import { defaultConfig, databaseFile } from '../config.ts';
import { openDatabase } from '../storage/database.ts';
import type { Db } from '../storage/database.ts';
import { migrate } from '../storage/migrations.ts';
import { openStores } from '../services.ts';
import type { Stores } from '../services.ts';
import { AccountError } from '../storage/accounts.ts';
import { DocumentError } from '../storage/documents.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { audit } from '../storage/audit.ts';
import { isRole, needsDelegation, ROLES } from '../../shared/roles.ts';
import { readPassword } from './password-input.ts';
import { BackupError, checkBackup } from '../storage/backup-check.ts';
import { DataLockHeldError, holdDataLock } from '../storage/data-lock.ts';
import { copyFileSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { extname } from 'node:path';
import { DOCUMENT_TYPES, isDocumentSymbol } from '../../shared/documents.ts';
import type { DocumentType } from '../../shared/documents.ts';
import { importDocument, ImportError } from '../import/import-document.ts';
import { textOfState } from '../collab/document-text.ts';
import { EXPORT_FORMATS, EXPORT_MODES, OpenBracketsError, renderDocument } from '../export/formats.ts';
import { exportMeta } from '../export/meta.ts';
import type { ExportFormat, ExportMode } from '../export/formats.ts';

/**
 * `concord <command>`: the secretariat's admin tool, working on DATA_DIR (or --data-dir) whether
 * or not the server runs (SQLite WAL lets both write; restore alone needs it stopped). Script
 * output goes alone to stdout; errors are one line on stderr and a non-zero exit code.
 */
class UsageError extends Error {}

interface Command {
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  run?(stores: Stores, args: CommandArgs): Promise<void> | void;
  /** Instead of run: works on the data folder without opening its database first. */
  runOnDataDir?(dataDir: string, args: CommandArgs): Promise<void> | void;
}

interface CommandArgs {
  positionals: string[];
  values: Record<string, unknown>;
}

const out = (line: string) => process.stdout.write(`${line}\n`);

const COMMANDS: Record<string, Command> = {
  'group add': {
    usage: 'concord group add <slug> --name "<full name>"',
    summary: 'Create a working group.',
    options: { name: { type: 'string' } },
    run(stores, { positionals, values }) {
      const [slug] = need(positionals, 1, this.usage);
      const name = values.name;
      if (typeof name !== 'string' || !name.trim()) throw new UsageError(`give the group's full name: ${this.usage}`);
      const group = stores.accounts.addGroup(slug, name.trim());
      audit(stores.db, { userId: null, groupId: group.id, action: 'group.add', detail: { slug, name } });
      out(group.slug);
    },
  },
  'delegation add': {
    usage: 'concord delegation add <group-slug> "<delegation name>"',
    summary: 'Add a delegation (a Member State or a regional group) to a working group.',
    run(stores, { positionals }) {
      const [slug, name] = need(positionals, 2, this.usage);
      const delegation = stores.accounts.addDelegation(slug, name);
      audit(stores.db, { userId: null, groupId: delegation.groupId, action: 'delegation.add', detail: { name: delegation.name } });
      out(`${delegation.name}\t${delegation.color}`);
    },
  },
  'user add': {
    usage: 'concord user add <username> --group <slug> --role chair|secretariat|delegate|observer [--delegation "<name>"] [--display-name "<name>"]',
    summary: 'Create a user (or give an existing one a role in another group). The password is read from stdin.',
    options: { group: { type: 'string' }, role: { type: 'string' }, delegation: { type: 'string' }, 'display-name': { type: 'string' } },
    async run(stores, { positionals, values }) {
      const [username] = need(positionals, 1, this.usage);
      const group = values.group;
      const role = values.role;
      if (typeof group !== 'string') throw new UsageError(`--group is required: ${this.usage}`);
      if (typeof role !== 'string' || !isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const delegation = typeof values.delegation === 'string' ? values.delegation : undefined;
      const groupRecord = stores.accounts.requireGroup(group);
      if (needsDelegation(role) && !delegation) throw new UsageError('a delegate acts for a delegation: give one with --delegation "<name>"');
      if (delegation && !stores.accounts.delegation(groupRecord.id, delegation)) {
        throw new UsageError(`no delegation "${delegation}" in ${group}; add it first with: concord delegation add ${group} "${delegation}"`);
      }
      let user = stores.accounts.user(username);
      if (!user) {
        const password = await readPassword(`Password for ${username}: `);
        const problem = passwordProblem(password);
        if (problem) throw new UsageError(`${problem} (the password is read from stdin)`);
        const hash = await hashPassword(password);
        const displayName = typeof values['display-name'] === 'string' ? values['display-name'] : username;
        stores.db.transaction(() => {
          user = stores.accounts.addUser(username, displayName, hash);
          stores.accounts.setMembership(user.id, group, role, delegation);
        })();
      } else {
        stores.accounts.setMembership(user.id, group, role, delegation);
      }
      audit(stores.db, { userId: null, groupId: groupRecord.id, action: 'member.set', detail: { username, role, delegation: delegation ?? null } });
      out(username);
    },
  },
  token: {
    usage: 'concord token <username>',
    summary: 'Print a new API token for scripts (Authorization: Bearer <token>, or ?token= on the WebSocket).',
    run(stores, { positionals }) {
      const [username] = need(positionals, 1, this.usage);
      const user = stores.accounts.user(username);
      if (!user) throw new UsageError(`no user "${username}"; create one with: concord user add ${username} --group <slug> --role <role>`);
      const token = stores.tokens.create(user.id);
      audit(stores.db, { userId: user.id, groupId: null, action: 'token.create', detail: { username } });
      out(token);
    },
  },
  documents: {
    usage: 'concord documents <group-slug>',
    summary: "List a working group's documents: id, symbol, title, status (tab-separated).",
    run(stores, { positionals }) {
      const [slug] = need(positionals, 1, this.usage);
      const group = stores.accounts.requireGroup(slug);
      for (const d of stores.documents.list(group.id)) out([d.id, d.symbol, d.title, d.status].join('\t'));
    },
  },
  import: {
    usage: 'concord import <group-slug> <file.txt|file.docx> --symbol S [--title T] [--type resolution|recommendation|decision|council-document] [--from-base] [--base-reference "<text>"]',
    summary: 'Import a text as a new structured document and print its id. Lines that could not be placed are reported on stderr; their text is imported all the same.',
    options: { symbol: { type: 'string' }, title: { type: 'string' }, type: { type: 'string' }, 'from-base': { type: 'boolean' }, 'base-reference': { type: 'string' } },
    async run(stores, { positionals, values }) {
      const [slug, file] = need(positionals, 2, this.usage);
      const group = stores.accounts.requireGroup(slug);
      const symbol = values.symbol;
      if (typeof symbol !== 'string' || !isDocumentSymbol(symbol)) throw new UsageError(`give the document symbol, such as CWG-AI/3, with --symbol: ${this.usage}`);
      const type = values.type;
      if (type !== undefined && !(DOCUMENT_TYPES as readonly unknown[]).includes(type)) throw new UsageError(`--type must be one of ${DOCUMENT_TYPES.join(', ')}`);
      let content: Buffer;
      try {
        content = readFileSync(resolve(file));
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const isDocx = extname(file).toLowerCase() === '.docx';
      try {
        const { document, problems } = await importDocument(stores, {
          groupId: group.id,
          userId: null,
          symbol,
          title: typeof values.title === 'string' ? values.title : undefined,
          type: type as DocumentType | undefined,
          ...(isDocx ? { docx: content } : { text: content.toString('utf8') }),
          fromBase: values['from-base'] === true,
          baseReference: typeof values['base-reference'] === 'string' ? values['base-reference'] : undefined,
        });
        for (const problem of problems) process.stderr.write(`concord import: ${file}:${problem.line}: ${problem.message}\n`);
        out(document.id);
      } catch (error) {
        if (error instanceof ImportError) throw new UsageError(error.message);
        if (isDocx && /zip|central directory|corrupted/i.test((error as Error).message)) {
          throw new UsageError(`${file} is not a readable .docx (${(error as Error).message})`);
        }
        throw error;
      }
    },
  },
  export: {
    usage: 'concord export <document-id> --format txt|md|html|docx|akn [--mode clean|negotiation|revisions] [--keep-brackets] [-o FILE]',
    summary: 'Write the current text of a document to stdout or FILE. A clean export refuses while brackets are open (it lists them), unless --keep-brackets.',
    options: { format: { type: 'string' }, mode: { type: 'string' }, output: { type: 'string', short: 'o' }, 'keep-brackets': { type: 'boolean' } },
    async run(stores, { positionals, values }) {
      const [id] = need(positionals, 1, this.usage);
      const record = stores.documents.get(id);
      if (!record) throw new UsageError(`no document ${id}; list them with: concord documents <group-slug>`);
      const format = values.format ?? 'txt';
      const mode = values.mode ?? 'clean';
      if (!(EXPORT_FORMATS as readonly unknown[]).includes(format)) {
        throw new UsageError(`--format ${String(format)} is not available; available now: ${EXPORT_FORMATS.join(', ')}`);
      }
      if (!(EXPORT_MODES as readonly unknown[]).includes(mode)) throw new UsageError(`--mode must be one of ${EXPORT_MODES.join(', ')}`);
      if (format === 'docx' && typeof values.output !== 'string') throw new UsageError('a .docx goes to a file: add -o FILE.docx');
      let rendered: Awaited<ReturnType<typeof renderDocument>>;
      try {
        rendered = await renderDocument(textOfState(stores.log.state(id)), format as ExportFormat, mode as ExportMode, exportMeta(stores, record), { keepBrackets: values['keep-brackets'] === true });
      } catch (error) {
        if (error instanceof OpenBracketsError) throw new UsageError(error.message);
        throw error;
      }
      if (typeof values.output === 'string') {
        writeFileSync(resolve(values.output), rendered.body);
        out(resolve(values.output));
      } else process.stdout.write(rendered.body);
    },
  },
  backup: {
    usage: 'concord backup <file>',
    summary: 'Write a consistent copy of the database to <file> (safe while the server runs).',
    async run(stores, { positionals }) {
      const [file] = need(positionals, 1, this.usage);
      await stores.db.backup(resolve(file));
      out(resolve(file));
    },
  },
  restore: {
    usage: 'concord restore <file>',
    summary:
      'Replace the database by a backup made with "concord backup" (stop the server first). The backup is checked whole before anything is touched; the database it replaces is kept beside it as concord.db.before-restore-<time>.',
    // restore must work when the current database does not open: it is what restore repairs
    runOnDataDir(dataDir, { positionals }) {
      const [file] = need(positionals, 1, this.usage);
      const source = resolve(file);
      if (!existsSync(source)) throw new UsageError(`no file ${source}`);
      let lock: { release(): void };
      try {
        lock = holdDataLock(dataDir); // held throughout, so no server starts midway
      } catch (error) {
        if (error instanceof DataLockHeldError) throw new UsageError(`stop the server first: a Concord server is running on ${dataDir}`);
        throw error;
      }
      try {
        checkBackup(source);
        const target = databaseFile(defaultConfig({ dataDir }));
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const incoming = `${target}.restoring-${stamp}`;
        const kept = `${target}.before-restore-${stamp}`;
        try {
          // what is installed is the copy that was checked, not the file it came from
          copyFileSync(source, incoming);
          checkBackup(incoming, `the copy of ${source}`);
          removeFiles(incoming, ['-wal', '-shm']);
          const replaced = existsSync(target);
          let installed = false;
          try {
            moveAside(target, kept);
            renameSync(incoming, target);
            installed = true;
            const restored = openDatabase(target);
            try {
              migrate(restored);
            } finally {
              restored.close();
            }
          } catch (error) {
            // put the previous database back: the CLI and the server must find it as it was
            if (installed) removeFiles(target, SIDE_FILES);
            moveFiles(kept, target);
            if (error instanceof Error) error.message += '; the previous database is back in place';
            throw error;
          }
          out(target);
          if (replaced) process.stderr.write(`concord restore: the replaced database is kept as ${kept}\n`);
        } finally {
          removeFiles(incoming, SIDE_FILES);
        }
      } finally {
        lock.release();
      }
    },
  },
};

const SIDE_FILES = ['', '-wal', '-shm'];

function removeFiles(file: string, suffixes: string[]): void {
  for (const suffix of suffixes) rmSync(file + suffix, { force: true });
}

function moveFiles(from: string, to: string): void {
  for (const suffix of SIDE_FILES) if (existsSync(from + suffix)) renameSync(from + suffix, to + suffix);
}

/** Moves the database, if any, to `kept`: checkpointed into one file when it opens. */
function moveAside(target: string, kept: string): void {
  if (!existsSync(target)) return;
  try {
    const current = new Database(target, { fileMustExist: true });
    try {
      current.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      current.close();
    }
  } catch {
    // a database that does not open is moved as it is, with its -wal and -shm
  }
  moveFiles(target, kept);
}

/** `count` strings, as the type of what `need` checked. */
type Words<N extends number, Found extends string[] = []> = Found['length'] extends N ? Found : Words<N, [...Found, string]>;

function need<N extends number>(positionals: string[], count: N, usage: string): Words<N> {
  if (positionals.length < count) throw new UsageError(`missing argument: ${usage}`);
  if (positionals.length > count) throw new UsageError(`unexpected argument "${positionals[count]}": ${usage}`);
  return positionals as Words<N>;
}

function help(): string {
  const lines = Object.values(COMMANDS).map((c) => `  ${c.usage}\n      ${c.summary}`);
  return [
    'concord — admin tool of Concord, the drafting platform for working groups',
    '',
    'Usage:',
    ...lines,
    '',
    'Options for every command:',
    '  --data-dir <dir>   data folder (default: $DATA_DIR or ./data)',
    '  --help             help for the command',
  ].join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const name = [argv.slice(0, 2).join(' '), argv[0] ?? ''].find((candidate) => candidate in COMMANDS);
  if (!name) {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      out(help());
      return 0;
    }
    process.stderr.write(`concord: unknown command "${argv.slice(0, 2).join(' ')}"; run "concord --help" for the list\n`);
    return 64;
  }
  const command = COMMANDS[name]!;
  const rest = argv.slice(name.split(' ').length);
  let db: Db | undefined;
  try {
    const { positionals, values } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: { ...command.options, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    if (values.help) {
      out(`${command.usage}\n\n${command.summary}\n\n  --data-dir <dir>   data folder (default: $DATA_DIR or ./data)`);
      return 0;
    }
    const dataDir = resolve(typeof values['data-dir'] === 'string' ? values['data-dir'] : (process.env.DATA_DIR ?? 'data'));
    const config = defaultConfig({ dataDir });
    if (command.runOnDataDir) {
      await command.runOnDataDir(dataDir, { positionals, values });
      return 0;
    }
    db = openDatabase(databaseFile(config));
    migrate(db);
    await command.run!(openStores(db, config), { positionals, values });
    return 0;
  } catch (error) {
    const known = error instanceof UsageError || error instanceof AccountError || error instanceof DocumentError || error instanceof BackupError;
    const message = known || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? (error as Error).message : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`concord ${name}: ${message}\n`);
    return known ? 1 : 2;
  } finally {
    if (db?.open) db.close();
  }
}

// A reader that stops early (`concord documents cwg-ai | head -1`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await run(process.argv.slice(2));
