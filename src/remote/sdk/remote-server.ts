import { eitherSignal } from '../../core/either-signal.js';
import type { ChannelDevice, ChannelSession } from '../channel/session.js';
import type { HostFacts } from '../protocol/host-facts.js';
import type { Approval, ApprovalDecision } from '../protocol/approvals.js';
import { approvalEventSchema, approvalNoticeSchema, type ApprovalNotice, type ExecOutput, type ExecResult, type OpArgs, type OpName, type OpResult, type RunInfoWire, type TerminalInfoWire } from '../protocol/ops.js';
import { RpcClient, type CallOptions } from '../rpc/client.js';
import { RemoteError } from '../rpc/remote-error.js';
import { remoteTerminal, type RemoteTerminal } from './remote-terminal.js';
import { concatBytes } from '../concat-bytes.js';
import type { HeartbeatOptions } from '../rpc/heartbeat.js';
import { chunkHandoff, remoteStream, type RemoteStream } from './remote-stream.js';
import { sessionConnection, type Connection } from './connection-state.js';
import type { RpcCaller } from './reconnecting-rpc.js';

export interface Signalled {
  /** Cancels the call; one waiting for an approval is then cancelled too (nothing runs). */
  signal?: AbortSignal;
  /** Safety mode: the call waits for a person's approval; called once with its id and headline (overrides the connection's). */
  onApproval?: (approval: ApprovalNotice) => void;
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
  /** The agent's name and whether safety mode is on there. */
  info(options?: Signalled): Promise<OpResult<'agent.info'>>;
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
  /** Interactive shells on the server (a PTY each); see RemoteTerminal. */
  terminal: {
    /** Opens a shell (in safety mode: after one approval, which says a shell's commands are not checked one by one). */
    create(options: OpArgs<'terminal.create'> & Signalled): Promise<RemoteTerminal>;
    /** A running terminal by id, to watch it (any device) or go on typing into it (the device that opened it). */
    attach(id: string, options?: Signalled): Promise<RemoteTerminal>;
    list(options?: Signalled): Promise<TerminalInfoWire[]>;
  };
  /**
   * Isolated runs: a command from a git repository in a throw-away container on the server (no
   * host mounts; no network unless asked, which in safety mode waits for an approval).
   */
  runs: {
    /** Starts a run and answers once it runs (`onProgress`: check, pull, clone, copy, start). */
    create(args: OpArgs<'runs.create'> & Signalled & { onProgress?: (progress: unknown) => void }): Promise<RunInfoWire>;
    /** The running runs and the 20 newest (`all`: every one kept). */
    list(options?: Signalled & { all?: boolean }): Promise<RunInfoWire[]>;
    status(id: string, options?: Signalled): Promise<RunInfoWire>;
    /** Its output from the start (iterate), with `follow` until it ends; `result`: the run as it is then. */
    logs(id: string, options?: Signalled & { follow?: boolean }): RemoteStream<ExecOutput, RunInfoWire>;
    cancel(id: string, options?: Signalled): Promise<RunInfoWire>;
  };
  /** The undo journal of file changes made through the agent. */
  undo: {
    /** The recent changes, newest first (inside the shared folders). */
    list(options?: Signalled & { limit?: number }): Promise<OpResult<'undo.list'>['entries']>;
    /** Puts change `id` back; a file changed since is a 'conflict', unless `force` (then the previous state is written beside it: `result.beside`). */
    apply(id: string, options?: Signalled & { force?: boolean }): Promise<OpResult<'undo.apply'>>;
  };
  /** The agent's audit log: who asked for what, what the policy said, how it ended. */
  audit: {
    /** The newest records first (default 50, at most 500), redacted; `before`: older than that seq (the next page); `more`: older ones exist. */
    recent(options?: Signalled & OpArgs<'audit.recent'>): Promise<OpResult<'audit.recent'>>;
  };
  /** Approver devices only (an operator gets 'refused'): see and decide what waits for approval. */
  approvals: {
    /** Pending first, then the recently decided. */
    list(options?: Signalled): Promise<Approval[]>;
    /** Bound to the approval's id and hash (pass the Approval as listed); the first decision wins. */
    decide(decision: ApprovalDecision, options?: Signalled): Promise<Approval>;
    /** Every pending approval, then each new or changed one, until the signal aborts (then iteration ends). */
    watch(options?: Signalled): AsyncIterable<Approval>;
  };
  /** connected, reconnecting (with `connect(link, {reconnect: true})`) or closed; `onChange` to follow it. */
  readonly connection: Connection;
  readonly closed: boolean;
  close(): void;
}

