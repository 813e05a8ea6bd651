/**
 * A comment's text as it is shown: plain text, line breaks kept, http(s) links made clickable.
 * Built from text nodes and elements only — no HTML written by a user ever reaches the page.
 */
const LINK = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export function renderCommentBody(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  text.split('\n').forEach((line, i) => {
    if (i > 0) fragment.append(document.createElement('br'));
    let last = 0;
    for (const match of line.matchAll(LINK)) {
      const at = match.index ?? 0;
      if (at > last) fragment.append(document.createTextNode(line.slice(last, at)));
      const link = document.createElement('a');
      link.href = match[0];
      link.textContent = match[0];
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      fragment.append(link);
      last = at + match[0].length;
    }
    if (last < line.length) fragment.append(document.createTextNode(line.slice(last)));
  });
  return fragment;
}
