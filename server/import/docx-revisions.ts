import { DELETION_CLOSE, DELETION_OPEN, INSERTION_CLOSE, INSERTION_OPEN } from '../../shared/import/revision-chars.ts';

/**
 * Writes a .docx's revision marks into its text before mammoth reads it. mammoth drops deleted
 * text (w:del, w:moveFrom) and reads inserted text (w:ins, w:moveTo) as any other, and it ignores
 * underlining, the way ITU prints an insertion in a MOD without tracked changes. So a story part
 * (word/document.xml, footnotes, endnotes) is rewritten, as text, keeping every byte but these:
 *
 * - each run that is a revision gets the marks of shared/import/revision-chars.ts around its text
 *   (before the first character of its first w:t, after the last of its last): a tracked insertion
 *   or move to (w:ins, w:moveTo), else a tracked deletion or move from (w:del, w:moveFrom), the
 *   nearest of them around the run deciding; without tracked changes a struck-through run (w:strike,
 *   w:dstrike in its own w:rPr) is a deletion, else an underlined one (w:u, not "none") an insertion;
 * - w:del and w:moveFrom around runs become w:ins and w:moveTo, and w:delText / w:delInstrText
 *   become w:t / w:instrText, so mammoth reads the deleted text;
 * - a tracked deletion of a paragraph mark (w:pPr/w:rPr/w:del) is removed, so mammoth does not
 *   join the paragraph to the next: a deleted paragraph stays a line, all of it deletion;
 * - the private-use characters of the marks are removed from the text, so only a revision of the
 *   file makes them.
 *
 * Formatting-only changes (w:rPrChange, w:pPrChange) and the w:ins of a paragraph mark change no
 * text and are left alone; the underlining or striking they record is the earlier formatting, not
 * read. Only the run's own w:rPr counts, not a style's. A part this reader cannot follow (not UTF-8,
 * not the "w:" prefix of WordprocessingML, not the XML Word writes) is left as it is.
 *
 * The part grows by at most six bytes a run that is a revision (and shrinks by twelve per
 * w:delText), so the limits docx-zip.ts checked on the file still bound what mammoth parses.
 */
export const REVISED_PARTS = ['word/document.xml', 'word/footnotes.xml', 'word/endnotes.xml'];

