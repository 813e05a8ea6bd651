/**
 * Conversion artefacts of texts pasted from Word (see the fixtures' README): `[bookmark: …]`
 * anchors are debris; `[footnoteRef:N]` marks where footnote N is cited; `[N: N text]` lines hold
 * footnote bodies. None of these square brackets are negotiation brackets.
 */
export const BOOKMARK = /\[bookmark: [^\]]*\]/g;
export const FOOTNOTE_REF = /\[footnoteRef:(\d+)\]/g;
export const FOOTNOTE_BODY = /^\[(\d+): ?(?:\1\s+)?(.*)\]$/;

/** A line without bookmarks, trailing space and the leading spaces/tabs Word leaves. */
export function cleanLine(line: string): string {
  return line.replace(BOOKMARK, '').replace(/\s+$/, '').replace(/^[ \t]+/, '');
}

/** Folds a text for comparison: artefacts removed, whitespace runs to one space, blank lines dropped. */
export function normaliseText(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(BOOKMARK, '').replace(FOOTNOTE_REF, '').replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
}
