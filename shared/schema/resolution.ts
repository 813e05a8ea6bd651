import type { NodeSpec } from 'prosemirror-model';
import { oneOf, stringOrNull } from './attribute-values.ts';
import { MARKERS } from './markers.ts';

/**
 * Every numbering style a section may have: a) b) c), 1 2 3, none (a single paragraph), or dashes
 * (each provision printed "–", as ITU lists the items of some preamble sections; read from
 * imported texts).
 */
export const SECTION_NUMBERING_STYLES = ['letters', 'numbers', 'none', 'dashes'] as const;
export type NumberingStyle = (typeof SECTION_NUMBERING_STYLES)[number];
/** The styles the editor's numbering toggle cycles through. */
export const NUMBERING_STYLES: readonly NumberingStyle[] = ['letters', 'numbers', 'none'];

/**
 * Where the negotiation of a provision stands. Set only by the chair's decisions (the server
 * refuses a status change arriving as an edit); agreed provisions are locked for delegates.
 */
export const PROVISION_STATUSES = ['open', 'agreed_ad_ref', 'agreed'] as const;
export type ProvisionStatus = (typeof PROVISION_STATUSES)[number];

/** The two parts of a resolution: preamble (recalling, considering) and operative (resolves). */
export const SECTION_PARTS = ['preamble', 'operative'] as const;
export type SectionPart = (typeof SECTION_PARTS)[number];

/** Attributes a provision or sub-item carries in a proposal against a base text. */
const proposalAttrs = {
  /** Stable id, so comments, brackets and decisions can point at the provision. */
  id: { default: '', validate: 'string' },
  /** Explicit marker (ADD, MOD, SUP…); null lets it follow from the text. */
  marker: { default: null, validate: oneOf([null, ...MARKERS]) },
  /** Proposal reference, e.g. ACP/47A1/1. */
  reference: { default: '', validate: 'string' },
  /** The "Reasons:" text under the provision. */
  reasons: { default: '', validate: 'string' },
  /** The provision's text in the base text (null for a provision the proposal adds). */
  baseText: { default: null, validate: stringOrNull },
  /** The provision's label in the base text ("3", "b"), kept so new provisions get bis/ter. */
  baseLabel: { default: null, validate: stringOrNull },
};

/** The structure of resolutions, recommendations and decisions (ARCHITECTURE.md §1). */
export const resolutionNodes: Record<string, NodeSpec> = {
  /** A proposal's marker for the whole text: "MOD AD HOC WGPL/47/1". */
  proposal_line: {
    group: 'block',
    atom: true,
    attrs: {
      marker: { default: 'ADD', validate: oneOf(MARKERS) },
      reference: { default: '', validate: 'string' },
      /** The "Reasons:" text of a whole-text proposal. */
      reasons: { default: '', validate: 'string' },
    },
    parseDOM: [
      {
        tag: 'div.proposal-line',
        getAttrs: (dom) => ({ marker: (dom as HTMLElement).dataset.marker, reference: (dom as HTMLElement).dataset.reference ?? '', reasons: (dom as HTMLElement).dataset.reasons ?? '' }),
      },
    ],
    toDOM: (node) => [
      'div',
      { class: 'proposal-line', 'data-marker': node.attrs.marker, 'data-reference': node.attrs.reference, 'data-reasons': node.attrs.reasons },
      `${node.attrs.marker}\t${node.attrs.reference}`,
    ],
  },

  /** The title line: "Draft New Resolution [WGPL-XX]", "Resolution 214 (Rev. Bucharest, 2022)". */
  title: {
    content: 'inline*',
    group: 'block',
    defining: true,
    parseDOM: [{ tag: 'h1' }],
    toDOM: () => ['h1', { class: 'title' }, 0],
  },

  /** The name of the resolution under its title: "Artificial Intelligence (AI) technologies …". */
  subtitle: {
    content: 'inline*',
    group: 'block',
    defining: true,
    parseDOM: [{ tag: 'h2.subtitle' }],
    toDOM: () => ['h2', { class: 'subtitle' }, 0],
  },

  /** "The Plenipotentiary Conference of the International Telecommunication Union (Bucharest, 2022),". */
  enacting_formula: {
    content: 'inline*',
    group: 'block',
    defining: true,
    parseDOM: [{ tag: 'p.enacting-formula' }],
    toDOM: () => ['p', { class: 'enacting-formula' }, 0],
  },

  /** A preamble or operative section: its keyword, an optional introductory line, its provisions. */
  section: {
    content: 'keyword intro? provision+',
    group: 'block',
    defining: true,
    isolating: true,
    attrs: {
      id: { default: '', validate: 'string' },
      part: { default: 'preamble', validate: oneOf(SECTION_PARTS) },
      numbering: { default: 'letters', validate: oneOf(SECTION_NUMBERING_STYLES) },
    },
    parseDOM: [
      {
        tag: 'section.section',
        getAttrs: (dom) => ({ part: (dom as HTMLElement).dataset.part ?? 'preamble', numbering: (dom as HTMLElement).dataset.numbering ?? 'letters' }),
      },
    ],
    toDOM: (node) => ['section', { class: 'section', 'data-part': node.attrs.part, 'data-numbering': node.attrs.numbering }, 0],
  },

  /** The section's keyword phrase, shown in italics: "recalling", "instructs the Secretary-General". */
  keyword: {
    content: 'text*',
    marks: '',
    defining: true,
    parseDOM: [{ tag: 'p.keyword' }],
    toDOM: () => ['p', { class: 'keyword' }, 0],
  },

  /** An introductory line before the provisions: "that ITU should within its mandate …:". */
  intro: {
    content: 'inline*',
    defining: true,
    parseDOM: [{ tag: 'p.intro' }],
    toDOM: () => ['p', { class: 'intro' }, 0],
  },

  /** One lettered or numbered provision; its label is computed from its position. */
  provision: {
    content: 'paragraph sub_item*',
    defining: true,
    attrs: { ...proposalAttrs, status: { default: 'open', validate: oneOf(PROVISION_STATUSES) } },
    parseDOM: [{ tag: 'div.provision' }],
    toDOM: (node) => ['div', { class: `provision status-${node.attrs.status}`, 'data-id': node.attrs.id }, 0],
  },

  /** A sub-item of a provision: 1.1, or i) under a lettered provision. */
  sub_item: {
    content: 'paragraph',
    defining: true,
    attrs: proposalAttrs,
    parseDOM: [{ tag: 'div.sub-item' }],
    toDOM: (node) => ['div', { class: 'sub-item', 'data-id': node.attrs.id }, 0],
  },
};
