/** Why a text or file cannot be imported, in words for the person importing it (answered 400). */
export class ImportError extends Error {}
