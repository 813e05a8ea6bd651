import { tidyMarks } from './docx-revisions.ts';

const TOKEN = /<(\/?)([a-zA-Z0-9]+)([^>]*)>|([^<]+)/g;
const BLOCK = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/**
 * Lays out the simple HTML mammoth makes of a .docx as the plain-text importer reads it: one
 * paragraph a line, Word list items with "1\t" / "–\t" labels, footnote references as
 * `[footnoteRef:N]` and footnote bodies as `[N: N text]` lines. The revision marks written into
 * the text before mammoth read it (docx-revisions.ts) are kept, tidied (tidyMarks).
 */
export function htmlToLines(html: string): string[] {
  const lines: string[] = [];
  const lists: { ordered: boolean; count: number }[] = [];
  let line: string | null = null;
  let pendingLabel = '';
  let footnote: string | null = null;
  let skipText = false;
  const flush = () => {
    if (line !== null) {
      const text = tidyMarks(line.replace(/\u00a0/g, ' '));
      if (footnote !== null) lines.push(`[${footnote}: ${footnote} ${text}]`);
      else if (text) lines.push(pendingLabel + text);
      pendingLabel = '';
    }
    line = null;
  };
  for (const match of html.matchAll(TOKEN)) {
    const [, closing, rawTag, attrs, text] = match;
    if (text !== undefined) {
      if (!skipText) line = (line ?? '') + decodeEntities(text);
      continue;
    }
    const tag = rawTag!.toLowerCase();
    if (tag === 'ol' || tag === 'ul') {
      flush();
      if (closing) lists.pop();
      else lists.push({ ordered: tag === 'ol', count: 0 });
    } else if (tag === 'li') {
      flush();
      if (closing) {
        footnote = null;
        continue;
      }
      const id = /id="footnote-(\d+)"/.exec(attrs ?? '');
      if (id) {
        footnote = id[1]!;
        continue;
      }
      const list = lists.at(-1);
      if (list) {
        list.count++;
        pendingLabel = list.ordered ? `${list.count}\t` : '–\t';
      }
      line = '';
    } else if (BLOCK.has(tag)) {
      if (closing) flush();
      else if (line === null || line.trim() === '') line = line ?? '';
      else flush();
    } else if (tag === 'br') {
      line = `${line ?? ''} `;
    } else if (tag === 'a' && !closing) {
      const ref = /id="footnote-ref-(\d+)"/.exec(attrs ?? '');
      const back = /href="#footnote-ref-\d+"/.test(attrs ?? '');
      if (ref) line = `${line ?? ''}[footnoteRef:${ref[1]}]`;
      skipText = Boolean(ref || back);
    } else if (tag === 'a' && closing) {
      skipText = false;
    }
  }
  flush();
  return lines;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
