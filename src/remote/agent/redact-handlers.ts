/**
 * The redaction layer between the guard and the core handlers (guard → this → core):
 * - tokens sent back are restored just before the core runs them: in a files.write upload and
 *   in an exec's command and env values (for every device: a token is never useful as itself);
 * - devices without raw secrets (operators, and approvers not added with --raw-secrets) get
 *   every result, event and error redacted, file reads, command and terminal output through the
 *   stream redactor, binary command output as a note, and commands and shells without the secret
 *   variables of the agent's environment.
 */
import { OpenmatesError } from '../../core/errors.js';
import { isSecretEnvName } from '../../core/secrets/index.js';
import type { OpArgs, OpName } from '../protocol/ops.js';
import type { Handler, HandlerContext } from './ops/handler-types.js';
import { CommandOutputRedaction, ReadRedaction, binaryNote, isBinaryText } from './redact-output.js';
import { redactDeep, redactError } from './redact-values.js';
import { exactUpload, restoreUpload } from './restore-upload.js';
import type { AgentSecrets } from './services.js';

/** Ops after which a new `.env` file may be in the roots. */
const CHANGES_FILES = new Set<OpName>(['files.write', 'files.copy', 'files.move', 'files.remove', 'files.mkdir', 'exec', 'terminal.close']);

export function seesRawSecrets(device: HandlerContext['device']): boolean {
  return device.role === 'approver' && device.rawSecrets === true;
}

export function redactHandlers<O extends OpName>(handlers: Record<O, Handler>, secrets: AgentSecrets): Record<O, Handler> {
  const redact = (text: string) => secrets.redact(text);
  const all = handlers as unknown as Record<OpName, Handler>;
  const layered = {} as Record<OpName, Handler>;
  for (const op of Object.keys(handlers) as OpName[]) {
    const handler = op === 'files.write' || op === 'files.copy' || op === 'files.move' ? noteWrittenFile(all[op], secrets) : all[op];
    layered[op] = (async (rawArgs: unknown, context: HandlerContext) => {
      const hidden = !seesRawSecrets(context.device);
      const { args, context: restoring } = restoreRequest(op, rawArgs, context, secrets);
      const inner: HandlerContext = hidden ? { ...restoring, emit: (event) => context.emit(redactDeep(event, redact)), dropEnv: isSecretEnvName, terminalRedactor: secrets } : restoring;
      try {
        if (!hidden) return await handler(args as never, inner);
        if (op === 'files.read') return await readRedacted(handler, args, inner, secrets);
        if (op === 'exec') return await execRedacted(handler, args, inner, context, secrets);
        if (op === 'runs.logs') return await outputRedacted(handler, args, inner, context, secrets);
        return redactDeep(await handler(args as never, inner), redact);
      } catch (error) {
        throw hidden ? redactError(error, redact) : error;
      } finally {
        if (CHANGES_FILES.has(op)) secrets.rootsChanged();
      }
    }) as Handler;
  }
  return layered;
}

/** A .env file the agent just wrote (or copied, moved) is redacted from the next request on, before the background walk finds it. */
function noteWrittenFile(handler: Handler, secrets: AgentSecrets): Handler {
  return (async (args: never, context: HandlerContext) => {
    const result = (await handler(args, context)) as { path?: unknown; dst?: unknown };
    for (const path of [result.path, result.dst]) if (typeof path === 'string') secrets.fileWritten(path);
    return result;
  }) as Handler;
}

