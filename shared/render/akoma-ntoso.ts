import type { Block, Rendering, Run } from './model.ts';
import { escapeHtml as escapeXml } from './html.ts';

/**
 * Akoma Ntoso 3.0 XML of a rendering, in the shape of the AKN4UN profile for resolutions: a
 * `statement` named "resolution" with FRBR metadata carrying the symbol; the enacting formula and
 * the preambular keyword groups in `preamble` (each group a `container` with its keyword and a
 * `blockList` of lettered paragraphs, each sub-item an `item` of a `blockList` inside its
 * paragraph's `item`); each operative section an `hcontainer` in `mainBody` with its keyword as
 * `heading` and its provisions as `paragraph`s with `num` (a provision with sub-items has its text
 * as `intro` and its sub-items as `subparagraph`s inside it); in revisions mode each marker line and
 * "Reasons" inside the element of the provision or sub-item they belong to; citations as `ref`s
 * (see CITATION); footnotes as `authorialNote`s where they occur. FRBRname carries the document's
 * whole name (see documentName). Council documents become a
 * `doc` named "councilDocument" with their headings as `hcontainer`s.
 */
export interface AknMeta {
  symbol: string;
  title: string;
  date: string;
  language: string;
  group: string;
}

const AKN_NS = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';
const LANGUAGES: Record<string, string> = { english: 'eng', french: 'fra', spanish: 'spa', arabic: 'ara', chinese: 'zho', russian: 'rus' };

/**
 * Citations in the text become `<ref>`s. Their href is a relative IRI derived from the citation as
 * written, lower-case, words joined by "-" (accents dropped), so the same citation always gets the
 * same IRI:
 *   Resolution 71 (Rev. Bucharest, 2022)  → /itu/resolution/71/rev-bucharest-2022
 *   Resolution 1333 (C11)                 → /itu/resolution/1333/c11
 *   Decision 5 (Rev. Dubai, 2018)         → /itu/decision/5/rev-dubai-2018
 *   Recommendation ITU-T Y.3172           → /itu/recommendation/itu-t/y.3172
 *   Document C24/67                       → /itu/document/c24/67
 *   Article 33 of the Constitution        → /itu/constitution/article/33 (likewise the Convention)
 * Only ITU forms are recognised: a resolution or decision needs its conference in parentheses, so
 * "Resolution 70/1 of the UN General Assembly" stays text. A citation split across runs (partly
 * bracketed, say) stays text too.
 */
const CITATION = new RegExp(
  [
    String.raw`\b(Resolution|Decision)\s+(\d+)\s+\(((?:Rev\.\s*)?(?:[\p{Lu}][\p{L}.'’ -]*,\s*\d{4}|C\d{2}))\)`,
    String.raw`\bRecommendation\s+(ITU-[TRD])\s+([A-Z]{1,2}\.\d+(?:\.\d+)*(?:-\d+)?)`,
    String.raw`\b(ITU-[TRD])\s+Recommendation\s+([A-Z]{1,2}\.\d+(?:\.\d+)*(?:-\d+)?)`,
    String.raw`\bDocument\s+([A-Z][A-Za-z0-9-]*\/[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*(?:\(Rev\.\d+\))?)`,
    String.raw`\bArticle\s+(\d+[A-Z]?)\s+of\s+the\s+(?:ITU\s+)?(Constitution|Convention)\b`,
  ].join('|'),
  'gu',
);

const iriPart = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9./]+/g, '-')
    .replace(/\.(?=-|$)/g, '')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');

/** The href of a citation's match (see CITATION). */
function citationHref(m: RegExpExecArray): string {
  if (m[1]) return `/itu/${m[1].toLowerCase()}/${m[2]}/${iriPart(m[3]!)}`;
  if (m[4]) return `/itu/recommendation/${m[4].toLowerCase()}/${iriPart(m[5]!)}`;
  if (m[6]) return `/itu/recommendation/${m[6].toLowerCase()}/${iriPart(m[7]!)}`;
  if (m[8]) return `/itu/document/${m[8].split('/').map(iriPart).join('/')}`;
  return `/itu/${m[10]!.toLowerCase()}/article/${m[9]!.toLowerCase()}`;
}

