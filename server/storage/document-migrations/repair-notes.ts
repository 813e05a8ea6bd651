/**
 * What a repair of a stored text changed, counted, so the start-up log can say it in one line
 * ("2 duplicate provision ids replaced; 1 top-level text removed") and an operator can tell a
 * document that was only brought to the new version from one whose text had to be changed.
 * A note is a phrase with `{s}` where its noun takes the plural.
 */
export class RepairNotes {
  readonly #counts = new Map<string, number>();

  note(phrase: string, count = 1): void {
    if (count > 0) this.#counts.set(phrase, (this.#counts.get(phrase) ?? 0) + count);
  }

  get empty(): boolean {
    return this.#counts.size === 0;
  }

  /** One line per kind of change, in the order first met: "2 duplicate provision ids replaced". */
  list(): string[] {
    return [...this.#counts].map(([phrase, count]) => `${count} ${phrase.replace('{s}', count === 1 ? '' : 's')}`);
  }
}
