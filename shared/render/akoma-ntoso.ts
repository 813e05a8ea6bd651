import type { Block, Rendering, Run } from './model.ts';
import { escapeHtml as escapeXml } from './html.ts';

/**
 * Akoma Ntoso 3.0 XML of a rendering, in the shape of the AKN4UN profile for resolutions: a
 * `statement` named "resolution" with FRBR metadata carrying the symbol; the enacting formula and
 * the preambular keyword groups in `preamble` (each group a `container` with its keyword and a
 * `blockList` of lettered paragraphs); each operative section an `hcontainer` in `mainBody` with its
 * keyword as `heading` and its provisions as `paragraph`s with `num` (sub-items as
 * `subparagraph`s); footnotes as `authorialNote`s where they occur. Council documents become a
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

function inline(runs: readonly Run[], rendering: Rendering): string {
  return runs.map((run) => {
    if (run.footnote) {
      const note = rendering.footnotes[run.footnote - 1];
      return `<authorialNote marker="${run.footnote}" placement="bottom" eId="fn_${run.footnote}"><p>${escapeXml(note?.text ?? '')}</p></authorialNote>`;
    }
    let xml = escapeXml(run.text).replace(/\n/g, '<eol/>');
    if (run.bold || run.bracket) xml = `<b>${xml}</b>`;
    if (run.italic) xml = `<i>${xml}</i>`;
    if (run.inserted) xml = `<ins>${xml}</ins>`;
    if (run.deleted) xml = `<del>${xml}</del>`;
    return xml;
  }).join('');
}

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

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
      if (part === 'preamble') {
        const list = items.map((b) => (b.kind === 'provision' || b.kind === 'sub-item')
          ? `<item eId="${id('item')}">${b.label ? `<num>${escapeXml(b.label)}</num>` : ''}${p(b)}</item>`
          : `<item eId="${id('item')}">${p(b, b.kind)}</item>`);
        preamble.push(`<container name="${escapeXml(slug(keyword ? keyword.runs.map((r) => r.text).join('') : 'preamble')) || 'preamble'}" eId="${id('preamble__container')}">` +
          `${keyword ? p(keyword, 'keyword') : ''}${intro.map((b) => p(b, 'intro')).join('')}` +
          `${list.length ? `<blockList eId="${id('list')}">${list.join('')}</blockList>` : ''}</container>`);
      } else {
        const paragraphs: string[] = [];
        for (let k = 0; k < items.length; k++) {
          const b = items[k]!;
          if (b.kind !== 'provision') {
            paragraphs.push(`<paragraph eId="${id('para')}"><content>${p(b, b.kind)}</content></paragraph>`);
            continue;
          }
          const subs: Block[] = [];
          while (k + 1 < items.length && (items[k + 1]!.kind === 'sub-item' || (items[k + 1]!.kind !== 'provision' && items[k + 1]!.kind !== 'marker' && subs.length))) subs.push(items[++k]!);
          const num = b.label ? `<num>${escapeXml(b.label)}</num>` : '';
          paragraphs.push(subs.length
            ? `<paragraph eId="${id('para')}">${num}<intro>${p(b)}</intro>${subs.map((s) => `<subparagraph eId="${id('subpara')}">${s.label ? `<num>${escapeXml(s.label)}</num>` : ''}<content>${p(s)}</content></subparagraph>`).join('')}</paragraph>`
            : `<paragraph eId="${id('para')}">${num}<content>${p(b)}</content></paragraph>`);
        }
        body.push(`<hcontainer name="operativeSection" eId="${id('body__hcontainer')}">` +
          `${keyword ? `<heading>${inline(keyword.runs, rendering)}</heading>` : ''}` +
          `${intro.length ? `<intro>${intro.map((b) => p(b)).join('')}</intro>` : ''}` +
          `${paragraphs.join('')}</hcontainer>`);
      }
      continue;
    }
    switch (block.kind) {
      case 'title':
        preface.push(`<p class="title"><docTitle>${inline(block.runs, rendering)}</docTitle></p>`);
        break;
      case 'subtitle':
        preface.push(`<p class="subtitle"><shortTitle>${inline(block.runs, rendering)}</shortTitle></p>`);
        break;
      case 'proposal-line':
        preface.push(p(block, 'proposal'));
        break;
      case 'formula':
        preamble.push(`<formula name="enactingFormula">${p(block)}</formula>`);
        break;
      case 'heading':
        body.push(`<hcontainer name="heading" eId="${id('body__hcontainer')}">${block.label ? `<num>${escapeXml(block.label)}</num>` : ''}<heading>${inline(block.runs, rendering)}</heading></hcontainer>`);
        break;
      case 'rule':
        break;
      default:
        (resolution ? preface : body).push(resolution
          ? p(block, block.kind)
          : `<hcontainer name="${block.kind}" eId="${id('body__hcontainer')}">${block.label ? `<num>${escapeXml(block.label)}</num>` : ''}<content>${p(block)}</content></hcontainer>`);
    }
    i++;
  }

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
  const attachments = annexes.map((annex, k) => `<attachment eId="att_${k + 1}"><doc name="annex">
<meta>
${identification(`annex_${k + 1}`, `${meta.title}, annex ${k + 1}`)}
</meta>
<mainBody><hcontainer name="annex" eId="att_${k + 1}__hcontainer_1">${annex.heading}<content>${annex.content.join('') || '<p/>'}</content></hcontainer></mainBody></doc></attachment>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<akomaNtoso xmlns="${AKN_NS}">
<${root} contains="originalVersion">
<meta>
${identification('main', meta.title)}
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
