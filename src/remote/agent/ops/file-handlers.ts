import { OpenmatesError } from '../../../core/errors.js';
import type { FileOps } from '../../../core/files/index.js';
import type { OpArgs } from '../../protocol/ops.js';
import type { HandlerContext } from './handler-types.js';

/** The device a change is recorded for in the undo journal. */
const actorOf = (context: HandlerContext) => ({ id: context.device.id, name: context.device.name });

/** files.*: the core's file operations; content travels as chunks under the credit window. */
export function fileHandlers(files: FileOps) {
  return {
    'files.list': (args: OpArgs<'files.list'>) => files.list(args.path, { offset: args.offset, limit: args.limit }),
    'files.stat': (args: OpArgs<'files.stat'>) => files.stat(args.path),
    async 'files.read'(args: OpArgs<'files.read'>, context: HandlerContext) {
      const { chunks, ...info } = await files.read(args.path, { maxBytes: args.maxBytes, signal: context.signal });
      for await (const chunk of chunks) await context.sendChunk(chunk);
      return info;
    },
    async 'files.write'(args: OpArgs<'files.write'>, context: HandlerContext) {
      const result = await files.write(args.path, args.size === undefined ? context.receiveChunks() : exactly(args.size, context.receiveChunks()), { expectedVersion: args.expectedVersion, signal: context.signal, actor: actorOf(context) });
      return result;
    },
    'files.mkdir': (args: OpArgs<'files.mkdir'>, context: HandlerContext) => files.mkdir(args.path, { parents: args.parents, actor: actorOf(context) }),
    'files.copy': (args: OpArgs<'files.copy'>, context: HandlerContext) => files.copy(args.src, args.dst, { overwrite: args.overwrite, actor: actorOf(context) }),
    'files.move': (args: OpArgs<'files.move'>, context: HandlerContext) => files.move(args.src, args.dst, { overwrite: args.overwrite, actor: actorOf(context) }),
    'files.remove': (args: OpArgs<'files.remove'>, context: HandlerContext) => files.remove(args.path, { recursive: args.recursive, actor: actorOf(context) }),
    'files.search': (args: OpArgs<'files.search'>, context: HandlerContext) => files.search(args.text, { in: args.in, limit: args.limit, signal: context.signal }),
  };
}

/** The upload, checked against the size the request announced: a short or long upload never becomes the file. */
async function* exactly(size: number, chunks: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let received = 0;
  for await (const chunk of chunks) {
    received += chunk.byteLength;
    if (received > size) throw new OpenmatesError('usage', `The upload is longer than the ${size} bytes the request announced; nothing was written.`, 'Send exactly `size` bytes.');
    yield chunk;
  }
  if (received !== size) throw new OpenmatesError('usage', `The upload ended after ${received} of ${size} bytes; nothing was written.`, 'Send the whole file again.');
}
