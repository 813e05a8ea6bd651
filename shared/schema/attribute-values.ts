/**
 * Validators for attribute specs (ProseMirror's `validate`): an attribute holds one of the
 * schema's values or the document is refused. The server reads every incoming update strictly,
 * so a crafted update cannot store a numbering style, a status or a marker the text does not know.
 */
export function oneOf(values: readonly unknown[]): (value: unknown) => void {
  return (value) => {
    if (!values.includes(value)) throw new RangeError(`"${String(value)}" is not one of ${values.map(String).join(', ')}`);
  };
}

/** A string or null (null: not set). */
export function stringOrNull(value: unknown): void {
  if (value !== null && typeof value !== 'string') throw new RangeError(`expected text or nothing, got ${typeof value}`);
}
