import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import { newId } from '../ids.ts';
import type { ImportProblem } from './problems.ts';
import type { ParsedLine } from './resolution.ts';
import { inlineContent } from './inline.ts';

const FIXED_HEADINGS = /^(purpose|summary|action required by the council|action required|references|background|annex(es)?( \d+)?|introduction|conclusions?)$/i;
/** Headings only Council documents have. */
export function isCouncilHeading(text: string): boolean {
  return FIXED_HEADINGS.test(text);
}

const NUMBERED = /^(\d+)\t+(.+)$/;
const LIST_ITEM = /^(\d+)\)\t+(.+)$/;
const BULLET = /^[–—•-]\t+(.+)$/;
const RULE = /^_{5,}$/;

/** A "1<TAB>Background" line is a heading when it is short and does not end like a sentence. */
function isNumberedHeading(text: string): boolean {
  return text.length <= 80 && !/[.;,:]$/.test(text);
}

/**
 * Reads a Council document laid out as the fixture is: fixed headings (Purpose, Action required
 * by the Council, References), numbered headings, paragraphs, numbered paragraphs restarting
 * after each heading, "1)" lists and "–" bullet lists.
 */
export function parseCouncilDocument(lines: ParsedLine[], footnotes: ReadonlyMap<string, string>): { blocks: PMNode[]; problems: ImportProblem[] } {
  const blocks: PMNode[] = [];
  const problems: ImportProblem[] = [];
  const inline = (text: string) => inlineContent(text, footnotes);
  let list: { type: 'ordered_list' | 'bullet_list'; items: PMNode[] } | null = null;
  let headingNumber = 0;
  let paragraphNumber = 0;

  const closeList = () => {
    if (list) blocks.push(schema.nodes[list.type]!.create(null, list.items));
    list = null;
  };
  const addItem = (type: 'ordered_list' | 'bullet_list', text: string) => {
    if (!list || list.type !== type) {
      closeList();
      list = { type, items: [] };
    }
    list.items.push(schema.nodes.list_item!.create(null, schema.nodes.paragraph!.create(null, inline(text))));
  };

  for (const { number, text } of lines) {
    const bullet = BULLET.exec(text);
    if (bullet) {
      addItem('bullet_list', bullet[1]!);
      continue;
    }
    const item = LIST_ITEM.exec(text);
    if (item) {
      const expected = (list as { type: string; items: PMNode[] } | null)?.type === 'ordered_list' ? list!.items.length + 1 : 1;
      if (Number(item[1]) !== expected) {
        problems.push({ line: number, text, message: `list item labelled ${item[1]}) is item ${expected}; numbers are computed, so it will read ${expected})` });
      }
      addItem('ordered_list', item[2]!);
      continue;
    }
    closeList();
    if (RULE.test(text)) {
      blocks.push(schema.nodes.horizontal_rule!.create());
      continue;
    }
    if (FIXED_HEADINGS.test(text)) {
      blocks.push(schema.nodes.heading!.create({ level: 2, numbered: false }, inline(text)));
      paragraphNumber = 0;
      continue;
    }
    const numbered = NUMBERED.exec(text);
    if (numbered && isNumberedHeading(numbered[2]!)) {
      headingNumber++;
      if (Number(numbered[1]) !== headingNumber) {
        problems.push({ line: number, text, message: `heading numbered ${numbered[1]} is heading ${headingNumber}; numbers are computed, so it will read ${headingNumber}` });
      }
      blocks.push(schema.nodes.heading!.create({ level: 2, numbered: true }, inline(numbered[2]!)));
      paragraphNumber = 0;
      continue;
    }
    if (numbered) {
      paragraphNumber++;
      if (Number(numbered[1]) !== paragraphNumber) {
        problems.push({ line: number, text, message: `paragraph numbered ${numbered[1]} is paragraph ${paragraphNumber} under its heading; it will read ${paragraphNumber}` });
      }
      blocks.push(schema.nodes.numbered_paragraph!.create({ id: newId('p') }, inline(numbered[2]!)));
      continue;
    }
    blocks.push(schema.nodes.paragraph!.create(null, inline(text)));
  }
  closeList();
  return { blocks, problems };
}
