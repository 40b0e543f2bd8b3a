/** The shapes of the file operations (see /work/prompts/remote-contract.md: the remote ops return them as they are). */
import type { Measure } from './measure.js';

export type { Measure } from './measure.js';

/** Where file operations may reach. `roots` are absolute; `fullAccess` shares the whole machine (root `/`). */
export interface FileScope {
  roots: string[];
  fullAccess: boolean;
  /**
   * Folders no request reaches whatever the roots (even with full access): the agent's own keys,
   * devices, audit log and undo journal, and openmates' settings, so a device cannot grant itself
   * a role, edit the audit trail or switch safety mode off through a file write.
   */
  protected?: string[];
}

export type FileType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileEntry {
  /** The name; a name that is not valid UTF-8 is shown with `\xNN` escapes and `escaped: true`. */
  name: string;
  type: FileType;
  size: number;
  mode: number;
  mtimeMs: number;
  /** The name is not UTF-8: `name` is an escaped rendering and cannot be used to address the entry. */
  escaped?: true;
}

export interface FileInfo extends FileEntry {
  /** The resolved path (symlinks followed). */
  path: string;
  /** Opaque token that changes whenever the file is replaced or modified; pass it back to write. */
  version: string;
}

export interface ListResult {
  path: string;
  entries: FileEntry[];
  total: number;
  nextOffset?: number;
}

export interface ReadResult {
  path: string;
  /** Bytes the chunks carry (for a redacted .env file: the redacted text's size). */
  size: number;
  version: string;
  redactedEnv: boolean;
  chunks: AsyncIterable<Uint8Array>;
}

export interface SearchMatch {
  path: string;
  kind: 'name' | 'content';
  line?: number;
  text?: string;
}

export interface SearchResult {
  matches: SearchMatch[];
  truncated: boolean;
}

/** Who asks for a change, as the undo journal records it (a remote device's id and name). */
export interface ChangeActor {
  actor?: { id: string; name: string };
}

export interface FileOps {
  /** Scope check: the real path (symlinks followed) or OpenmatesError('refused'). */
  resolve(path: string): Promise<string>;
  list(path: string, page?: { offset?: number; limit?: number }): Promise<ListResult>;
  stat(path: string): Promise<FileInfo>;
  read(path: string, options?: { maxBytes?: number; signal?: AbortSignal }): Promise<ReadResult>;
  /** Atomic. `expectedVersion`: the version last read (a changed file is a 'conflict'); null: must not exist yet; absent: no check. */
  write(path: string, data: AsyncIterable<Uint8Array> | Uint8Array, options?: { expectedVersion?: string | null; signal?: AbortSignal } & ChangeActor): Promise<{ path: string; version: string; bytes: number }>;
  mkdir(path: string, options?: { parents?: boolean } & ChangeActor): Promise<{ path: string }>;
  copy(src: string, dst: string, options?: { overwrite?: boolean } & ChangeActor): Promise<{ src: string; dst: string }>;
  move(src: string, dst: string, options?: { overwrite?: boolean } & ChangeActor): Promise<{ src: string; dst: string }>;
  remove(path: string, options?: { recursive?: boolean } & ChangeActor): Promise<{ path: string; files: number; bytes: number }>;
  search(text: string, options?: { in?: string; limit?: number; signal?: AbortSignal }): Promise<SearchResult>;
  /** What the path holds (not following a last symlink): files, folders, bytes, a sample of names. */
  measure(path: string): Promise<Measure>;
}
