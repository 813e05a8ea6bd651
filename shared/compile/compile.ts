import { Fragment } from 'prosemirror-model';
import type { Mark, Node as PMNode } from 'prosemirror-model';
import { schema } from '../schema/index.ts';
import type { BracketKind, Marker } from '../schema/index.ts';
import { newId } from '../ids.ts';
import { placeUnits, unitsOf } from './align.ts';
import type { Placed, Unit } from './align.ts';

/**
 * Compilation: one negotiation text from several sources' proposals against one base text, as a
 * secretariat prepares before a meeting — and where no drafting tool helps it. Provisions no source
 * touches stay clean; where sources change a provision, the base wording and each source's wording
 * stand as alternatives (the base's attributed to nobody, each other to its source); a provision a
 * source adds is a bracket of that source's; one a source deletes is bracketed by it (rejecting the
 * bracket deletes the provision). The result is an ordinary document: the chair cleans it with the
 * ordinary decisions. The compilation table (provision × source, with wording and reasons) comes
 * from the same placing of each source's units.
 */
export interface CompileSource {
  /** The delegation of the working group the proposal comes from ("EUR", "Brazil"). */
  delegation: string;
  /** The proposal: a whole-text MOD, a .docx with tracked changes, provision-level ADD/MOD/SUP. */
  doc: PMNode;
  /** The proposal document's symbol, for the table. */
  symbol?: string;
}

/** What one source proposes for one row. */
export interface CompilationCell {
  delegation: string;
  marker: Marker;
  reference: string;
  reasons: string;
  /** The source's wording (for SUP: the wording it deletes). */
  text: string;
}

export interface CompilationRow {
  /** Section keyword and label as printed in the compiled text ("resolves", "3 bis"). */
  section: string;
  label: string;
  /** The base wording; null for a provision a source adds. */
  base: string | null;
  cells: CompilationCell[];
}

export interface CompilationTable {
  base: { symbol: string; title: string };
  sources: { delegation: string; symbol: string; reference: string; reasons: string }[];
  rows: CompilationRow[];
}

export interface Compilation {
  doc: PMNode;
  table: CompilationTable;
}

/** The base wording's option of an alternatives group belongs to the text, not to a delegation. */
export const BASE_TEXT = '';

const bracket = (delegation: string, kind: BracketKind, group: string, at: string): Mark => schema.marks.bracket!.create({ id: newId('b'), delegation, kind, group, at });

/** Inline content with one more mark on every node (brackets nest: `excludes: ''`). */
function withMark(content: Fragment, mark: Mark): Fragment {
  const nodes: PMNode[] = [];
  content.forEach((node) => nodes.push(node.mark(mark.addToSet(node.marks))));
  return Fragment.from(nodes);
}

/** The proposal-wide marker, reference and reasons of a source (its proposal line), for units without their own. */
function proposalOf(doc: PMNode): { reference: string; reasons: string } {
  let found = { reference: '', reasons: '' };
  doc.forEach((node) => {
    if (node.type.name === 'proposal_line' && !found.reference) found = { reference: node.attrs.reference as string, reasons: (node.attrs.reasons as string | undefined) ?? '' };
  });
  return found;
}

interface Proposal extends Placed {
  delegation: string;
  reference: string;
  reasons: string;
  /** For an ADD: the base unit it follows (null: before the first of its section, or a new section). */
  after: Unit | null;
}

