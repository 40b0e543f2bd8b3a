import { TERMINAL_CHUNK_HEADER_BYTES, encodeTerminalChunk } from '../../protocol/terminal-chunk.js';
import { LIMITS } from '../../protocol/limits.js';
import type { OpArgs } from '../../protocol/ops.js';
import type { AgentServices } from '../services.js';
import { TerminalRedaction, redactTerminalText } from '../terminal-redaction.js';
import { terminalTarget } from '../terminal-target.js';
import type { HandlerContext } from './handler-types.js';

const OUTPUT_BYTES = LIMITS.chunkBytes - TERMINAL_CHUNK_HEADER_BYTES;
/** Output that keeps coming is sent at most this often (up to OUTPUT_BYTES each: 64 MB/s at most per terminal). */
const GATHER_MS = 1;

/** terminal.*: shells in PTYs (src/core/terminals), opened by one device, watched by any. */
export function terminalHandlers(services: Pick<AgentServices, 'terminals' | 'files' | 'roots'>) {
  const terminals = services.terminals;
  return {
    async 'terminal.create'(args: OpArgs<'terminal.create'>, context: HandlerContext) {
      const { shell, cwd } = await terminalTarget(services, args);
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !context.dropEnv?.(name)));
      return terminals.create({ shell, cwd, cols: args.cols, rows: args.rows, env }, { id: context.device.id, name: context.device.name, role: context.device.role, seesSecrets: context.terminalRedactor === undefined });
    },

    'terminal.list': async () => ({ terminals: terminals.list() }),

    /** Output from byte `after` (what the device has) as chunks, until the shell has exited and every byte went out. */
    async 'terminal.attach'(args: OpArgs<'terminal.attach'>, context: HandlerContext) {
      const session = terminals.session(args.id);
      const from = Math.max(args.after ?? 0, session.keptFrom);
      const reader = terminals.attach(args.id, context.device.name, from);
      const info = session.info();
      context.emit({ type: 'start', seq: from, missed: from - (args.after ?? 0), cols: info.cols, rows: info.rows });
      const stopWatchingSize = terminals.onResize(args.id, (cols, rows) => context.emit({ type: 'size', cols, rows }));
      const cancel = () => reader.close();
      context.signal.addEventListener('abort', cancel);
      let sending = Promise.resolve();
      let lastSent = 0;
      const send = (bytes: Uint8Array, end: number) => (sending = sending.then(() => context.sendChunk(encodeTerminalChunk(end, bytes))));
      const redaction = context.terminalRedactor ? new TerminalRedaction(context.terminalRedactor, from, send) : undefined;
      try {
        for (;;) {
          const read = await reader.next(OUTPUT_BYTES);
          if ('exit' in read) {
            redaction?.flush();
            await sending;
            return { id: args.id, outputBytes: session.info().outputBytes, exit: read.exit };
          }
          const { seq, bytes } = read.output;
          if (redaction) redaction.push(read.output);
          else send(bytes, seq + bytes.byteLength);
          // The credit window: a slow device slows the reader, and so the shell (the session pauses its PTY).
          await sending;
          // While output flows, at most one chunk per GATHER_MS: the PTY's reads (about 4 KiB each) go out
          // together, not as a frame each (a relay drops an agent that sends too many frames a second).
          // An echoed key after a quiet moment goes out at once.
          const since = performance.now() - lastSent;
          if (since < GATHER_MS) await new Promise((resolve) => setTimeout(resolve, GATHER_MS - since));
          lastSent = performance.now();
        }
      } finally {
        redaction?.dispose();
        stopWatchingSize();
        context.signal.removeEventListener('abort', cancel);
        reader.close();
      }
    },

    /** The kept scrollback, the newest `maxBytes` of it (default all), as plain chunks. */
    async 'terminal.history'(args: OpArgs<'terminal.history'>, context: HandlerContext) {
      const session = terminals.session(args.id);
      const end = session.info().outputBytes;
      const seq = Math.max(session.keptFrom, end - (args.maxBytes ?? end));
      const reader = session.attach(context.device.name, seq);
      const parts: Buffer[] = [];
      try {
        while (reader.offset < end) {
          const read = await reader.next(end - reader.offset);
          if ('exit' in read) break;
          parts.push(read.output.bytes);
        }
      } finally {
        reader.close();
      }
      const kept = Buffer.concat(parts);
      const shown = context.terminalRedactor ? redactTerminalText(context.terminalRedactor, kept) : kept;
      for (let offset = 0; offset < shown.byteLength; offset += LIMITS.chunkBytes) await context.sendChunk(shown.subarray(offset, offset + LIMITS.chunkBytes));
      const bytes = shown.byteLength;
      return { id: args.id, seq, bytes };
    },

    async 'terminal.write'(args: OpArgs<'terminal.write'>, context: HandlerContext) {
      terminals.owned(args.id, context.device).write(args.data);
      return {};
    },

    async 'terminal.resize'(args: OpArgs<'terminal.resize'>, context: HandlerContext) {
      terminals.owned(args.id, context.device).resize(args.cols, args.rows);
      terminals.resized(args.id, args.cols, args.rows);
      return {};
    },

    async 'terminal.signal'(args: OpArgs<'terminal.signal'>, context: HandlerContext) {
      terminals.owned(args.id, context.device).signal(args.signal);
      return {};
    },

    async 'terminal.close'(args: OpArgs<'terminal.close'>, context: HandlerContext) {
      const session = terminals.owned(args.id, context.device);
      const ended = new Promise<void>((resolve) => {
        const stop = session.onEnd(() => resolve());
        context.signal.addEventListener('abort', () => (stop(), resolve()), { once: true });
      });
      session.close();
      await ended;
      return terminals.info(args.id);
    },
  };
}