const WORDML = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const TOKEN = /<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<(\/?)([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|[^<]+/y;
/** The marks' characters, as themselves or as character references. */
const MARKS = /[\uE000-\uE003]|&#(?:x0*[eE]00[0-3]|0*5734[4-7]);/g;

type Kind = 'insertion' | 'deletion';
const TRACKED: Record<string, { kind: Kind; as: string }> = {
  'w:ins': { kind: 'insertion', as: 'w:ins' },
  'w:moveTo': { kind: 'insertion', as: 'w:moveTo' },
  'w:del': { kind: 'deletion', as: 'w:ins' },
  'w:moveFrom': { kind: 'deletion', as: 'w:moveTo' },
};
const RENAMED: Record<string, string> = { 'w:delText': 'w:t', 'w:delInstrText': 'w:instrText' };

interface Open {
  name: string;
  /** The name it is written with (a renamed w:del, w:delText…). */
  as: string;
  /** The tracked change it opens, if it is one around runs. */
  tracked?: Kind;
  /** Removed with its content (a paragraph mark's deletion). */
  removed?: boolean;
}

interface Run {
  tracked?: Kind;
  struck: boolean;
  underlined: boolean;
  first: number;
  last: number;
  depth: number;
}

/** The part with its revisions written as marks, or null when nothing in it changes. */
export function markRevisions(xml: string): string | null {
  if (!xml.includes(WORDML)) return null;
  const tokens: string[] = [];
  const stack: Open[] = [];
  const runs: Run[] = [];
  let changed = false;
  let removing = 0;
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < xml.length) {
    const match = TOKEN.exec(xml);
    if (!match) return null;
    const [raw, closing, name, , selfClosing] = match;
    if (name === undefined) {
      // Text, a comment, the XML declaration.
      if (removing) continue;
      const run = runs.at(-1);
      const parent = stack.at(-1);
      if (raw[0] !== '<' && run && parent && (parent.name === 'w:t' || parent.name === 'w:delText') && stack.length === run.depth + 2) {
        const text = raw.replace(MARKS, '');
        if (text !== raw) changed = true;
        tokens.push(text);
        if (text !== '') {
          if (run.first < 0) run.first = tokens.length - 1;
          run.last = tokens.length - 1;
        }
      } else tokens.push(raw);
      continue;
    }
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) return null;
      if (open.removed) {
        removing--;
        continue;
      }
      if (removing) continue;
      tokens.push(open.as === name ? raw : `</${open.as}>`);
      if (name === 'w:r' && runs.at(-1)?.depth === stack.length && endRun(runs.pop()!, tokens)) changed = true;
      continue;
    }
    const parent = stack.at(-1);
    const grandparent = stack.at(-2);
    if (removing) {
      if (!selfClosing) stack.push({ name, as: name, removed: false });
      continue;
    }
    // The deletion of a paragraph mark: removed, so the paragraph stays a paragraph of its own.
    if ((name === 'w:del' || name === 'w:moveFrom') && parent?.name === 'w:rPr' && grandparent?.name === 'w:pPr') {
      changed = true;
      if (!selfClosing) {
        stack.push({ name, as: name, removed: true });
        removing++;
      }
      continue;
    }
    let as = name;
    let tracked: Kind | undefined;
    const track = TRACKED[name];
    // Around runs, not in properties (w:rPr, w:trPr, w:numPr… record changes of marks and rows).
    if (track && !(parent && /Pr(Change)?$/.test(parent.name))) {
      tracked = track.kind;
      as = track.as;
    }
    const run = runs.at(-1);
    if (RENAMED[name] && run && stack.length === run.depth + 1) as = RENAMED[name]!;
    if (as !== name) changed = true;
    tokens.push(as === name ? raw : `<${as}${raw.slice(1 + name.length)}`);
    // Direct formatting: the run's own w:rPr, not the earlier formatting in its w:rPrChange.
    if (run && parent?.name === 'w:rPr' && stack.length === run.depth + 2) {
      const value = /\sw:val\s*=\s*["']([^"']*)["']/.exec(match[3] ?? '')?.[1];
      if (name === 'w:strike' || name === 'w:dstrike') run.struck ||= !['false', '0', 'off'].includes(value ?? 'true');
      if (name === 'w:u') run.underlined = value !== undefined && !['none', 'false', '0'].includes(value);
    }
    if (selfClosing) continue;
    if (name === 'w:r') {
      const around = [...stack].reverse().find((open) => open.tracked);
      runs.push({ tracked: around?.tracked, struck: false, underlined: false, first: -1, last: -1, depth: stack.length });
    }
    stack.push({ name, as, tracked });
  }
  if (stack.length) return null;
  return changed ? tokens.join('') : null;
}

/** Puts the marks around a run's text; whether it did. */
function endRun(run: Run, tokens: string[]): boolean {
  const kind = run.tracked ?? (run.struck ? 'deletion' : run.underlined ? 'insertion' : undefined);
  if (!kind || run.first < 0) return false;
  const [open, close] = kind === 'insertion' ? [INSERTION_OPEN, INSERTION_CLOSE] : [DELETION_OPEN, DELETION_CLOSE];
  tokens[run.first] = open + tokens[run.first];
  tokens[run.last] += close;
  return true;
}

/**
 * A line's marks made tidy: marks around nothing dropped, a mark closed and reopened across
 * spaces or a tab (two runs of one revision) joined, spaces at the line's ends taken out of marks.
 */
export function tidyMarks(line: string): string {
  return line
    .replace(/\uE000(\s*)\uE001|\uE002(\s*)\uE003/g, '$1$2')
    .replace(/\uE001(\s*)\uE000|\uE003(\s*)\uE002/g, '$1$2')
    .replace(/\uE000(\s*)\uE001|\uE002(\s*)\uE003/g, '$1$2')
    .trim()
    .replace(/^([\uE000\uE002])\s+/, '$1')
    .replace(/\s+([\uE001\uE003])$/, '$1');
}
