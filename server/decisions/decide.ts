import type { Node as PMNode } from 'prosemirror-model';
import { schema } from '../../shared/schema/index.ts';
import { applyDecision, DecisionError } from '../../shared/brackets/decisions.ts';
import type { Decision } from '../../shared/brackets/decisions.ts';
import { collectBrackets } from '../../shared/brackets/model.ts';
import { decisionUnits, revertUnits } from '../../shared/brackets/undo.ts';
import type { Unit } from '../../shared/brackets/undo.ts';
import type { Services } from '../services.ts';
import type { DocumentRecord } from '../storage/documents.ts';
import { audit } from '../storage/audit.ts';
import { decisionEntry } from './decision-log.ts';
import type { DecisionRecord } from './decision-log.ts';

/**
 * Carries out a chair's decision: computed on the live text by the shared decision functions,
 * written by the server as one change, then logged (who, when, which brackets, the text before
 * and after, and what undo needs), audited, and announced on the document's live stream, so every
 * open decision log follows without reloading.
 */
export interface DecisionRequest {
  action: 'accept' | 'reject' | 'choose' | 'status';
  bracketIds?: string[];
  optionId?: string;
  provisionId?: string;
  status?: 'open' | 'agreed_ad_ref' | 'agreed';
  /** Bulk: every open bracket of this delegation and/or section (accept or reject). */
  scope?: { delegation?: string; sectionId?: string };
}

function toDecision(request: DecisionRequest, doc: PMNode): Decision {
  switch (request.action) {
    case 'accept':
    case 'reject': {
      let ids = request.bracketIds ?? [];
      if (request.scope) {
        const { delegation, sectionId } = request.scope;
        ids = [...collectBrackets(doc).values()]
          .filter((b) => (!delegation || b.delegation === delegation) && (!sectionId || b.sectionId === sectionId))
          .filter((b) => request.action === 'reject' || b.kind !== 'alternative')
          .map((b) => b.id);
        if (ids.length === 0) throw new DecisionError(`no open bracket matches${delegation ? ` delegation ${delegation}` : ''}${sectionId ? ' in that section' : ''}`);
      }
      return { action: request.action, bracketIds: ids };
    }
    case 'choose':
      if (!request.optionId) throw new DecisionError('say which option is chosen (optionId)');
      return { action: 'choose', optionId: request.optionId };
    case 'status':
      if (!request.provisionId || !request.status) throw new DecisionError('say which provision (provisionId) and which status');
      return { action: 'status', provisionId: request.provisionId, status: request.status };
  }
}

/** The plain text of the units a decision changed, before or after it, one unit per line. */
function unitsText(units: Unit[], side: 'before' | 'after'): string {
  return units.map((unit) => (unit[side] ? schema.nodeFromJSON(unit[side]).textContent : '(removed)')).join('\n');
}

export function decide({ stores, hub, events }: Services, document: DocumentRecord, userId: number, request: DecisionRequest): DecisionRecord {
  let record: DecisionRecord | null = null;
  // The log entry is stored in the same transaction as the change of the text: both or neither.
  hub.open(document.id).change(
    (current) => applyDecision(current, toDecision(request, current)),
    (result) => {
      const units = decisionUnits(result.before, result.doc);
      record = stores.decisions.add({
        documentId: document.id,
        userId,
        action: request.action,
        request,
        summary: result.summary,
        brackets: result.brackets.map((b) => ({ id: b.id, delegation: b.delegation, kind: b.kind, text: b.text, provisionLabel: b.provisionLabel, section: b.section })),
        units,
        textBefore: unitsText(units, 'before'),
        textAfter: unitsText(units, 'after'),
        provisionId: request.provisionId ?? result.brackets[0]?.provisionId ?? null,
        undoes: null,
      });
      audit(stores.db, { userId, groupId: document.groupId, action: `decision.${request.action}`, detail: { documentId: document.id, decision: record.id, summary: record.summary } });
    },
  );
  events.decided(document.id, decisionEntry(record!));
  return record!;
}

/** Undoes a decision, if what it changed is still as it left it (else a DecisionError says what changed). */
export function undoDecision({ stores, hub, events }: Services, document: DocumentRecord, userId: number, decisionId: number): DecisionRecord {
  const original = stores.decisions.get(decisionId);
  if (!original || original.documentId !== document.id) throw new DecisionError(`there is no decision ${decisionId} on ${document.symbol}`);
  if (original.action === 'undo') throw new DecisionError('an undo cannot itself be undone: take the decision again');
  if (original.undoneBy !== null) throw new DecisionError(`decision ${decisionId} was already undone`);
  let record: DecisionRecord | null = null;
  hub.open(document.id).change(
    (current) => ({ doc: revertUnits(current, original.units, schema) }),
    () => {
      record = stores.decisions.add({
        documentId: document.id,
        userId,
        action: 'undo',
        request: { undo: decisionId },
        summary: `undid: ${original.summary}`,
        brackets: original.brackets,
        units: [],
        textBefore: original.textAfter,
        textAfter: original.textBefore,
        provisionId: original.provisionId,
        undoes: decisionId,
      });
      audit(stores.db, { userId, groupId: document.groupId, action: 'decision.undo', detail: { documentId: document.id, decision: record.id, undoes: decisionId } });
    },
  );
  events.decided(document.id, decisionEntry(record!));
  return record!;
}
