import { DecisionError } from '../../shared/brackets/decisions.ts';
import { HashingBusyError } from '../auth/hashing-pool.ts';
import { CompileError } from '../compile/compile-documents.ts';
import { OpenBracketsError } from '../export/formats.ts';
import { DocxBusyError } from '../import/docx.ts';
import { ImportError } from '../import/import-error.ts';
import { DocumentError } from '../storage/documents.ts';
import { AnchorError } from '../threads/thread-anchor.ts';
import { ThreadError } from '../threads/thread-store.ts';

/**
 * The HTTP status of each refusal the domain makes, in one place (the app's error handler answers
 * with it and the error's own words): the stores, decisions and imports know nothing of HTTP, and
 * the routes need no try/catch to translate them.
 */
export function statusOf(error: unknown): number | null {
  if (error instanceof ThreadError || error instanceof AnchorError) return error.status;
  // a name or symbol already taken, a decision on brackets no longer there, brackets left in a clean export
  if (error instanceof DocumentError || error instanceof DecisionError || error instanceof OpenBracketsError) return 409;
  // a text or a set of proposals that cannot be read as asked
  if (error instanceof ImportError || error instanceof CompileError) return 400;
  // the worker reading .docx files, or hashing passwords, is full: try again shortly
  if (error instanceof DocxBusyError || error instanceof HashingBusyError) return 503;
  return null;
}
