import { expect } from 'vitest';

/** A live event stream (text/event-stream) read as a browser's EventSource would, event by event. */
export interface EventStream {
  events: { event: string; data: string }[];
  /** The data of every event, one per line. */
  text(): string;
  /** The parsed data of every event of one name. */
  of<T>(event: string): T[];
  /** The server ended the stream. */
  ended(): boolean;
  stop(): void;
}

export async function listen(url: string, headers: Record<string, string>): Promise<EventStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events: { event: string; data: string }[] = [];
  let done = false;
  void (async () => {
    const reader = response.body!.getReader();
    let buffer = '';
    try {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) break;
        buffer += new TextDecoder().decode(chunk.value);
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      }
    } catch {
      // aborted
    }
    done = true;
  })();
  return {
    events,
    text: () => events.map((e) => e.data).join('\n'),
    of: <T>(event: string) => events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T),
    ended: () => done,
    stop: () => controller.abort(),
  };
}
