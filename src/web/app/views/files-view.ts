import type { FileEntry } from '../../../remote/sdk/index.js';
import type { AppContext } from '../app-context.js';
import { errorText, h, show } from '../dom.js';
import { formatBytes } from '../format.js';
import { fileViewer } from './file-viewer.js';

const parentOf = (path: string) => path.replace(/\/[^/]*\/?$/, '') || '/';
const childOf = (folder: string, name: string) => `${folder.replace(/\/$/, '')}/${name}`;

function entryRow(entry: FileEntry, open: () => void) {
  const folder = entry.type === 'directory';
  return h(
    'li',
    {},
    h(
      'button',
      { class: 'row row-button', type: 'button', 'data-name': entry.name, 'data-type': entry.type, onclick: open },
      h('span', { class: 'icon', 'aria-hidden': 'true' }, folder ? '📁' : '📄'),
      h('span', { class: 'row-main' }, entry.name),
      h('span', { class: 'quiet' }, folder ? '' : formatBytes(entry.size)),
    ),
  );
}

/** The shared folders: list a folder, go into one or up, open a file in the viewer. */
export function filesView(context: AppContext) {
  const root = h('section', { class: 'card', 'aria-labelledby': 'files-title', id: 'files' });
  let folder = '.';
  /** The file open in the viewer: showing the view again shows it (read anew), not the folder. */
  let openPath: string | undefined;

  const list = async (path: string) => {
    show(root, h('h2', { id: 'files-title' }, 'Files'), h('p', { class: 'quiet' }, 'Loading…'));
    try {
      const listing = await context.server.files.list(path, { limit: 500 });
      folder = listing.path;
      const entries = [...listing.entries].sort((a, b) => Number(b.type === 'directory') - Number(a.type === 'directory') || a.name.localeCompare(b.name));
      show(
        root,
        h('h2', { id: 'files-title' }, 'Files'),
        h('p', { class: 'path', id: 'folder-path' }, listing.path),
        h('div', { class: 'actions' }, h('button', { class: 'button secondary', type: 'button', id: 'folder-up', onclick: () => void list(parentOf(listing.path)) }, '↑ Up'), uploadButton(listing.path)),
        entries.length === 0
          ? h('p', { class: 'quiet' }, 'This folder is empty.')
          : h('ul', { class: 'rows', 'aria-label': 'Folder entries' }, ...entries.map((entry) => entryRow(entry, () => void (entry.type === 'directory' ? list(childOf(listing.path, entry.name)) : openFile(childOf(listing.path, entry.name)))))),
        listing.nextOffset !== undefined && h('p', { class: 'quiet' }, `Showing ${entries.length} of ${listing.total} entries.`),
      );
    } catch (error) {
      if (context.server.closed) return context.lost(error);
      show(
        root,
        h('h2', { id: 'files-title' }, 'Files'),
        h('p', { class: 'error' }, errorText(error)),
        path !== '.' && h('button', { class: 'button secondary', type: 'button', onclick: () => void list('.') }, 'Back to the shared folder'),
      );
    }
  };

  /** A new file into this folder (never over an existing one: expectedVersion null); in safety mode it waits for approval. */
  const uploadButton = (into: string) => {
    const input = h('input', { type: 'file', id: 'upload', class: 'visually-hidden' });
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return;
      const path = childOf(into, file.name);
      context.notify(`Uploading ${file.name}…`, 'wait');
      try {
        await context.server.files.write(path, new Uint8Array(await file.arrayBuffer()), {
          expectedVersion: null,
          onApproval: (approval) => context.notify(`Upload of ${file.name}: waiting for approval ${approval.id}`, 'wait'),
        });
        context.notify(`Uploaded ${path}.`, 'ok');
      } catch (error) {
        if (context.server.closed) return context.lost(error);
        context.notify(`Not uploaded: ${errorText(error)}`, 'error');
      }
      if (folder === into && openPath === undefined) await list(into);
    });
    return h('label', { class: 'button secondary', for: 'upload' }, input, 'Upload a file');
  };

  const openFile = (path: string) => {
    openPath = path;
    show(
      root,
      fileViewer(context, path, () => {
        openPath = undefined;
        void list(folder);
      }),
    );
  };

  return { root, refresh: async () => (openPath === undefined ? list(folder) : openFile(openPath)) };
}
