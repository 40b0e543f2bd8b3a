import { eitherSignal } from '../../core/either-signal.js';
import type { ChannelDevice, ChannelSession } from '../channel/session.js';
import type { HostFacts } from '../protocol/host-facts.js';
import type { ExecOutput, ExecResult, OpArgs, OpName, OpResult } from '../protocol/ops.js';
import { RpcClient, type CallOptions } from '../rpc/client.js';
import type { RpcClientOptions } from '../rpc/client.js';
import { chunkHandoff, remoteStream, type RemoteStream } from './remote-stream.js';

export interface Signalled {
  signal?: AbortSignal;
}
export type ReadInfo = OpResult<'files.read'>;
export type ServerOperationOptions = Signalled & { onEvent?: (event: unknown) => void };

/** One connected agent. Every method rejects with a RemoteError (`.code` is the exit-code kind). */
export interface RemoteServer {
  /** This device, as the agent knows it. */
  readonly device: ChannelDevice;
  /** The host facts that came with the latest response (with `withHost`). */
  readonly lastHost: HostFacts | undefined;
  host(options?: Signalled): Promise<HostFacts>;
  files: {
    list(path: string, options?: Signalled & { offset?: number; limit?: number }): Promise<OpResult<'files.list'>>;
    stat(path: string, options?: Signalled): Promise<OpResult<'files.stat'>>;
    /** The whole file in memory, with its version (pass it to write as expectedVersion). */
    read(path: string, options?: Signalled & { maxBytes?: number }): Promise<ReadInfo & { bytes: Uint8Array }>;
    /** The file chunk by chunk, as fast as the reader takes them; `result` has its version. */
    readStream(path: string, options?: Signalled & { maxBytes?: number }): RemoteStream<Uint8Array, ReadInfo>;
    /** expectedVersion: the version read (a changed file is a 'conflict'), null: the file must not exist yet. */
    write(path: string, data: Uint8Array | AsyncIterable<Uint8Array>, options?: Signalled & { expectedVersion?: string | null; size?: number }): Promise<OpResult<'files.write'>>;
    mkdir(path: string, options?: Signalled & { parents?: boolean }): Promise<OpResult<'files.mkdir'>>;
    copy(src: string, dst: string, options?: Signalled & { overwrite?: boolean }): Promise<OpResult<'files.copy'>>;
    move(src: string, dst: string, options?: Signalled & { overwrite?: boolean }): Promise<OpResult<'files.move'>>;
    remove(path: string, options?: Signalled & { recursive?: boolean }): Promise<OpResult<'files.remove'>>;
    search(text: string, options?: Signalled & { in?: string; limit?: number }): Promise<OpResult<'files.search'>>;
  };
  /** Output as it comes (iterate), and the result with exit code, risk and analysis (`.result`). */
  exec(command: string, options?: Signalled & Omit<OpArgs<'exec'>, 'command'>): RemoteStream<ExecOutput, ExecResult>;
  server: {
    status(options?: Signalled): Promise<OpResult<'server.status'>>;
    /** Log batches as events; with `follow` until the signal aborts. */
    logs(options?: Signalled & OpArgs<'server.logs'>): RemoteStream<unknown, OpResult<'server.logs'>>;
    start(options?: ServerOperationOptions & OpArgs<'server.start'>): Promise<OpResult<'server.start'>>;
    stop(options?: ServerOperationOptions & OpArgs<'server.stop'>): Promise<OpResult<'server.stop'>>;
    restart(options?: ServerOperationOptions & OpArgs<'server.restart'>): Promise<OpResult<'server.restart'>>;
    update(options?: ServerOperationOptions & OpArgs<'server.update'>): Promise<OpResult<'server.update'>>;
  };
  /** The undo journal of file changes made through the agent. */
  undo: {
    /** The recent changes, newest first (inside the shared folders). */
    list(options?: Signalled & { limit?: number }): Promise<OpResult<'undo.list'>['entries']>;
    /** Puts change `id` back; a file changed since is a 'conflict', unless `force` (then the previous state is written beside it: `result.beside`). */
    apply(id: string, options?: Signalled & { force?: boolean }): Promise<OpResult<'undo.apply'>>;
  };
  readonly closed: boolean;
  close(): void;
}

export interface RemoteServerOptions extends RpcClientOptions {
  /** Ask for the agent's host facts with every response. */
  withHost?: boolean;
  onHost?: (facts: HostFacts) => void;
}

