import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { AttackPlan, AttackResult, FromAttacker, ToAttacker } from './plan.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'bench/attacks/attacker.ts');

/**
 * The attacker process (bench/attacks/attacker.ts), forked from the generator and so on its core:
 * `spawnAttacker` resolves once it has built its frames; `go` starts the flood; `stop` ends it
 * and resolves with what it did (null if it did not answer: it is killed).
 */
export class Attacker {
  #output = '';

  private constructor(private readonly child: ChildProcess) {
    const keep = (data: Buffer) => (this.#output = (this.#output + data.toString()).slice(-2000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static async spawn(plan: AttackPlan): Promise<Attacker> {
    const child = fork(SCRIPT, [JSON.stringify(plan)], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    const attacker = new Attacker(child);
    if (!(await attacker.#next('ready', 60_000))) {
      attacker.kill();
      throw new Error(`the attacker did not start: ${attacker.#output}`);
    }
    return attacker;
  }

  /** Last lines the attacker printed. */
  get output(): string {
    return this.#output;
  }

  go(): void {
    this.#send({ type: 'go' });
  }

  /** Ends the flood; requests already sent may be answered for `settleMs` more. */
  async stop(settleMs: number): Promise<AttackResult | null> {
    const answer = this.#next('result', settleMs + 10_000);
    this.#send({ type: 'stop', settleMs });
    const message = await answer;
    this.kill();
    return message?.type === 'result' ? message.result : null;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  #send(message: ToAttacker): void {
    if (this.child.connected) this.child.send(message);
  }

  #next(type: FromAttacker['type'], timeoutMs: number): Promise<FromAttacker | null> {
    return new Promise((resolveMessage) => {
      const done = (message: FromAttacker | null) => {
        clearTimeout(timer);
        this.child.off('message', listen);
        this.child.off('exit', exited);
        resolveMessage(message);
      };
      const listen = (message: FromAttacker) => message.type === type && done(message);
      const exited = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      this.child.on('message', listen);
      this.child.once('exit', exited);
    });
  }
}
