import { errorText, h } from '../dom.js';

type Say = (text: string, tone?: 'info' | 'ok' | 'wait' | 'error') => void;

/** Copies the terminal's selection through the browser's clipboard (only on a secure page: https, or 127.0.0.1). */
export async function copySelection(selection: string, say: Say): Promise<void> {
  if (!selection) return say('Select some text in the terminal first (drag across it, or touch and hold).', 'info');
  if (!navigator.clipboard?.writeText) return say('This browser does not let the page copy here (it needs an https page): select the text and use the browser’s own Copy.', 'error');
  try {
    await navigator.clipboard.writeText(selection);
    say(`Copied ${selection.length} characters.`, 'ok');
  } catch (error) {
    say(`Not copied: ${errorText(error)}`, 'error');
  }
}

/**
 * Paste: the clipboard's text when the browser gives it (it may ask first); otherwise a box to
 * paste into by hand, whose text is sent with Send.
 */
export async function readClipboard(): Promise<string | undefined> {
  if (!navigator.clipboard?.readText) return undefined;
  try {
    return await navigator.clipboard.readText();
  } catch {
    return undefined;
  }
}

/** The fallback: a text box (the phone's own paste works there) and Send / Cancel. */
export function pasteBox(send: (text: string) => void, done: () => void): HTMLElement {
  const area = h('textarea', { class: 'editor paste-box', id: 'terminal-paste-text', spellcheck: 'false', 'aria-label': 'Text to paste into the terminal', placeholder: 'Paste here, then Send' });
  const box = h(
    'div',
    { class: 'paste', id: 'terminal-paste' },
    h('p', { class: 'quiet' }, 'The browser does not give this page the clipboard: paste into the box, then Send.'),
    area,
    h(
      'div',
      { class: 'actions' },
      h('button', { class: 'button', type: 'button', id: 'terminal-paste-send', onclick: () => (area.value && send(area.value), done()) }, 'Send'),
      h('button', { class: 'button secondary', type: 'button', onclick: done }, 'Cancel'),
    ),
  );
  queueMicrotask(() => area.focus());
  return box;
}
