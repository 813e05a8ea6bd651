/** A document symbol as a file name: "CWG-AI/2" → "CWG-AI-2" (letters, digits and . ( ) - only). */
export function fileStem(symbol: string): string {
  return symbol.replace(/[^A-Za-z0-9.()-]+/g, '-');
}
