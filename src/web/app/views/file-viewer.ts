import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { formatBytes } from '../format.js';

/** At most this much is read into the page (the viewer and a download): a phone's memory is not a server's. */
const MAX_VIEW_BYTES = 1024 * 1024;

/** One file: its text (read-only), and an editor that saves through files.write with the version read. */
export function fileViewer(context: AppContext, path: string, back: () => void) {
  const root = h('div', { class: 'viewer' });
  const header = (...extra: (Node | false)[]) => [
    h('button', { class: 'button secondary', type: 'button', id: 'viewer-back', onclick: back }, '← Back'),
    h('h2', { class: 'path', id: 'viewer-path' }, path),
    ...extra,
  ];

  const view = async () => {
    show(root, ...header(), h('p', { class: 'quiet' }, 'Loading…'));
    try {
      const file = await context.server.files.read(path, { maxBytes: MAX_VIEW_BYTES });
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
      } catch {
        return show(
          root,
          ...header(
            h('p', { class: 'quiet' }, `A binary file (${formatBytes(file.size)}): not shown.`),
            h('button', { class: 'button secondary', type: 'button', id: 'download', onclick: () => download(file.bytes) }, 'Download'),
          ),
        );
      }
      show(
        root,
        ...header(
          h('p', { class: 'quiet' }, `${formatBytes(file.size)}${file.redactedEnv ? ' · secrets shown as tokens' : ''}`),
          h('button', { class: 'button', type: 'button', id: 'edit', onclick: () => edit(text, file.version) }, 'Edit'),
          h('button', { class: 'button secondary', type: 'button', id: 'download', onclick: () => download(file.bytes) }, 'Download'),
        ),
        h('pre', { class: 'file-text', id: 'file-text', tabindex: '0' }, text),
      );
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      show(root, ...header(), h('p', { class: 'error' }, errorText(error)));
    }
  };

  /** The bytes as read (tokens where the agent redacted secrets), saved by the browser under the file's name. */
  const download = (bytes: Uint8Array) => {
    const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
    const anchor = h('a', { href: url, download: path.split('/').pop() ?? 'download' });
    document.body.append(anchor);
    anchor.click();
    anchor.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };

  const edit = (text: string, version: string) => {
    const area = h('textarea', { class: 'editor', id: 'editor', spellcheck: 'false', 'aria-label': `Content of ${path}` });
    area.value = text;
    const status = h('p', { class: 'quiet', id: 'save-status', role: 'status' });
    const save = h('button', { class: 'button', type: 'button', id: 'save' }, 'Save');
    const cancel = h('button', { class: 'button secondary', type: 'button', onclick: () => void view() }, 'Cancel');
    save.addEventListener('click', async () => {
      save.disabled = true;
      cancel.disabled = true;
      area.readOnly = true;
      status.textContent = 'Saving…';
      try {
        await context.server.files.write(path, new TextEncoder().encode(area.value), {
          expectedVersion: version,
          onApproval: (approval) => {
            status.textContent = `waiting for approval ${approval.id}`;
            context.notify(`${approval.headline}: waiting for approval ${approval.id}`, 'wait');
          },
        });
        context.notify(`Saved ${path}.`, 'ok');
        await view();
      } catch (error) {
        if (context.server.closed) return context.lost(error);
        status.textContent = `Not saved: ${errorText(error)}`;
        status.className = 'error';
        save.disabled = false;
        cancel.disabled = false;
        area.readOnly = false;
      }
    });
    show(root, ...header(), area, h('div', { class: 'actions' }, save, cancel), status);
    area.focus();
  };

  void view();
  return root;
}
