import { createInterface } from 'node:readline';

/**
 * Reads a password: the first line of stdin when it is piped (scripts), or typed at a prompt
 * on stderr with echo off when stdin is a terminal.
 */
export async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  const rl = createInterface({ input: process.stdin, terminal: true });
  // Mute the echo of typed characters.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  const line = await new Promise<string>((resolveLine) => rl.once('line', resolveLine));
  rl.close();
  process.stderr.write('\n');
  return line;
}
