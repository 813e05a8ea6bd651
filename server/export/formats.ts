import type { Node as PMNode } from 'prosemirror-model';
import { renderPlainText } from '../../shared/render/plain-text.ts';

/** Export formats available now; DOCX, HTML, Markdown and Akoma Ntoso come with the export issue. */
export const EXPORT_FORMATS = ['txt'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_MODES = ['clean', 'negotiation', 'revisions'] as const;
export type ExportMode = (typeof EXPORT_MODES)[number];

export interface Rendered {
  body: string | Buffer;
  contentType: string;
  extension: string;
}

/** Renders a document in a format and mode: one entry point for the API and the CLI. */
export function renderDocument(doc: PMNode, format: ExportFormat, mode: ExportMode): Rendered {
  switch (format) {
    case 'txt':
      return { body: renderPlainText(doc, { markers: mode === 'revisions' }), contentType: 'text/plain; charset=utf-8', extension: 'txt' };
  }
}