export interface RemoteServerOptions extends HeartbeatOptions {
  /** Ask for the agent's host facts with every response. */
  withHost?: boolean;
  onHost?: (facts: HostFacts) => void;
  /** Every call that waits for an approval reports it here (unless the call has its own onApproval). */
  onApproval?: (approval: ApprovalNotice) => void;
}

export function remoteServer(session: ChannelSession, options: RemoteServerOptions = {}): RemoteServer {
  return remoteServerOver(new RpcClient(session, options), session.device, sessionConnection(session), options);
}

/** A RemoteServer whose calls go over `rpc` (one session, or one that reconnects). */
export function remoteServerOver(rpc: RpcCaller, device: ChannelDevice, connection: Connection, options: RemoteServerOptions = {}): RemoteServer {
  let lastHost: HostFacts | undefined;
  const call = <O extends OpName>(op: O, args: OpArgs<O>, { onApproval, ...callOptions }: CallOptions & { onApproval?: Signalled['onApproval'] } = {}) =>
    rpc.call(op, args, {
      ...callOptions,
      // The approval notice is the call's own news, not part of its output (exec's stream never sees it).
      onEvent: (event) => {
        const notice = approvalNoticeSchema.safeParse(event);
        if (notice.success && Object.keys(event as object).length === 1) return (onApproval ?? options.onApproval)?.(notice.data.approval);
        callOptions.onEvent?.(event);
      },
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
  const split = <T extends Signalled>(all: T | undefined): [Omit<T, 'signal' | 'onApproval'>, Signalled] => {
    const { signal, onApproval, ...rest } = all ?? ({} as T);
    return [rest, { signal, onApproval }];
  };
  const serverOperation =
    <O extends 'server.start' | 'server.stop' | 'server.restart' | 'server.update'>(op: O) =>
    (all?: ServerOperationOptions & OpArgs<O>) => {
      const { signal, onEvent, onApproval, ...args } = all ?? ({} as ServerOperationOptions & OpArgs<O>);
      return call(op, args as OpArgs<O>, { signal, onEvent, onApproval });
    };

  return {
    device,
    connection,
    get lastHost() {
      return lastHost;
    },
    get closed() {
      return rpc.closed;
    },
    host: (all) => call('host', {}, { signal: all?.signal }),
    info: (all) => call('agent.info', {}, { signal: all?.signal }),
    files: {
      list: (path, all) => {
        const [page, opts] = split(all);
        return call('files.list', { path, ...page }, opts);
      },
      stat: (path, all) => call('files.stat', { path }, { signal: all?.signal }),
      read: async (path, all) => {
        const [rest, opts] = split(all);
        const parts: Uint8Array[] = [];
        const info = await call('files.read', { path, ...rest }, { ...opts, onChunk: (bytes) => void parts.push(bytes.slice()) });
        return { ...info, bytes: concatBytes(parts) };
      },
      readStream: (path, all) => {
        const [rest, { signal: outerSignal }] = split(all);
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
        const [rest, opts] = split(all);
        const size = rest.size ?? (data instanceof Uint8Array ? data.byteLength : undefined);
        return call('files.write', { path, ...rest, ...(size === undefined ? {} : { size }) }, { ...opts, upload: data });
      },
      mkdir: (path, all) => {
        const [rest, opts] = split(all);
        return call('files.mkdir', { path, ...rest }, opts);
      },
      copy: (src, dst, all) => {
        const [rest, opts] = split(all);
        return call('files.copy', { src, dst, ...rest }, opts);
      },
      move: (src, dst, all) => {
        const [rest, opts] = split(all);
        return call('files.move', { src, dst, ...rest }, opts);
      },
      remove: (path, all) => {
        const [rest, opts] = split(all);
        return call('files.remove', { path, ...rest }, opts);
      },
      search: (text, all) => {
        const [rest, opts] = split(all);
        return call('files.search', { text, ...rest }, opts);
      },
    },
    exec: (command, all) => {
      const [rest, opts] = split(all);
      return remoteStream<ExecOutput, ExecResult>((push) => call('exec', { command, ...rest }, { ...opts, onEvent: (event) => push(event as ExecOutput) }));
    },
    server: {
      status: (all) => call('server.status', {}, { signal: all?.signal }),
      logs: (all) => {
        const [rest, opts] = split(all);
        return remoteStream((push) => call('server.logs', rest, { ...opts, onEvent: push }));
      },
      start: serverOperation('server.start'),
      stop: serverOperation('server.stop'),
      restart: serverOperation('server.restart'),
      update: serverOperation('server.update'),
    },
    terminal: {
      create: async (all) => {
        const [rest, opts] = split(all);
        return remoteTerminal(call, connection, await call('terminal.create', rest, opts));
      },
      attach: async (id, all) => {
        const { terminals } = await call('terminal.list', {}, { signal: all?.signal });
        const info = terminals.find((terminal) => terminal.id === id);
        if (!info) throw new RemoteError('usage', `There is no terminal ${id} on the server: it ended, was abandoned, or the agent restarted.`, 'list the terminals, or open a new one');
        return remoteTerminal(call, connection, info);
      },
      list: async (all) => (await call('terminal.list', {}, { signal: all?.signal })).terminals,
    },
    runs: {
      create: (all) => {
        const { signal, onApproval, onProgress, ...args } = all;
        return call('runs.create', args, { signal, onApproval, onEvent: (event) => onProgress?.(event) });
      },
      list: async (all) => (await call('runs.list', all?.all ? { all: true } : {}, { signal: all?.signal })).runs,
      status: (id, all) => call('runs.status', { id }, { signal: all?.signal }),
      logs: (id, all) => {
        const [rest, opts] = split(all);
        return remoteStream<ExecOutput, RunInfoWire>((push) => call('runs.logs', { id, ...rest }, { ...opts, onEvent: (event) => push(event as ExecOutput) }));
      },
      cancel: (id, all) => call('runs.cancel', { id }, { signal: all?.signal }),
    },
    undo: {
      list: async (all) => {
        const [rest, { signal }] = split(all);
        return (await call('undo.list', rest, { signal })).entries;
      },
      apply: (id, all) => {
        const [rest, { signal }] = split(all);
        return call('undo.apply', { id, ...rest }, { signal });
      },
    },
    audit: {
      recent: (all) => {
        const [rest, { signal }] = split(all);
        return call('audit.recent', rest, { signal });
      },
    },
    approvals: {
      list: async (all) => (await call('approvals.list', {}, { signal: all?.signal })).approvals,
      decide: (decision, all) => call('approvals.decide', decision, { signal: all?.signal }),
      watch: (all) => watchApprovals((onEvent, signal) => call('approvals.watch', {}, { signal, onEvent }), all?.signal),
    },
    close: () => rpc.close(),
  };
}

/** The watch call as an iterable: approvals as they come; it ends (without an error) when the caller's signal aborts. */
function watchApprovals(run: (onEvent: (event: unknown) => void, signal: AbortSignal | undefined) => Promise<unknown>, signal: AbortSignal | undefined): AsyncIterable<Approval> {
  const stream = remoteStream<Approval, unknown>((push) =>
    run((event) => {
      const parsed = approvalEventSchema.safeParse(event);
      if (parsed.success) push(parsed.data.approval);
    }, signal).catch((error: unknown) => {
      if (signal?.aborted) return { ended: true };
      throw error;
    }),
  );
  return stream;
}