/** Escaped text with each citation a `<ref>` (or without, for a document's own title). */
export function withRefs(text: string, refs = true): string {
  if (!refs) return escapeXml(text);
  let out = '';
  let at = 0;
  for (const m of text.matchAll(CITATION)) {
    out += `${escapeXml(text.slice(at, m.index))}<ref href="${escapeXml(citationHref(m as RegExpExecArray))}">${escapeXml(m[0])}</ref>`;
    at = m.index! + m[0].length;
  }
  return out + escapeXml(text.slice(at));
}

function inline(runs: readonly Run[], rendering: Rendering, refs = true): string {
  return runs
    .map((run) => {
      if (run.footnote) {
        const note = rendering.footnotes[run.footnote - 1];
        return `<authorialNote marker="${run.footnote}" placement="bottom" eId="fn_${run.footnote}"><p>${withRefs(note?.text ?? '')}</p></authorialNote>`;
      }
      let xml = withRefs(run.text, refs).replace(/\n/g, '<eol/>');
      if (run.bold || run.bracket) xml = `<b>${xml}</b>`;
      if (run.italic) xml = `<i>${xml}</i>`;
      if (run.inserted) xml = `<ins>${xml}</ins>`;
      if (run.deleted) xml = `<del>${xml}</del>`;
      return xml;
    })
    .join('');
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

/**
 * The provisions of a section as a tree: each provision with the marker line before it and the
 * reasons after it (revisions mode), and its sub-items (each with its own marker and reasons)
 * inside it. A sub-item with no provision before it stands on its own.
 */
interface Unit {
  main?: Block;
  before: Block[];
  after: Block[];
  subs: Unit[];
}

function unitsOf(items: readonly Block[]): Unit[] {
  const units: Unit[] = [];
  let pending: Block[] = [];
  let last: Unit | null = null;
  for (const b of items) {
    if (b.kind === 'marker') {
      pending.push(b);
      continue;
    }
    if (b.kind === 'provision' || b.kind === 'sub-item') {
      const unit: Unit = { main: b, before: pending, after: [], subs: [] };
      pending = [];
      const parent = b.kind === 'sub-item' ? units.at(-1) : undefined;
      if (parent?.main?.kind === 'provision') parent.subs.push(unit);
      else units.push(unit);
      last = unit;
      continue;
    }
    // reasons (and anything else) belong to the provision or sub-item just before them
    if (last && !pending.length) last.after.push(b);
    else {
      const unit: Unit = { before: pending, after: [b], subs: [] };
      pending = [];
      units.push(unit);
      last = unit;
    }
  }
  if (pending.length) units.push({ before: pending, after: [], subs: [] });
  return units;
}

/**
 * The document's full name, as FRBRname and every other place that names it print it: a
 * resolution's title line and its name ("Draft New Resolution [WGPL-XX]: Artificial Intelligence
 * (AI) technologies and telecommunications/ICTs"), written whole from the text itself. The stored
 * title is used instead when it is not just (a cut of) that — a title the secretariat chose.
 */
export function documentName(rendering: Rendering, stored: string): string {
  const textOf = (kind: Block['kind']) => {
    const block = rendering.blocks.find((b) => b.kind === kind);
    return block
      ? block.runs
          .filter((r) => !r.footnote && !r.deleted)
          .map((r) => r.text)
          .join('')
          .replace(/\s+/g, ' ')
          .trim()
      : '';
  };
  const title = textOf('title');
  const subtitle = textOf('subtitle');
  const own = title && subtitle ? `${title}: ${subtitle}` : title || subtitle;
  const given = stored
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/(…|\.\.\.)$/, '')
    .trim();
  if (!own) return stored.trim();
  if (!given || own.startsWith(given) || subtitle.startsWith(given) || title.startsWith(given)) return own;
  return stored.trim();
}

