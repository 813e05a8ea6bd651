/**
 * A small element builder, so views read as a tree instead of a run of createElement calls.
 * Attributes go through setAttribute; functions under `on*` keys become event listeners. There is
 * deliberately no way to pass inline styles or HTML strings: colours are set through `element.style`
 * (the CSP allows no style attributes we do not control) and text always goes in as text nodes.
 */
export type Child = Node | string | number | null | undefined | false;

type Listener = (event: Event) => void;
export type Attributes = Record<string, string | number | boolean | null | undefined | Listener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else if (value !== false && value !== null && value !== undefined) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children.flat());
  return element;
}

/** Appends children, skipping the empty ones (so `cond && h(...)` works inline). */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces all children of an element. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * A colour swatch beside a name; the name is always shown too, so colour is never the only cue.
 * Past the 12th delegation colours repeat and the swatch's pattern (stripes, dots, ring; see
 * shared/colors.ts) tells them apart.
 */
export function swatch(color: string, label?: string, pattern = 'solid'): HTMLSpanElement {
  const element = h('span', { class: `swatch swatch-${pattern}`, 'aria-hidden': 'true' });
  element.style.backgroundColor = safeColor(color);
  element.style.color = safeColor(color);
  if (label) element.title = label;
  return element;
}

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
/** Colours come from the server; anything that is not a plain hex colour falls back to grey. */
export function safeColor(color: string | undefined | null): string {
  return color && HEX_COLOR.test(color) ? color : '#6b7280';
}

/** Black or white, whichever reads better on the given background (WCAG relative luminance). */
export function textColorOn(background: string): string {
  const hex = safeColor(background);
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with white is (1.05)/(L+0.05), with black (L+0.05)/0.05; pick the larger.
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? '#ffffff' : '#111111';
}
