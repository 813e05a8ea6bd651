/**
 * Conversion artefacts of texts pasted from Word (see the fixtures' README): `[bookmark: …]`
 * anchors are debris; `[footnoteRef:N]` marks where footnote N is cited (Word may leave the
 * footnote's number right after it: `countries[footnoteRef:1]1,` — that digit is debris too);
 * `[N: N text]` holds footnote N's body, on a line of its own or inline at the end of the line
 * citing it.
 */
export const BOOKMARK = /\[bookmark: [^\]]*\]/g;
/** A footnote reference with the stray copy of its number Word writes after it. */
export const FOOTNOTE_REF = /\[footnoteRef:(\d+)\](?:\1(?!\d))?/g;
export const FOOTNOTE_BODY = /^\[(\d+): ?(?:\1\s+)?(.*)\]$/;
/** A footnote body inline in a line: `[1: 1 \tThese include …]`. */
export const INLINE_FOOTNOTE_BODY = /\s*\[(\d+):[ \t]*(?:\1(?!\d)[ \t]*)?([^\]]*)\]/g;

/** A line without bookmarks, trailing space and the leading spaces/tabs Word leaves. */
export function cleanLine(line: string): string {
  return line
    .replace(BOOKMARK, '')
    .replace(/\s+$/, '')
    .replace(/^[ \t]+/, '');
}

/** Footnote bodies written inline in a line, removed from it. */
export function extractInlineFootnotes(line: string): { line: string; bodies: [string, string][] } {
  const bodies: [string, string][] = [];
  if (!/\[footnoteRef:\d+\]/.test(line) && !FOOTNOTE_BODY.test(line)) return { line, bodies };
  const rest = line.replace(INLINE_FOOTNOTE_BODY, (_all, n: string, text: string) => {
    bodies.push([n, text.trim()]);
    return '';
  });
  return { line: rest, bodies };
}

const SUPERSCRIPTS = /[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g;

/**
 * Folds a text for comparison: artefacts removed, whitespace runs to one space, blank lines
 * dropped; footnote bodies (on their own line or inline) gathered at the end as `N text` under a
 * `__________________` rule, as the plain-text export prints them; superscript footnote numbers
 * of an export dropped, as `[footnoteRef:N]` markers are.
 */
export function normaliseText(text: string): string[] {
  const notes: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.replace(BOOKMARK, '');
    const own = FOOTNOTE_BODY.exec(line.trim());
    if (own) {
      notes.push(`${own[1]} ${own[2]}`.replace(/\s+/g, ' ').trim());
      continue;
    }
    const { line: rest, bodies } = extractInlineFootnotes(line);
    for (const [n, body] of bodies) notes.push(`${n} ${body}`.replace(/\s+/g, ' ').trim());
    line = rest.replace(FOOTNOTE_REF, '').replace(SUPERSCRIPTS, '').replace(/\s+/g, ' ').trim();
    if (line !== '') lines.push(line);
  }
  if (notes.length) lines.push('__________________', ...notes);
  return lines;
}
