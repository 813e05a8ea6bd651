import { wordChanges } from '../revision-marks.ts';
import type { Run } from './model.ts';

/** Runs that are text of the provision, as opposed to bracket punctuation and footnote numbers. */
const isText = (run: Run) => !run.footnote && !run.bracket;

/** Bracket punctuation that opens a bracket ("[", "[Alt 1: "): text deleted just before it stays outside. */
const opensBracket = (run: Run) => run.bracket === true && run.text.startsWith('[');

const sameLook = (a: Run, b: Run) => !a.footnote && !b.footnote && a.italic === b.italic && a.bold === b.bold && a.inserted === b.inserted && a.deleted === b.deleted && a.bracket === b.bracket;

/**
 * A MOD provision as ITU prints it: its current runs — italics, footnotes and brackets kept — with
 * the words inserted since the base text underlined and the words deleted from it put back where
 * they stood, struck. The word changes are computed on the provision's text alone (jsdiff's word
 * diff, whose kept and inserted parts spell the current text exactly), then laid over the runs.
 */
export function markChanges(base: string, current: readonly Run[]): Run[] {
  const changes = wordChanges(
    base,
    current
      .filter(isText)
      .map((run) => run.text)
      .join(''),
  ).filter((change) => change.text !== '');
  const out: Run[] = [];
  let index = 0;
  /** Characters of changes[index] already laid over the runs. */
  let used = 0;
  const putBackDeletions = () => {
    while (used === 0 && changes[index]?.kind === 'deleted') out.push({ text: changes[index++]!.text, deleted: true });
  };
  for (const run of current) {
    if (!isText(run)) {
      if (opensBracket(run)) putBackDeletions();
      out.push(run);
      continue;
    }
    let rest = run.text;
    while (rest.length) {
      putBackDeletions();
      const change = changes[index];
      if (!change) {
        // cannot happen while the diff spells the current text; print the rest unmarked rather than lose it
        out.push({ ...run, text: rest });
        break;
      }
      const take = Math.min(rest.length, change.text.length - used);
      out.push({ ...run, text: rest.slice(0, take), ...(change.kind === 'inserted' ? { inserted: true } : {}) });
      rest = rest.slice(take);
      used += take;
      if (used === change.text.length) {
        index++;
        used = 0;
      }
    }
  }
  putBackDeletions();
  // one run per stretch of the same look, so a Word document does not split words into pieces
  return out.reduce<Run[]>((merged, run) => {
    const last = merged[merged.length - 1];
    if (last && sameLook(last, run)) merged[merged.length - 1] = { ...last, text: last.text + run.text };
    else merged.push(run);
    return merged;
  }, []);
}
