import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema.ts';

/**
 * Reads a text pasted from Word into the plain schema of the platform core: conversion artefacts
 * (`[bookmark: …]`, footnote markers) are dropped, section keywords (*recalling*, *resolves*) are
 * italic paragraphs, "1<TAB>Background"-style lines are headings, "–<TAB>" lines bulleted lists.
 * Provision labels (a), 1) stay in the text until the resolution structure computes them.
 */
const KEYWORD = /^(recalling|recognizing|noting|considering|bearing in mind|emphasizing|resolves|decides|instructs|invites|requests|encourages|urges|calls upon|reaffirming|acknowledging|aware|convinced|mindful|taking into account|further)\b/i;
const FIXED_HEADINGS = new Set(['purpose', 'action required by the council', 'references', 'annex']);

export function cleanLine(line: string): string {
  return line
    .replace(/\[bookmark: [^\]]*\]/g, '')
    .replace(/\[footnoteRef:\d+\]/g, '')
    .replace(/\s+$/, '')
    .replace(/^ +/, '');
}

export function plainTextToDoc(text: string): PMNode {
  const lines = text.split(/\r?\n/).map(cleanLine);
  const blocks: PMNode[] = [];
  let bullets: PMNode[] = [];
  let titleLines = 0;
  const flushBullets = () => {
    if (bullets.length) blocks.push(schema.nodes.bullet_list!.create(null, bullets));
    bullets = [];
  };
  const paragraph = (content: string, italic = false) =>
    schema.nodes.paragraph!.create(null, content ? schema.text(content, italic ? [schema.marks.em!.create()] : []) : null);

  for (const raw of lines) {
    const line = raw.replace(/^\t+/, '');
    if (!line.trim() || /^_{5,}$/.test(line.trim())) {
      flushBullets();
      continue;
    }
    const bullet = /^[–-]\t(.*)$/.exec(line);
    if (bullet) {
      bullets.push(schema.nodes.list_item!.create(null, paragraph(bullet[1]!.trim())));
      continue;
    }
    flushBullets();
    const numberedHeading = /^(\d+)\t(.{1,60})$/.exec(line);
    if (FIXED_HEADINGS.has(line.trim().toLowerCase()) || (numberedHeading && !/[.;,:]$/.test(numberedHeading[2]!))) {
      blocks.push(schema.nodes.heading!.create({ level: 2 }, schema.text(line.replace('\t', ' ').trim())));
      continue;
    }
    if (/^draft (new |revised )?(resolution|recommendation|decision)/i.test(line) || titleLines === 1) {
      blocks.push(schema.nodes.heading!.create({ level: 1 }, schema.text(line.trim())));
      titleLines++;
      continue;
    }
    if (KEYWORD.test(line) && line.length < 120 && !/[.;]$/.test(line)) {
      blocks.push(paragraph(line.trim(), true));
      continue;
    }
    const labelled = /^([a-z]{1,3}\)|\d+\)|\d+(\.\d+)*)\t(.*)$/.exec(line);
    blocks.push(paragraph(labelled ? `${labelled[1]} ${labelled[3]!.trim()}` : line.replace(/\t/g, ' ').trim()));
  }
  flushBullets();
  if (blocks.length === 0) blocks.push(schema.nodes.paragraph!.create());
  return schema.nodes.doc!.create(null, blocks);
}