export function remoteServer(session: ChannelSession, options: RemoteServerOptions = {}): RemoteServer {
  const rpc = new RpcClient(session, options);
  let lastHost: HostFacts | undefined;
  const call = <O extends OpName>(op: O, args: OpArgs<O>, callOptions: CallOptions = {}) =>
    rpc.call(op, args, {
      ...callOptions,
      ...(options.withHost
        ? {
            withHost: true,
            onHost: (host: unknown) => {
              lastHost = host as HostFacts;
              options.onHost?.(lastHost);
            },
          }
        : {}),
    });
  const split = <T extends Signalled>(all: T | undefined): [Omit<T, 'signal'>, AbortSignal | undefined] => {
    const { signal, ...rest } = all ?? ({} as T);
    return [rest, signal];
  };
  const serverOperation =
    <O extends 'server.start' | 'server.stop' | 'server.restart' | 'server.update'>(op: O) =>
    (all?: ServerOperationOptions & OpArgs<O>) => {
      const { signal, onEvent, ...args } = all ?? ({} as ServerOperationOptions & OpArgs<O>);
      return call(op, args as OpArgs<O>, { signal, onEvent });
    };

  return {
    device: session.device,
    get lastHost() {
      return lastHost;
    },
    get closed() {
      return rpc.closed;
    },
    host: (all) => call('host', {}, { signal: all?.signal }),
    files: {
      list: (path, all) => {
        const [page, signal] = split(all);
        return call('files.list', { path, ...page }, { signal });
      },
      stat: (path, all) => call('files.stat', { path }, { signal: all?.signal }),
      read: async (path, all) => {
        const [rest, signal] = split(all);
        const parts: Uint8Array[] = [];
        let length = 0;
        const info = await call('files.read', { path, ...rest }, {
          signal,
          onChunk: (bytes) => {
            parts.push(bytes.slice());
            length += bytes.byteLength;
          },
        });
        const bytes = new Uint8Array(length);
        let offset = 0;
        for (const part of parts) {
          bytes.set(part, offset);
          offset += part.byteLength;
        }
        return { ...info, bytes };
      },
      readStream: (path, all) => {
        const [rest, outerSignal] = split(all);
        const abandon = new AbortController();
        const { signal, dispose } = eitherSignal(abandon.signal, outerSignal);
        const handoff = chunkHandoff(() => abandon.abort());
        const result = call('files.read', { path, ...rest }, { signal, onChunk: (bytes) => handoff.give(bytes.slice()) }).then(
          (info) => {
            dispose();
            handoff.end();
            return info;
          },
          (error: unknown) => {
            dispose();
            handoff.end(error);
            throw error;
          },
        );
        result.catch(() => undefined);
        return Object.assign(handoff.chunks, { result });
      },
      write: (path, data, all) => {
        const [rest, signal] = split(all);
        const size = rest.size ?? (data instanceof Uint8Array ? data.byteLength : undefined);
        return call('files.write', { path, ...rest, ...(size === undefined ? {} : { size }) }, { signal, upload: data });
      },
      mkdir: (path, all) => {
        const [rest, signal] = split(all);
        return call('files.mkdir', { path, ...rest }, { signal });
      },
      copy: (src, dst, all) => {
        const [rest, signal] = split(all);
        return call('files.copy', { src, dst, ...rest }, { signal });
      },
      move: (src, dst, all) => {
        const [rest, signal] = split(all);
        return call('files.move', { src, dst, ...rest }, { signal });
      },
      remove: (path, all) => {
        const [rest, signal] = split(all);
        return call('files.remove', { path, ...rest }, { signal });
      },
      search: (text, all) => {
        const [rest, signal] = split(all);
        return call('files.search', { text, ...rest }, { signal });
      },
    },
    exec: (command, all) => {
      const [rest, signal] = split(all);
      return remoteStream<ExecOutput, ExecResult>((push) => call('exec', { command, ...rest }, { signal, onEvent: (event) => push(event as ExecOutput) }));
    },
    server: {
      status: (all) => call('server.status', {}, { signal: all?.signal }),
      logs: (all) => {
        const [rest, signal] = split(all);
        return remoteStream((push) => call('server.logs', rest, { signal, onEvent: push }));
      },
      start: serverOperation('server.start'),
      stop: serverOperation('server.stop'),
      restart: serverOperation('server.restart'),
      update: serverOperation('server.update'),
    },
    undo: {
      list: async (all) => {
        const [rest, signal] = split(all);
        return (await call('undo.list', rest, { signal })).entries;
      },
      apply: (id, all) => {
        const [rest, signal] = split(all);
        return call('undo.apply', { id, ...rest }, { signal });
      },
    },
    close: () => rpc.close(),
  };
}
