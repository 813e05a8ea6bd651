import type { Node as PMNode } from 'prosemirror-model';
import { diffWords } from 'diff';
import { labels } from '../numbering.ts';
import { normalizeSpace } from '../schema/markers.ts';
import type { Marker } from '../schema/markers.ts';

/**
 * The provisions of a text as a compilation sees them: one unit per provision and per sub-item,
 * in reading order, with the section it stands in. Units are what sources propose to change and
 * what the compilation table has a row for.
 */
export interface Unit {
  /** "s2.p3" or "s2.p3.i1": section, provision and sub-item positions (0-based) in the base. */
  key: string;
  section: number;
  provision: number;
  /** -1 for the provision itself, else the sub-item's position. */
  sub: number;
  /** The section's keyword ("resolves", "instructs the Secretary-General"). */
  keyword: string;
  /** The label as printed in the text ("b)", "3", "1.1", "ii)"). */
  label: string;
  /** The provision or sub-item node, and its paragraph (the text the proposals change). */
  node: PMNode;
  paragraph: PMNode;
  text: string;
}

export const foldKeyword = (keyword: string) =>
  normalizeSpace(keyword)
    .toLowerCase()
    .replace(/[,:;]$/, '');

/** Every unit of a text, in reading order. */
export function unitsOf(doc: PMNode): Unit[] {
  const units: Unit[] = [];
  const computed = labels(doc);
  let sectionIndex = -1;
  doc.descendants((node, pos) => {
    if (node.type.name !== 'section') return node.type.name !== 'annex';
    sectionIndex++;
    const keyword = node.firstChild?.textContent ?? '';
    let provisionIndex = -1;
    node.forEach((provision, offset) => {
      if (provision.type.name !== 'provision') return;
      provisionIndex++;
      const provisionPos = pos + 1 + offset;
      const paragraph = provision.firstChild!;
      units.push({
        key: `s${sectionIndex}.p${provisionIndex}`,
        section: sectionIndex,
        provision: provisionIndex,
        sub: -1,
        keyword,
        label: computed.get(provisionPos)?.printed ?? '',
        node: provision,
        paragraph,
        text: paragraph.textContent,
      });
      let subIndex = -1;
      provision.forEach((sub, subOffset) => {
        if (sub.type.name !== 'sub_item') return;
        subIndex++;
        units.push({
          key: `s${sectionIndex}.p${provisionIndex}.i${subIndex}`,
          section: sectionIndex,
          provision: provisionIndex,
          sub: subIndex,
          keyword,
          label: computed.get(provisionPos + 1 + subOffset)?.printed ?? '',
          node: sub,
          paragraph: sub.firstChild!,
          text: sub.firstChild!.textContent,
        });
      });
    });
    return false;
  });
  return units;
}

/** Share of the words two texts have in common (0 … 1), from a word diff. */
export function likeness(a: string, b: string): number {
  const x = normalizeSpace(a);
  const y = normalizeSpace(b);
  if (x === y) return 1;
  if (!x || !y) return 0;
  let same = 0;
  for (const part of diffWords(x, y)) if (!part.added && !part.removed) same += part.value.length;
  return (2 * same) / (x.length + y.length);
}

/** Below this likeness a changed provision is not taken for a base provision it resembles. */
const LIKENESS_FLOOR = 0.5;

export interface Placed {
  unit: Unit;
  /** The base unit it changes, or null for a provision the source adds. */
  base: Unit | null;
  /** What the source does to it. */
  marker: Marker;
  /** The base section it stands in (-1: a section no base section matches). */
  section: number;
}

/**
 * Places each unit of a source's proposal against the base: the section by its keyword (or its
 * position when the source has as many sections), then the provision by the base text the proposal
 * carries, by its base label, by its position when the section has the same shape, and at last by
 * likeness of wording. A unit placed nowhere is one the source adds.
 */
export function placeUnits(base: readonly Unit[], source: readonly Unit[]): Placed[] {
  const baseSections = new Map<number, Unit[]>();
  for (const unit of base) baseSections.set(unit.section, [...(baseSections.get(unit.section) ?? []), unit]);
  const sourceSections = new Map<number, Unit[]>();
  for (const unit of source) sourceSections.set(unit.section, [...(sourceSections.get(unit.section) ?? []), unit]);
  const sameSectionCount = baseSections.size === sourceSections.size;
  const taken = new Set<string>();
  const placed: Placed[] = [];

  for (const [sectionIndex, units] of sourceSections) {
    const keyword = foldKeyword(units[0]!.keyword);
    let match = [...baseSections.values()].find((b) => foldKeyword(b[0]!.keyword) === keyword && !taken.has(`section:${b[0]!.section}`));
    if (!match && sameSectionCount) match = baseSections.get(sectionIndex);
    if (match) taken.add(`section:${match[0]!.section}`);
    const candidates = match ?? [];
    const sameShape = candidates.filter((u) => u.sub === -1).length === units.filter((u) => u.sub === -1).length && candidates.length === units.length;
    units.forEach((unit, i) => {
      const explicit = unit.node.attrs.marker as Marker | null;
      const baseText = unit.node.attrs.baseText as string | null;
      const free = candidates.filter((c) => !taken.has(c.key) && (c.sub === -1) === (unit.sub === -1));
      let found: Unit | undefined;
      if (explicit !== 'ADD' && explicit !== 'ADD*') {
        if (baseText !== null) found = free.find((c) => normalizeSpace(c.text) === normalizeSpace(baseText));
        const baseLabel = unit.node.attrs.baseLabel as string | null;
        if (!found && baseLabel) found = free.find((c) => c.label.replace(/\)$/, '') === baseLabel);
        if (!found && sameShape && !taken.has(candidates[i]!.key)) found = candidates[i];
        if (!found && !(baseText === null && unit.node.attrs.baseLabel === null && explicit === null && !match)) {
          const best = free.map((c) => ({ c, score: likeness(c.text, baseText ?? unit.text) })).sort((a, b) => b.score - a.score)[0];
          if (best && best.score >= LIKENESS_FLOOR) found = best.c;
        }
      }
      if (found) taken.add(found.key);
      placed.push({ unit, base: found ?? null, marker: markerOf(unit, found ?? null), section: match ? match[0]!.section : -1 });
    });
  }
  return placed;
}

/** The marker the source's unit stands for: the one it carries, or what its text shows against the base. */
function markerOf(unit: Unit, base: Unit | null): Marker {
  const explicit = unit.node.attrs.marker as Marker | null;
  if (base === null) return explicit === 'ADD*' ? 'ADD*' : 'ADD';
  if (explicit === 'SUP' || explicit === 'SUP*') return explicit;
  if (normalizeSpace(unit.text) === normalizeSpace(base.text)) return 'NOC';
  return explicit === '(MOD)' ? '(MOD)' : 'MOD';
}
