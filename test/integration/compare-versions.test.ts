import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../support/server.ts';
import type { TestServer } from '../support/server.ts';
import { seedNegotiation } from '../support/negotiation.ts';
import type { Comparison, DecisionEntry, VersionSummary } from '../../shared/api.ts';

/**
 * Compare Rev.1 with now after the chair's decisions: the options of an
 * alternative are shown apart, not run together; and what the words alone do not show is listed —
 * each bracket that went (its words kept or gone), each status changed, each decision taken
 * between the two, from the decision log.
 */
describe('comparing versions across decisions', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startServer();
    seedNegotiation(server);
  });
  afterEach(async () => {
    await server.close();
  });

  const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    server.app.inject({ method, url: `/api/documents/${server.documentId}${url}`, headers: { authorization: `Bearer ${server.users[who]!.token}` }, ...(payload ? { payload } : {}) });
  const decide = async (payload: object) => {
    const answer = await call('chair', 'POST', '/decisions', payload);
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json() as DecisionEntry;
  };
  const compare = async (from: string | number, to: string | number = 'current') => {
    const answer = await call('kenya', 'GET', `/compare?from=${from}&to=${to}`);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json() as Comparison;
  };

  it('shows Rev.1 → now with the alternatives apart, the brackets removed, the status changed and the five decisions', async () => {
    const rev1 = (await call('chair', 'POST', '/versions', { name: 'Rev.1' })).json() as VersionSummary;
    const taken = [
      await decide({ action: 'accept', bracketIds: ['b-ke'] }),
      await decide({ action: 'accept', bracketIds: ['b-br'] }),
      await decide({ action: 'reject', bracketIds: ['b-whole'] }),
      await decide({ action: 'choose', optionId: 'b-a2' }),
      await decide({ action: 'status', provisionId: 'p-a', status: 'agreed' }),
    ];
    const comparison = await compare(rev1.id);
    expect(comparison.from).toBe('Rev.1');

    // the words: b) lost its brackets, c) went, d) (now c) kept Kenya's option — each option shown apart
    expect(comparison.entries.map((e) => [e.where, e.kind])).toEqual([
      ['b) of recalling', 'changed'],
      ['c) of recalling', 'changed'],
      ['c) of recalling', 'removed'],
    ]);
    const older = (i: number) =>
      comparison.entries[i]!.parts.filter((p) => p.kind !== 'inserted')
        .map((p) => p.text)
        .join('');
    const newer = (i: number) =>
      comparison.entries[i]!.parts.filter((p) => p.kind !== 'deleted')
        .map((p) => p.text)
        .join('');
    expect(older(0)).toBe('to [promote [safe] and] trusted AI');
    expect(newer(0)).toBe('to promote safe and trusted AI');
    expect(older(1)).toBe('measures [Alt 1: that ITU shall take / Alt 2: that Member States may take] now');
    expect(newer(1)).toBe('measures that Member States may take now');
    expect(older(2)).toBe('[all of this provision]');

    // what the words alone do not show
    expect(comparison.brackets.map((b) => [b.where, b.delegation, b.option, b.text, b.outcome])).toEqual([
      ['b) of recalling', 'Brazil', null, 'promote safe and', 'kept'],
      ['b) of recalling', 'Kenya', null, 'safe', 'kept'],
      ['c) of recalling', 'Kenya', null, 'all of this provision', 'gone'],
      ['d) of recalling', 'Brazil', 'Alt 1', 'that ITU shall take', 'gone'],
      ['d) of recalling', 'Kenya', 'Alt 2', 'that Member States may take', 'kept'],
    ]);
    expect(comparison.statuses).toEqual([{ where: 'a) of recalling', from: 'open', to: 'agreed' }]);
    expect(comparison.decisions.map((d) => [d.id, d.summary])).toEqual(taken.map((d) => [d.id, d.summary]));
    expect(comparison.decisions[3]!.summary).toBe("chose Kenya's option “that Member States may take” in c) of recalling; set aside Brazil's option “that ITU shall take”"); // d) was c) by then
    expect(comparison.decisions.every((d) => d.by === 'chair person')).toBe(true);

    // a version taken after the decisions: they lie before it, not between it and now
    const rev2 = (await call('secretariat', 'POST', '/versions', { name: 'Rev.2' })).json() as VersionSummary;
    const since = await compare(rev2.id);
    expect([since.entries, since.brackets, since.statuses, since.decisions]).toEqual([[], [], [], []]);
    // and compared the other way round (Rev.2 → Rev.1), the same five decisions lie between them
    expect((await compare(rev2.id, rev1.id)).decisions.map((d) => d.id)).toEqual(taken.map((d) => d.id));
  });

  it('tells an alternative offered since Rev.1 apart from the text around it', async () => {
    const rev1 = (await call('chair', 'POST', '/versions', { name: 'Rev.1' })).json() as VersionSummary;
    await decide({ action: 'reject', bracketIds: ['b-a1'] });
    const comparison = await compare(rev1.id);
    const d = comparison.entries.find((e) => e.where === 'd) of recalling')!;
    expect(
      d.parts
        .filter((p) => p.kind !== 'deleted')
        .map((p) => p.text)
        .join(''),
    ).toBe('measures [Alt 1: that Member States may take] now');
    expect(comparison.brackets).toEqual([{ where: 'd) of recalling', delegation: 'Brazil', kind: 'alternative', option: 'Alt 1', text: 'that ITU shall take', outcome: 'gone' }]);
    expect(comparison.decisions).toHaveLength(1);
  });
});
