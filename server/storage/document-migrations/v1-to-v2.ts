import type { Node as PMNode } from 'prosemirror-model';
import { schemaV1 } from './v1-schema.ts';
import { importText } from '../../../shared/import/index.ts';
import type { DocumentType } from '../../../shared/documents.ts';

/** "a) text", "1 text", "1) text", "1.1 text": labels version 1 kept as typed text. */
const TYPED_LABEL = /^([a-z]{1,3}\)|\d+\)|\d+(\.\d+)*) /;

/**
 * Version 1 → 2: texts stored as loose headings and paragraphs (labels typed into the text)
 * become the structured text of version 2, by laying them out as the importer reads them and
 * importing them: keywords become sections, typed labels computed provisions.
 */
export function migrateV1ToV2(old: PMNode, type: DocumentType): PMNode {
  if (old.type.schema !== schemaV1) throw new Error('not a version 1 document');
  const lines: string[] = [];
  const line = (node: PMNode) => node.textContent;
  old.forEach((block) => {
    switch (block.type.name) {
      case 'heading':
        lines.push(line(block).replace(/^(\d+) /, '$1\t'));
        break;
      case 'bullet_list':
      case 'ordered_list':
        block.forEach((item, _offset, i) => lines.push(`${block.type.name === 'bullet_list' ? '–' : `${i + 1})`}\t${line(item)}`));
        break;
      default:
        lines.push(line(block).replace(TYPED_LABEL, '$1\t'));
    }
  });
  return importText(lines.join('\n'), type === 'council-document' ? 'council-document' : undefined).doc;
}
