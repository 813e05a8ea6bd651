import type { Mark, Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';

/**
 * A proposal that uses every kind of node the renderers print, for the export tests:
 *
 *   MOD ACP/47A1/1                       (the document's proposal line)
 *   Resolution 214 (Rev. Bucharest, 2022) / AI & <ICT> "quotes" / enacting formula
 *   recalling
 *     a)     MOD ACP/47A1/2  "Resolution 70/1 of the UN General Assembly¹" (base: "… of the UN"), Reasons: Update
 *     b)     SUP ACP/47A1/3  "an old text to delete", Reasons: Obsolete
 *     b bis  ADD ACP/47A1/4  "a *new* provision <script>x</script>", Reasons: New
 *   resolves / that ITU should:
 *     1      MOD "to promote [safe]Kenya and trusted AI" (base: "to promote safe AI")
 *       1.1  "first [Alt 1: that ITU shall]Brazil [/ Alt 2: that Members may]Kenya act"
 *       1.2  "[second]" awaiting instructions of ACP
 *     1 bis  "an agreed one" (agreed)
 *   Annex: Terms / annex text
 */
const n = schema.nodes;
const text = (value: string, ...marks: Mark[]) => schema.text(value, marks);
const bracket = (id: string, delegation: string, extra: Record<string, string> = {}) =>
  schema.marks.bracket!.create({ id, delegation, kind: 'contested', group: '', at: '2026-11-24T09:00:00.000Z', ...extra });
const paragraph = (...content: PMNode[]) => n.paragraph!.create(null, content);
const provision = (attrs: Record<string, unknown>, content: PMNode[], subItems: PMNode[] = []) => n.provision!.create(attrs, [paragraph(...content), ...subItems]);
const subItem = (attrs: Record<string, unknown>, content: PMNode[]) => n.sub_item!.create(attrs, paragraph(...content));

export function renderingSample(): PMNode {
  const doc = n.doc!.create(null, [
    n.proposal_line!.create({ marker: 'MOD', reference: 'ACP/47A1/1' }),
    n.title!.create(null, text('Resolution 214 (Rev. Bucharest, 2022)')),
    n.subtitle!.create(null, text('AI & <ICT> "quotes"')),
    n.enacting_formula!.create(null, text('The Plenipotentiary Conference (Bucharest, 2022),')),
    n.section!.create({ id: 's-recalling', part: 'preamble', numbering: 'letters' }, [
      n.keyword!.create(null, text('recalling')),
      provision({ id: 'p-a', baseText: 'Resolution 70/1 of the UN', baseLabel: 'a', reference: 'ACP/47A1/2', reasons: 'Update' }, [
        text('Resolution 70/1 of the UN General Assembly'),
        n.footnote!.create({ text: 'See A/RES/70/1.' }),
      ]),
      provision({ id: 'p-b', baseText: 'an old text to delete', baseLabel: 'b', marker: 'SUP', reference: 'ACP/47A1/3', reasons: 'Obsolete' }, [text('an old text to delete')]),
      provision({ id: 'p-bbis', reference: 'ACP/47A1/4', reasons: 'New' }, [text('a '), text('new', schema.marks.em!.create()), text(' provision <script>x</script>')]),
    ]),
    n.section!.create({ id: 's-resolves', part: 'operative', numbering: 'numbers' }, [
      n.keyword!.create(null, text('resolves')),
      n.intro!.create(null, text('that ITU should:')),
      provision(
        { id: 'p-1', baseText: 'to promote safe AI', baseLabel: '1' },
        [text('to promote '), text('safe', bracket('b-safe', 'Kenya')), text(' and trusted AI')],
        [
          subItem({ id: 'p-1-1' }, [
            text('first '),
            text('that ITU shall', bracket('b-alt1', 'Brazil', { kind: 'alternative', group: 'g-1' })),
            text('that Members may', bracket('b-alt2', 'Kenya', { kind: 'alternative', group: 'g-1' })),
            text(' act'),
          ]),
          subItem({ id: 'p-1-2' }, [text('second', bracket('b-awaiting', 'ACP', { kind: 'awaiting' }))]),
        ],
      ),
      n.provision!.create({ id: 'p-1bis', status: 'agreed' }, [paragraph(text('an agreed one'))]),
    ]),
    n.annex!.create(null, [n.annex_title!.create(null, text('Annex: Terms')), paragraph(text('annex text'))]),
  ]);
  doc.check();
  return doc;
}

export const SAMPLE_META = { symbol: 'CWG-AI/9', title: 'AI & <ICT>', date: '2026-11-23', language: 'English', group: 'CWG on AI' };