export function compileProposals(base: PMNode, baseInfo: { symbol: string; title: string }, sources: readonly CompileSource[], at = new Date().toISOString()): Compilation {
  const baseUnits = unitsOf(base);
  const proposals: Proposal[] = [];
  const table: CompilationTable = { base: baseInfo, sources: [], rows: [] };
  for (const source of sources) {
    const whole = proposalOf(source.doc);
    table.sources.push({ delegation: source.delegation, symbol: source.symbol ?? '', reference: whole.reference, reasons: whole.reasons });
    let previousBase: Unit | null = null;
    let provisionAdded = false;
    const placements = placeUnits(baseUnits, unitsOf(source.doc));
    /** An ADD with nothing of its section placed before or after it goes at the end of that section. */
    const lastOf = (section: number) => [...baseUnits].reverse().find((u) => u.section === section && u.sub === -1) ?? null;
    placements.forEach((placed, index) => {
      const attrs = placed.unit.node.attrs;
      // the sub-items of a provision the source adds come with it
      if (placed.unit.sub === -1) provisionAdded = placed.base === null;
      else if (provisionAdded) return;
      let after = previousBase && previousBase.section === placed.section ? previousBase : null;
      // a provision added after a sub-item follows that sub-item's provision
      if (after && placed.unit.sub === -1 && after.sub !== -1) after = baseUnits.find((u) => u.section === after!.section && u.provision === after!.provision && u.sub === -1) ?? null;
      if (!after && placed.base === null && placed.unit.sub === -1 && placed.section !== -1 && !placements.slice(index + 1).some((p) => p.base !== null && p.section === placed.section))
        after = lastOf(placed.section);
      if (placed.base) previousBase = placed.base;
      if (placed.marker === 'NOC') return;
      proposals.push({
        ...placed,
        delegation: source.delegation,
        reference: (attrs.reference as string) || whole.reference,
        reasons: (attrs.reasons as string) || whole.reasons,
        after,
      });
    });
  }

  const changesOf = (unit: Unit) => proposals.filter((p) => p.base?.key === unit.key);
  const addsAfter = (unit: Unit | null, section: number, sub: boolean) =>
    proposals.filter((p) => p.base === null && (p.unit.sub !== -1) === sub && (unit ? p.after?.key === unit.key : p.after === null && p.section === section));

  /** A provision's or sub-item's paragraph with the sources' changes as brackets. */
  const paragraphFor = (unit: Unit): { paragraph: PMNode; changed: Proposal[] } => {
    const changed = changesOf(unit);
    const wordings = changed.filter((p) => p.marker !== 'SUP' && p.marker !== 'SUP*');
    let content = unit.paragraph.content;
    if (wordings.length) {
      const group = newId('g');
      const options = [withMark(unit.paragraph.content, bracket(BASE_TEXT, 'alternative', group, at))];
      for (const p of wordings) options.push(withMark(p.unit.paragraph.content, bracket(p.delegation, 'alternative', group, at)));
      content = options.reduce((all, option) => all.append(option), Fragment.empty);
    }
    for (const p of changed.filter((c) => c.marker === 'SUP' || c.marker === 'SUP*')) content = withMark(content, bracket(p.delegation, 'contested', '', at));
    return { paragraph: schema.nodes.paragraph!.create(null, content), changed };
  };

  /** A provision or sub-item a source adds: its text in that source's bracket, marked ADD. */
  const added = (p: Proposal): PMNode => {
    const paragraph = schema.nodes.paragraph!.create(null, withMark(p.unit.paragraph.content, bracket(p.delegation, 'contested', '', at)));
    const attrs = { id: newId('p'), marker: p.marker, reference: p.reference, reasons: p.reasons, baseText: null, baseLabel: null };
    if (p.unit.sub !== -1) return schema.nodes.sub_item!.create(attrs, paragraph);
    const subs: PMNode[] = [];
    p.unit.node.forEach((child) => {
      if (child.type.name === 'sub_item')
        subs.push(schema.nodes.sub_item!.create({ ...attrs, id: newId('p') }, schema.nodes.paragraph!.create(null, withMark(child.firstChild!.content, bracket(p.delegation, 'contested', '', at)))));
    });
    return schema.nodes.provision!.create(attrs, [paragraph, ...subs]);
  };

  /** One line for the provision's attributes: who proposed what, with references and reasons. */
  const summary = (changed: Proposal[]) => ({
    marker: changed.length === 0 ? null : changed.every((c) => c.marker === 'SUP' || c.marker === 'SUP*') ? 'SUP' : 'MOD',
    reference: changed.length === 1 ? changed[0]!.reference : '',
    reasons: changed
      .filter((c) => c.reasons)
      .map((c) => (changed.length === 1 ? c.reasons : `${c.delegation}${c.reference ? ` (${c.reference})` : ''}: ${c.reasons}`))
      .join('\n'),
  });

  const rowOf = (unit: Unit | null, changed: Proposal[], keyword: string): CompilationRow => ({
    section: keyword,
    label: '',
    base: unit ? unit.text : null,
    cells: changed.map((p) => ({ delegation: p.delegation, marker: p.marker, reference: p.reference, reasons: p.reasons, text: p.unit.paragraph.textContent })),
  });
  const rows: { row: CompilationRow; node: PMNode }[] = [];

  let sectionIndex = -1;
  const blocks: PMNode[] = [];
  base.forEach((node) => {
    if (node.type.name === 'proposal_line') return;
    if (node.type.name !== 'section') {
      blocks.push(node);
      return;
    }
    sectionIndex++;
    const section = sectionIndex;
    const units = baseUnits.filter((u) => u.section === section);
    const keyword = node.firstChild?.textContent ?? '';
    const children: PMNode[] = [];
    const pushAdded = (p: Proposal) => {
      const provision = added(p);
      children.push(provision);
      rows.push({ row: rowOf(null, [p], keyword), node: provision });
    };
    node.forEach((child) => {
      if (child.type.name !== 'provision') {
        children.push(child);
        return;
      }
      if (children.every((c) => c.type.name !== 'provision')) for (const p of addsAfter(null, section, false)) pushAdded(p);
      const unit = units.find((u) => u.sub === -1 && u.node === child)!;
      const own = paragraphFor(unit);
      const subs: PMNode[] = [];
      const subRows: { row: CompilationRow; node: PMNode }[] = [];
      const pushAddedSub = (p: Proposal) => {
        const addedSub = added(p);
        subs.push(addedSub);
        subRows.push({ row: rowOf(null, [p], keyword), node: addedSub });
      };
      for (const p of addsAfter(unit, section, true)) pushAddedSub(p);
      child.forEach((sub) => {
        if (sub.type.name !== 'sub_item') return;
        const subUnit = units.find((u) => u.node === sub)!;
        const made = paragraphFor(subUnit);
        const subNode = schema.nodes.sub_item!.create({ ...sub.attrs, ...summary(made.changed), baseText: subUnit.text, baseLabel: subUnit.label.replace(/\)$/, '') }, made.paragraph);
        subs.push(subNode);
        subRows.push({ row: rowOf(subUnit, made.changed, keyword), node: subNode });
        for (const p of addsAfter(subUnit, section, true)) pushAddedSub(p);
      });
      const provision = schema.nodes.provision!.create({ ...child.attrs, ...summary(own.changed), baseText: unit.text, baseLabel: unit.label.replace(/\)$/, '') || null }, [own.paragraph, ...subs]);
      children.push(provision);
      rows.push({ row: rowOf(unit, own.changed, keyword), node: provision }, ...subRows);
      for (const p of addsAfter(unit, section, false)) pushAdded(p);
    });
    blocks.push(node.type.create(node.attrs, children));
  });
  // Sections a source adds (no base section matches): after the base's last section, in that source's bracket.
  const orphans = proposals.filter((p) => p.base === null && p.section === -1);
  if (orphans.length) {
    const byKeyword = new Map<string, Proposal[]>();
    for (const p of orphans) byKeyword.set(`${p.delegation}\u0000${p.unit.keyword}`, [...(byKeyword.get(`${p.delegation}\u0000${p.unit.keyword}`) ?? []), p]);
    for (const group of byKeyword.values()) {
      const first = group[0]!;
      const provisions = group
        .filter((p) => p.unit.sub === -1)
        .map((p) => {
          const provision = added(p);
          rows.push({ row: rowOf(null, [p], first.unit.keyword), node: provision });
          return provision;
        });
      if (provisions.length === 0) continue;
      blocks.push(
        schema.nodes.section!.create({ id: newId('s'), part: 'operative', numbering: 'numbers' }, [
          schema.nodes.keyword!.create(null, first.unit.keyword ? schema.text(first.unit.keyword) : null),
          ...provisions,
        ]),
      );
    }
  }
  const doc = schema.nodes.doc!.create(null, blocks.length ? blocks : [schema.nodes.paragraph!.create()]);
  doc.check();
  // Labels as the compiled text prints them (3 bis for an added provision).
  const printed = new Map<PMNode, string>();
  for (const unit of unitsOf(doc)) printed.set(unit.node, unit.label);
  table.rows = rows.map(({ row, node }) => ({ ...row, label: printed.get(node) ?? '' }));
  return { doc, table };
}
