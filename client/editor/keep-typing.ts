import { Plugin } from 'prosemirror-state';
import type * as Y from 'yjs';
import { keepLateTyping } from '../../shared/editing/late-typing.ts';

/**
 * While the editor is open, what this participant types is not lost to another delegation's
 * structure change that overtook it (Tab, Shift-Tab, Enter, Backspace or Delete at a provision's
 * edge, pressed before our keystrokes reached them): shared/editing/late-typing.ts types it again
 * where its text went. Every editor that can type needs it, whatever commands it runs itself.
 */
export function keepTypingPlugin(fragment: Y.XmlFragment): Plugin {
  return new Plugin({
    view: () => ({ destroy: keepLateTyping(fragment) }),
  });
}