/** Known tokens back into values: the exec command and env, the files.write upload (its announced size checked on the upload as sent). */
function restoreRequest(op: OpName, rawArgs: unknown, context: HandlerContext, secrets: AgentSecrets): { args: unknown; context: HandlerContext } {
  const restore = (text: string) => secrets.restore(text);
  if (op === 'exec') {
    const args = rawArgs as OpArgs<'exec'>;
    return {
      args: { ...args, command: restore(args.command), ...(args.env ? { env: Object.fromEntries(Object.entries(args.env).map(([name, value]) => [name, restore(value)])) } : {}) },
      context,
    };
  }
  if (op === 'runs.create') {
    const args = rawArgs as OpArgs<'runs.create'>;
    return {
      args: { ...args, command: args.command.map(restore), ...(args.env ? { env: Object.fromEntries(Object.entries(args.env).map(([name, value]) => [name, restore(value)])) } : {}) },
      context,
    };
  }
  if (op === 'terminal.write') {
    const args = rawArgs as OpArgs<'terminal.write'>;
    return { args: { ...args, data: restore(args.data) }, context };
  }
  if (op === 'files.write') {
    const { size, ...args } = rawArgs as OpArgs<'files.write'>;
    const sent = () => (size === undefined ? context.receiveChunks() : exactUpload(size, context.receiveChunks(), () => uploadTooLong(size), (received) => uploadTooShort(size, received)));
    return { args, context: { ...context, receiveChunks: () => restoreUpload(sent(), restore) } };
  }
  return { args: rawArgs, context };
}

function uploadTooLong(size: number): Error {
  return new OpenmatesError('usage', `The upload is longer than the ${size} bytes the request announced; nothing was written.`, 'Send exactly `size` bytes.');
}

function uploadTooShort(size: number, received: number): Error {
  return new OpenmatesError('usage', `The upload ended after ${received} of ${size} bytes; nothing was written.`, 'Send the whole file again.');
}

async function readRedacted(handler: Handler, args: unknown, context: HandlerContext, secrets: AgentSecrets): Promise<unknown> {
  const reading = new ReadRedaction(secrets, (bytes) => context.sendChunk(bytes));
  const result = (await handler(args as never, { ...context, sendChunk: (chunk) => reading.push(chunk) })) as { size: number };
  await reading.end();
  // The size the chunks carry: redacted text is not as long as the file.
  return redactDeep({ ...result, size: reading.sent }, (text) => secrets.redact(text));
}

/**
 * stdout and stderr events each through one stream redactor (a secret split across two events is
 * still caught), emitted already redacted: they must not pass the per-event redaction again.
 */
function outputStreams(secrets: AgentSecrets, context: HandlerContext, outer: HandlerContext) {
  const streams = {
    stdout: new CommandOutputRedaction(secrets, (text) => outer.emit({ stream: 'stdout', text })),
    stderr: new CommandOutputRedaction(secrets, (text) => outer.emit({ stream: 'stderr', text })),
  };
  const emit = (event: unknown) => {
    const output = event as { stream?: unknown; text?: unknown };
    if ((output.stream === 'stdout' || output.stream === 'stderr') && typeof output.text === 'string') streams[output.stream].push(output.text);
    else context.emit(event);
  };
  const end = () => {
    streams.stdout.end();
    streams.stderr.end();
  };
  return { streams, emit, end };
}

async function execRedacted(handler: Handler, args: unknown, context: HandlerContext, outer: HandlerContext, secrets: AgentSecrets): Promise<unknown> {
  const { streams, emit, end } = outputStreams(secrets, context, outer);
  let result: { stdout: string; stderr: string };
  try {
    result = (await handler(args as never, { ...context, emit })) as { stdout: string; stderr: string };
  } finally {
    end();
  }
  const shown = (name: 'stdout' | 'stderr') => (streams[name].binary || isBinaryText(result[name]) ? binaryNote(streams[name].bytes || Buffer.byteLength(result[name])) : result[name]);
  return redactDeep({ ...result, stdout: shown('stdout'), stderr: shown('stderr') }, (text) => secrets.redact(text));
}

/** A run's output events, redacted as streams; its result as any other. */
async function outputRedacted(handler: Handler, args: unknown, context: HandlerContext, outer: HandlerContext, secrets: AgentSecrets): Promise<unknown> {
  const { emit, end } = outputStreams(secrets, context, outer);
  try {
    return redactDeep(await handler(args as never, { ...context, emit }), (text) => secrets.redact(text));
  } finally {
    end();
  }
}