export function aknOf(rendering: Rendering, meta: AknMeta): string {
  const p = (block: Block, cls?: string) => `<p${cls ? ` class="${cls}"` : ''}>${inline(block.runs, rendering)}</p>`;
  const resolution = rendering.blocks.some((b) => b.kind === 'keyword');
  const preface: string[] = [];
  const preamble: string[] = [];
  const body: string[] = [];
  /** Each annex: its title and the paragraphs of its content. */
  const annexes: { heading: string; content: string[] }[] = [];
  let counter = 0;
  const id = (prefix: string) => `${prefix}_${++counter}`;

  // Group blocks by section (resolutions) in reading order.
  let i = 0;
  const blocks = rendering.blocks;
  while (i < blocks.length) {
    const block = blocks[i]!;
    if (block.annex) {
      if (block.kind === 'annex-title' || !annexes.length) annexes.push({ heading: '', content: [] });
      const annex = annexes[annexes.length - 1]!;
      if (block.kind === 'annex-title') annex.heading = `<heading>${inline(block.runs, rendering)}</heading>`;
      else if (block.kind !== 'rule') annex.content.push(block.label ? p({ ...block, runs: [{ text: `${block.label}\t` }, ...block.runs] }, block.kind) : p(block, block.kind));
      i++;
      continue;
    }
    if (block.section) {
      const section = block.section;
      const part = block.part ?? 'preamble';
      const members: Block[] = [];
      while (i < blocks.length && blocks[i]!.section === section && !blocks[i]!.annex) members.push(blocks[i++]!);
      const keyword = members.find((b) => b.kind === 'keyword');
      const intro = members.filter((b) => b.kind === 'intro');
      const items = members.filter((b) => b.kind !== 'keyword' && b.kind !== 'intro');
      const units = unitsOf(items);
      const num = (b: Block) => (b.label ? `<num>${escapeXml(b.label)}</num>` : '');
      /** A unit's own paragraphs: its marker line, its text, its reasons. */
      const own = (u: Unit) => [...u.before.map((b) => p(b, b.kind)), ...(u.main ? [p(u.main)] : []), ...u.after.map((b) => p(b, b.kind))].join('');
      if (part === 'preamble') {
        // a lettered paragraph is an item; its sub-items a blockList inside it
        const item = (u: Unit): string =>
          `<item eId="${id('item')}">${u.main ? num(u.main) : ''}${own(u)}` + `${u.subs.length ? `<blockList eId="${id('list')}">${u.subs.map(item).join('')}</blockList>` : ''}</item>`;
        const list = units.map(item);
        preamble.push(
          `<container name="${escapeXml(slug(keyword ? keyword.runs.map((r) => r.text).join('') : 'preamble')) || 'preamble'}" eId="${id('preamble__container')}">` +
            `${keyword ? p(keyword, 'keyword') : ''}${intro.map((b) => p(b, 'intro')).join('')}` +
            `${list.length ? `<blockList eId="${id('list')}">${list.join('')}</blockList>` : ''}</container>`,
        );
      } else {
        // a provision is a paragraph: its text the intro and its sub-items subparagraphs inside it
        const hierarchy = (u: Unit, element: 'paragraph' | 'subparagraph'): string => {
          const eId = id(element === 'paragraph' ? 'para' : 'subpara');
          const head = u.main ? num(u.main) : '';
          return u.subs.length
            ? `<${element} eId="${eId}">${head}<intro>${own(u) || '<p/>'}</intro>${u.subs.map((s) => hierarchy(s, 'subparagraph')).join('')}</${element}>`
            : `<${element} eId="${eId}">${head}<content>${own(u) || '<p/>'}</content></${element}>`;
        };
        const paragraphs = units.map((u) => hierarchy(u, 'paragraph'));
        body.push(
          `<hcontainer name="operativeSection" eId="${id('body__hcontainer')}">` +
            `${keyword ? `<heading>${inline(keyword.runs, rendering)}</heading>` : ''}` +
            `${intro.length ? `<intro>${intro.map((b) => p(b)).join('')}</intro>` : ''}` +
            `${paragraphs.join('')}</hcontainer>`,
        );
      }
      continue;
    }
    switch (block.kind) {
      case 'title':
        preface.push(`<p class="title"><docTitle>${inline(block.runs, rendering, false)}</docTitle></p>`);
        break;
      case 'subtitle':
        preface.push(`<p class="subtitle"><shortTitle>${inline(block.runs, rendering, false)}</shortTitle></p>`);
        break;
      case 'proposal-line':
        preface.push(p(block, 'proposal'));
        break;
      case 'formula':
        preamble.push(`<formula name="enactingFormula">${p(block)}</formula>`);
        break;
      case 'heading':
        body.push(
          `<hcontainer name="heading" eId="${id('body__hcontainer')}">${block.label ? `<num>${escapeXml(block.label)}</num>` : ''}<heading>${inline(block.runs, rendering)}</heading></hcontainer>`,
        );
        break;
      case 'rule':
        break;
      default:
        (resolution ? preface : body).push(
          resolution
            ? p(block, block.kind)
            : `<hcontainer name="${block.kind}" eId="${id('body__hcontainer')}">${block.label ? `<num>${escapeXml(block.label)}</num>` : ''}<content>${p(block)}</content></hcontainer>`,
        );
    }
    i++;
  }

  const name = documentName(rendering, meta.title);
  const language = LANGUAGES[meta.language.toLowerCase()] ?? 'eng';
  const work = `/akn/int/${resolution ? 'statement/resolution' : 'doc/councilDocument'}/itu/${meta.date}/${slug(meta.symbol)}`;
  const author = escapeXml(slug(meta.group) || 'group');
  /** FRBR identification of the document (component "main") or of one of its annexes. */
  const identification = (component: string, name: string) => `<identification source="#concord">
<FRBRWork><FRBRthis value="${work}/!${component}"/><FRBRuri value="${work}"/><FRBRdate date="${meta.date}" name="generation"/><FRBRauthor href="#${author}"/><FRBRcountry value="int"/><FRBRnumber value="${escapeXml(meta.symbol)}"/><FRBRname value="${escapeXml(name)}"/></FRBRWork>
<FRBRExpression><FRBRthis value="${work}/${language}@/!${component}"/><FRBRuri value="${work}/${language}@"/><FRBRdate date="${meta.date}" name="generation"/><FRBRauthor href="#${author}"/><FRBRlanguage language="${language}"/></FRBRExpression>
<FRBRManifestation><FRBRthis value="${work}/${language}@/!${component}.xml"/><FRBRuri value="${work}/${language}@.akn"/><FRBRdate date="${meta.date}" name="generation"/><FRBRauthor href="#concord"/></FRBRManifestation>
</identification>`;
  const references = `<references source="#concord"><TLCOrganization eId="${author}" href="/ontology/organization/itu/${author}" showAs="${escapeXml(meta.group)}"/><TLCOrganization eId="concord" href="/ontology/organization/concord" showAs="Concord"/></references>`;
  const root = resolution ? 'statement name="resolution"' : 'doc name="councilDocument"';
  const rootName = resolution ? 'statement' : 'doc';
  const mainBody = body.length ? body.join('') : '<hcontainer name="empty" eId="body__hcontainer_0"><content><p/></content></hcontainer>';
  // each annex is a document of its own (with its own identification, as the schema requires; its
  // references are the main document's, since eIds are unique across the whole file)
  const attachments = annexes.map(
    (annex, k) => `<attachment eId="att_${k + 1}"><doc name="annex">
<meta>
${identification(`annex_${k + 1}`, `${name}, annex ${k + 1}`)}
</meta>
<mainBody><hcontainer name="annex" eId="att_${k + 1}__hcontainer_1">${annex.heading}<content>${annex.content.join('') || '<p/>'}</content></hcontainer></mainBody></doc></attachment>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="${AKN_NS}">
<${root} contains="originalVersion">
<meta>
${identification('main', name)}
${references}
</meta>
${preface.length ? `<preface>${preface.join('')}</preface>` : ''}
${preamble.length ? `<preamble>${preamble.join('')}</preamble>` : ''}
<mainBody>${mainBody}</mainBody>
${attachments.length ? `<attachments>${attachments.join('')}</attachments>` : ''}
</${rootName}>
</akomaNtoso>
`;
}
