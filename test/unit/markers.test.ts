import { describe, expect, it } from 'vitest';
import { schema } from '../../shared/schema/index.ts';
import { MARKERS, referenceProblem, suggestedMarker } from '../../shared/schema/markers.ts';
import { wordChanges } from '../../shared/revision-marks.ts';
import { renderPlainText } from '../../shared/render/plain-text.ts';

describe('proposal markers', () => {
  it('knows the seven ITU markers', () => {
    expect(MARKERS).toEqual(['ADD', 'ADD*', 'MOD', '(MOD)', 'SUP', 'SUP*', 'NOC']);
  });

  it('validates proposal references', () => {
    for (const good of ['ACP/47A1/1', 'AD HOC WGPL/47/1', 'EUR/12A2/3', 'B/1/1']) expect(referenceProblem(good)).toBeNull();
    for (const bad of ['ACP-47-1', 'acp/47/1', 'ACP/47/', '/47/1', 'ACP/47B1/1']) expect(referenceProblem(bad)).toMatch(/SOURCE\/DOC/);
  });

  it('suggests ADD without a base, MOD when the text changed and NOC when not', () => {
    expect(suggestedMarker(null, 'anything')).toBe('ADD');
    expect(suggestedMarker('to coordinate the activities', 'to coordinate the  activities ')).toBe('NOC');
    expect(suggestedMarker('to coordinate the activities', 'to coordinate all activities')).toBe('MOD');
  });

  it('computes a MOD word by word: inserted and deleted runs against the base', () => {
    expect(wordChanges('to report annually to Council', 'to report every two years to Council and to the Conference')).toEqual([
      { kind: 'same', text: 'to report ' },
      { kind: 'deleted', text: 'annually' },
      { kind: 'inserted', text: 'every two years' },
      { kind: 'same', text: ' to Council ' },
      { kind: 'inserted', text: 'and to the Conference' },
    ]);
  });

  it('renders markers, references and reasons as an ITU proposal does', () => {
    const n = schema.nodes;
    const provision = (text: string, attrs: Record<string, unknown>) => n.provision!.create(attrs, n.paragraph!.create(null, schema.text(text)));
    const doc = n.doc!.create(null, [
      n.section!.create({ numbering: 'numbers' }, [
        n.keyword!.create(null, schema.text('instructs the Secretary-General')),
        provision('to coordinate the activities', { baseLabel: '1', baseText: 'to coordinate the activities' }),
        provision('to report to every Council session', { baseLabel: '2', baseText: 'to report annually to Council', reference: 'ACP/47A1/1', reasons: 'Council meets more often.' }),
        provision('to set up a repository', { reference: 'ACP/47A1/2', reasons: 'A new task.' }),
        provision('to publish a yearly report', { baseLabel: '3', baseText: 'to publish a yearly report', marker: 'SUP', reference: 'ACP/47A1/3', reasons: 'Done.' }),
      ]),
    ]);
    expect(renderPlainText(doc, { markers: true }).split('\n')).toEqual([
      'instructs the Secretary-General',
      'NOC',
      '1\tto coordinate the activities',
      'MOD\tACP/47A1/1',
      '2\tto report to every Council session',
      'Reasons:\tCouncil meets more often.',
      'ADD\tACP/47A1/2',
      '2 bis\tto set up a repository',
      'Reasons:\tA new task.',
      'SUP\tACP/47A1/3',
      '3\tto publish a yearly report',
      'Reasons:\tDone.',
      '',
    ]);
  });
});
