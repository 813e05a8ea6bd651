/**
 * Whether a request's Origin may act on this server. Browsers always send Origin on WebSocket
 * upgrades and on cross-site POSTs, so a foreign origin is refused; a request without Origin
 * comes from a script (curl, a Node client), which must then hold a token or session of its own.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return true;
  return allowed.includes(origin.replace(/\/$/, ''));
}
