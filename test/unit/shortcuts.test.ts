import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EditorState } from 'prosemirror-state';
import { schema } from '../../shared/schema/index.ts';
import { SHORTCUTS, bindingsFor, editorBindings, keyLabel, shortcut } from '../../client/editor/shortcuts.ts';
import { baseKeymap } from 'prosemirror-commands';
import { editorKeymaps } from '../../client/editor/keymap.ts';

const CLIENT = resolve(import.meta.dirname, '../../client');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('keyboard shortcuts table', () => {
  it('binds in the editor exactly the keys it lists with a command, each once', () => {
    const bindings = editorBindings();
    const listed = SHORTCUTS.filter((s) => s.command).flatMap((s) => s.keys);
    expect(Object.keys(bindings).sort()).toEqual([...listed].sort());
    expect(new Set(listed).size).toBe(listed.length);
    for (const entry of SHORTCUTS) for (const key of entry.keys) if (entry.command) expect(bindings[key]).toBe(entry.command);
    // the structure keys of the README are there
    for (const key of ['Enter', 'Tab', 'Shift-Tab', 'Backspace', 'Mod-Alt-n', 'Mod-z', 'Mod-y']) expect(bindings[key], key).toBeTypeOf('function');
  });

  it('has unique ids, a description and a group for every entry, and no key in two entries', () => {
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    const keys = SHORTCUTS.flatMap((s) => s.keys);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of SHORTCUTS) {
      expect(s.what.length, s.id).toBeGreaterThan(3);
      expect(s.keys.length, s.id).toBeGreaterThan(0);
    }
  });

  it('is what the editor plugins are built from', () => {
    const state = EditorState.create({ schema, plugins: editorKeymaps() });
    expect(state.plugins).toHaveLength(2);
    expect(shortcut('bracket').keys).toEqual(['Mod-Alt-b']);
  });

  /** The delegate's tools, whose keys the tools bind themselves (bracket-tools.ts, footnotes.ts, navigation.ts, threads). */
  const TOOLS = ['bracket', 'awaiting', 'bracket-provision', 'alternative', 'withdraw', 'footnote', 'comment', 'next-bracket', 'previous-bracket', 'next-thread', 'previous-thread'];

  it('has a key for every editing tool, with Ctrl+Alt and no Shift (Shift changes the letter where AltGr is Ctrl+Alt)', () => {
    for (const id of TOOLS) {
      const { keys, command } = shortcut(id);
      expect(command, id).toBeUndefined(); // bound where the tool is, with the page's state
      for (const key of keys) expect(key, id).toMatch(/^Mod-Alt-[^-A-Z]$/);
    }
    const command = () => true;
    expect(Object.keys(bindingsFor({ 'next-bracket': command, awaiting: command }))).toEqual(['Mod-Alt-.', 'Mod-Alt-/']);
  });

  it("gives the tools no key of ProseMirror's, the browser's, the desktop's or a keyboard layout's AltGr", () => {
    // Ctrl+Alt is AltGr on Windows: these type @ € µ ² ³ { [ ] } \\ on German and French layouts, and ą ć ę ł ń ó ś ź ż on Polish;
    // Ctrl+Alt+T, L, D, Delete, Backspace, Tab and arrows belong to Linux desktops and Windows; ⌘⌥ I, J, U, C, M, H, W, B, L to Chrome and macOS.
    const taken = new Set([
      ...Object.keys(baseKeymap),
      ...[...'qem0123456789acelnosxz[]{}\\@'].map((k) => `Mod-Alt-${k}`),
      ...['t', 'l', 'd', 'Delete', 'Backspace', 'Tab', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'i', 'j', 'u', 'h', 'w', 'Escape'].map((k) => `Mod-Alt-${k}`),
    ]);
    for (const id of TOOLS.filter((id) => id !== 'bracket')) for (const key of shortcut(id).keys) expect(taken.has(key), `${id}: ${key}`).toBe(false);
  });

  it('writes keys the way people read them', () => {
    expect(keyLabel('Mod-Alt-n')).toBe('Ctrl+Alt+N');
    expect(keyLabel('Mod-Shift-z')).toBe('Ctrl+Shift+Z');
    expect(keyLabel('Shift-Tab')).toBe('Shift+Tab');
    expect(keyLabel('Mod-/')).toBe('Ctrl+/');
    expect(keyLabel('?')).toBe('?');
    expect(keyLabel('Escape')).toBe('Esc');
    expect(keyLabel('Mod-Alt-b', true)).toBe('⌘⌥B');
    expect(keyLabel('Mod-Alt-.')).toBe('Ctrl+Alt+.');
    expect(keyLabel("Mod-Alt-'")).toBe("Ctrl+Alt+'");
  });

  it('is what the README lists', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    for (const key of SHORTCUTS.flatMap((s) => s.keys)) expect(readme, key).toContain(keyLabel(key));
  });

  it('is the only place in the client where editor keys are written (no second list to drift)', () => {
    const offenders: string[] = [];
    for (const file of sources(CLIENT)) {
      if (file.endsWith('shortcuts.ts')) continue;
      const text = readFileSync(file, 'utf8');
      if (/['"`](Mod|Ctrl|Alt|Shift)-[A-Za-z0-9/]/.test(text) || /\bCtrl\+[A-Z]/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
