import { Schema } from 'prosemirror-model';
import { commonNodes } from './common.ts';
import { resolutionNodes } from './resolution.ts';
import { councilNodes } from './council.ts';
import { marks } from './marks.ts';

export * from './resolution.ts';
export * from './markers.ts';
export type { BracketKind } from './marks.ts';

/** One schema for every document type: resolutions use sections, Council documents headings. */
export const schema = new Schema({
  nodes: { ...commonNodes, ...resolutionNodes, ...councilNodes },
  marks,
});
