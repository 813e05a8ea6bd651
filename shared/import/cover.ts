import type { ParsedLine } from './resolution.ts';
import { stripRevisionMarks } from './revisions.ts';

/** The cover block of a conference or Council document: who sends what, to which meeting, when. */
export interface CoverBlock {
  /** The conference or meeting as written: "World Radiocommunication Conference (WRC-15)". */
  conference: string;
  /** "Document 44-E" or "Addendum 7 to Document 44-E", as written (joined when split over two lines). */
  document: string;
  /** "44". */
  documentNumber: string;
  /** "7", or "" when not an addendum. */
  addendum: string;
  /** The date as written: "17 June 2015". */
  date: string;
  /** YYYY-MM-DD when the date parses, else null. */
  isoDate: string | null;
  /** "English". */
  original: string;
  /** The source as written: "European Common Proposals", "Member States of the CEPT". */
  source: string;
  /** "4", "1.2", as written after "Agenda item". */
  agendaItem: string;
  /** Source line numbers (1-based) the cover took; those lines are not in the body. */
  lines: number[];
}

const DOCUMENT = /^(?:(?:Addendum|Corrigendum|Revision) (\d+) to )?Document ([A-Z]*[- ]?\d+[A-Z]?)(?:\([^)]*\))?(?:-[A-Z])?$/i;
const ADDENDUM_ALONE = /^(?:Addendum|Corrigendum|Revision) (\d+) to$/i;
const DATE = /^(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})$/i;
const ORIGINAL = /^Original: ?(.+)$/i;
const AGENDA = /^Agenda item:? ?(.+)$/i;
const CONFERENCE = /\b(Conference|Assembly|Council|Meeting|Forum|Symposium)\b|\((WRC|WTSA|WTDC|PP|RA|WCIT|WTPF|CWG|RPM)-?[\w-]*\)/;
/** Lines a cover carries besides its fields: "PLENARY MEETING", "PROPOSALS FOR THE WORK OF THE CONFERENCE", "For action". */
const CAPITALS = /^[^a-z]*[A-Z]{3}[^a-z]*$/;
const PLACE_DATE = /^[A-Z][\w .'-]+, \d{1,2}(?:[–-]\d{1,2})? ?(?:[A-Z][a-z]+)?(?: ?[–-] ?\d{1,2} [A-Z][a-z]+)? \d{4}$/;

/** Where a cover ends at the latest: a proposal marker, a title, a Council resolution header. */
const STOP = /^(ADD\*?|MOD|\(MOD\)|SUP\*?|NOC)(\s|$)|^(draft )?(new |revised )?(resolution|recommendation|decision)\b|^R \d+ \(/i;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** The date as YYYY-MM-DD, or null. */
export function isoDateOf(text: string): string | null {
  const m = DATE.exec(text.trim());
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  const day = Number(m[1]);
  const date = new Date(Date.UTC(Number(m[3]), month - 1, day));
  if (date.getUTCDate() !== day) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a cover block at the top of a text: it must have a document line ("Document 44-E",
 * "Addendum 7 to Document 44-E") or an "Original:" line within its first lines. The conference
 * comes before them, the source right after "Original:", the agenda item last. Returns null when
 * the text has no cover.
 */
export function readCover(lines: readonly ParsedLine[]): CoverBlock | null {
  const head = lines.slice(0, 14).map((l) => ({ number: l.number, text: stripRevisionMarks(l.text).replace(/\t+/g, ' ').trim() }));
  const anchor = head.findIndex((l) => DOCUMENT.test(l.text) || ADDENDUM_ALONE.test(l.text) || ORIGINAL.test(l.text));
  if (anchor < 0) return null;
  const cover: CoverBlock = { conference: '', document: '', documentNumber: '', addendum: '', date: '', isoDate: null, original: '', source: '', agendaItem: '', lines: [] };
  let afterOriginal = false;
  let pendingAddendum = '';
  for (let i = 0; i < head.length; i++) {
    const { number, text } = head[i]!;
    const take = () => cover.lines.push(number);
    const addendumOnly = ADDENDUM_ALONE.exec(text);
    // "PLENARY MEETING\tAddendum 20 to" — a label before the document on the same line
    const trailing = /^(.*?)\s*((?:(?:Addendum|Corrigendum|Revision) \d+ to)(?: Document .+)?|Document \S+)$/i.exec(text);
    const documentText = pendingAddendum ? `${pendingAddendum} ${text}` : text;
    const document = DOCUMENT.exec(documentText) ?? (trailing && !addendumOnly ? DOCUMENT.exec(trailing[2]!) : null);
    if (addendumOnly || (trailing && ADDENDUM_ALONE.test(trailing[2]!) && i < anchor + 2)) {
      pendingAddendum = addendumOnly ? text : trailing![2]!;
      take();
      continue;
    }
    if (document && !cover.document) {
      cover.document = pendingAddendum ? documentText : document[0]!;
      cover.addendum = document[1] ?? '';
      cover.documentNumber = document[2]!.replace(/^[A-Z]*[- ]?/i, '');
      pendingAddendum = '';
      take();
      continue;
    }
    if (DATE.test(text) && !cover.date) {
      cover.date = text;
      cover.isoDate = isoDateOf(text);
      take();
      continue;
    }
    const original = ORIGINAL.exec(text);
    if (original && !cover.original) {
      cover.original = original[1]!.trim();
      afterOriginal = true;
      take();
      continue;
    }
    const agenda = AGENDA.exec(text);
    if (agenda) {
      cover.agendaItem = agenda[1]!.trim();
      take();
      break;
    }
    if (i < anchor) {
      if (!cover.conference && CONFERENCE.test(text)) cover.conference = text;
      take();
      continue;
    }
    if (STOP.test(text)) break;
    // after the source, capitals ("PROPOSALS FOR THE WORK OF THE CONFERENCE") are the cover's only
    // when an agenda item follows; otherwise they are the body's title
    const agendaFollows = head.slice(i + 1, i + 3).some((l) => AGENDA.test(l.text));
    if ((CAPITALS.test(text) || PLACE_DATE.test(text)) && (!cover.source || agendaFollows)) {
      take();
      continue;
    }
    if (afterOriginal && !cover.source && !/^(ADD|MOD|SUP|NOC|\(MOD\))\b/.test(text)) {
      cover.source = text;
      take();
      continue;
    }
    break;
  }
  if (!cover.document && !cover.original) return null;
  return cover;
}
