import type { CliContext } from '../context.js';
import { writeJsonLine } from '../render/json-lines.js';
import { listingText, statText } from '../remote/remote-text.js';
import { withRemoteServer } from '../remote/with-server.js';
import type { RemoteFilesOptions } from './remote-files.command.js';

/** `openmates remote files ...`: one SDK call each; content streams both ways. */
export async function remoteFilesCommand(options: RemoteFilesOptions, context: CliContext): Promise<number> {
  const [first = '.', second = ''] = options.words;
  const signal = context.signal;
  const print = (result: object, human: string) => (options.json ? writeJsonLine(context.stdout, { type: 'result', ...result }) : context.stdout.write(human));
  await withRemoteServer(options, context, async (server) => {
    switch (options.action) {
      case 'ls': {
        const listing = await server.files.list(first, { signal });
        return print(listing, listingText(listing.entries, listing.total));
      }
      case 'stat': {
        const info = await server.files.stat(first, { signal });
        return print(info, statText(info));
      }
      case 'cat': {
        const stream = server.files.readStream(first, { signal });
        if (options.json) {
          const parts: Uint8Array[] = [];
          for await (const chunk of stream) parts.push(chunk);
          return print({ ...(await stream.result), contentBase64: Buffer.concat(parts).toString('base64') }, '');
        }
        for await (const chunk of stream) {
          if (!context.stdout.write(chunk)) await new Promise((resolve) => context.stdout.once('drain', resolve));
        }
        await stream.result;
        return;
      }
      case 'put': {
        const result = await server.files.write(first, process.stdin as AsyncIterable<Uint8Array>, { signal });
        return print(result, `Wrote ${result.bytes} bytes to ${result.path} (version ${result.version}).\n`);
      }
      case 'mkdir': {
        const result = await server.files.mkdir(first, { signal });
        return print(result, `Made ${result.path}.\n`);
      }
      case 'cp': {
        const result = await server.files.copy(first, second, { signal });
        return print(result, `Copied ${result.src} to ${result.dst}.\n`);
      }
      case 'mv': {
        const result = await server.files.move(first, second, { signal });
        return print(result, `Moved ${result.src} to ${result.dst}.\n`);
      }
      case 'rm': {
        const result = await server.files.remove(first, { signal, recursive: options.recursive });
        return print(result, `Deleted ${result.path} (${result.files} file${result.files === 1 ? '' : 's'}, ${result.bytes} bytes).\n`);
      }
      case 'search': {
        const result = await server.files.search(first, { signal, ...(options.in !== undefined ? { in: options.in } : {}) });
        const lines = result.matches.map((match) => (match.kind === 'name' ? match.path : `${match.path}:${match.line}: ${match.text}`));
        return print(result, `${lines.join('\n')}${lines.length ? '\n' : ''}${result.truncated ? '… (more matches; narrow it with --in)\n' : ''}`);
      }
    }
  });
  return 0;
}
