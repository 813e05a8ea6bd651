import { h } from './dom.ts';

/**
 * Tabs (WAI-ARIA tabs pattern): one panel shown at a time, arrow keys move between the tabs, the
 * chosen tab is remembered for the session. `onShow` runs when a tab is shown (to refresh it).
 */
export interface Tab {
  id: string;
  label: string;
  panel: HTMLElement;
  onShow?: () => void;
}

export function tabs(name: string, items: Tab[]): { element: HTMLElement; show(id: string): void; setLabel(id: string, label: string): void } {
  const storageKey = `concord.tab.${name}`;
  const buttons = new Map<string, HTMLButtonElement>();
  const list = h('div', { class: 'tabs-list', role: 'tablist', 'aria-label': name });
  const panels = h('div', { class: 'tabs-panels' });
  const show = (id: string) => {
    for (const item of items) {
      const selected = item.id === id;
      const button = buttons.get(item.id)!;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
      item.panel.hidden = !selected;
      if (selected) item.onShow?.();
    }
    sessionStorage.setItem(storageKey, id);
  };
  for (const item of items) {
    const button = h('button', { type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': `panel-${item.id}`, class: 'tab' }, item.label);
    button.addEventListener('click', () => show(item.id));
    buttons.set(item.id, button);
    list.append(button);
    item.panel.id = `panel-${item.id}`;
    item.panel.setAttribute('role', 'tabpanel');
    item.panel.setAttribute('aria-labelledby', `tab-${item.id}`);
    panels.append(item.panel);
  }
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const ids = items.map((i) => i.id);
    const current = ids.findIndex((id) => buttons.get(id) === document.activeElement);
    if (current < 0) return;
    const next = ids[(current + (event.key === 'ArrowRight' ? 1 : ids.length - 1)) % ids.length]!;
    show(next);
    buttons.get(next)!.focus();
  });
  const remembered = sessionStorage.getItem(storageKey);
  show(items.some((i) => i.id === remembered) ? remembered! : items[0]!.id);
  return {
    element: h('section', { class: 'side-panel side-tabs' }, list, panels),
    show,
    setLabel: (id, label) => void (buttons.get(id)!.textContent = label),
  };
}
