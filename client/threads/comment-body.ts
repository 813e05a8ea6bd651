/**
 * A comment's text as it is shown: plain text, line breaks kept, http(s) links made clickable,
 * mentions of delegations ("@Brazil", as the server recognised them) set apart. Built from text
 * nodes and elements only — no HTML written by a user ever reaches the page.
 */
const LINK = String.raw`\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]`;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function renderCommentBody(text: string, mentions: readonly string[] = []): DocumentFragment {
  const names = [...mentions].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(`(${LINK})${names.length ? `|((?<![\\p{L}\\p{N}])@(?:${names.join('|')}))(?![\\p{L}\\p{N}])` : ''}`, 'giu');
  const fragment = document.createDocumentFragment();
  text.split('\n').forEach((line, i) => {
    if (i > 0) fragment.append(document.createElement('br'));
    let last = 0;
    for (const match of line.matchAll(pattern)) {
      const at = match.index ?? 0;
      if (at > last) fragment.append(document.createTextNode(line.slice(last, at)));
      if (match[1]) {
        const link = document.createElement('a');
        link.href = match[1];
        link.textContent = match[1];
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        fragment.append(link);
      } else {
        const mention = document.createElement('span');
        mention.className = 'mention';
        mention.textContent = match[0];
        fragment.append(mention);
      }
      last = at + match[0].length;
    }
    if (last < line.length) fragment.append(document.createTextNode(line.slice(last)));
  });
  return fragment;
}
