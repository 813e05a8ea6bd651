/** A line the importer could not place as it expected; the text is still imported. */
export interface ImportProblem {
  /** 1-based line number in the source text. */
  line: number;
  /** The line as read (artefacts removed). */
  text: string;
  /** What was wrong and what the importer did instead. */
  message: string;
}
