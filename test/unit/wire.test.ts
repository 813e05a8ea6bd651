import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MalformedFrameError, readAwarenessUpdate, readMessage, writeAwarenessUpdate, writeSyncStep1, writeSyncStep2, writeUpdate } from '../../server/collab/wire.ts';

describe('wire protocol', () => {
  it('reads back what it writes', () => {
    const doc = new Y.Doc();
    doc.getText('t').insert(0, 'noting');
    const step1 = readMessage(writeSyncStep1(doc));
    expect(step1.type).toBe('sync-step-1');
    const step2 = readMessage(writeSyncStep2(doc, new Uint8Array([0])));
    expect(step2.type).toBe('sync-step-2');
    const update = Y.encodeStateAsUpdate(doc);
    expect(readMessage(writeUpdate(update))).toEqual({ type: 'update', update });
  });

  it('throws a MalformedFrameError on unknown types and truncated frames', () => {
    expect(() => readMessage(new Uint8Array([7]))).toThrow(MalformedFrameError);
    expect(() => readMessage(new Uint8Array([0, 9, 0]))).toThrow(/unknown sync message 9/);
    expect(() => readMessage(new Uint8Array([0, 2, 50, 1]))).toThrow(MalformedFrameError);
    expect(() => readMessage(new Uint8Array([]))).toThrow(MalformedFrameError);
  });

  it('decodes and re-encodes awareness updates', () => {
    const entries = [
      { clientId: 12, clock: 3, state: { cursor: null, user: { name: 'Brazil' } } },
      { clientId: 99, clock: 7, state: null },
    ];
    expect(readAwarenessUpdate(writeAwarenessUpdate(entries))).toEqual(entries);
  });

  it('refuses an awareness state that is not an object', () => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, '"a string"');
    expect(() => readAwarenessUpdate(encoding.toUint8Array(encoder))).toThrow(MalformedFrameError);
  });
});
