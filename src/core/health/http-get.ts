import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

const MAX_REDIRECTS = 5;
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * A GET over node:http(s), redirects followed, the body as text (at most 1 MiB). Health checks use
 * this instead of fetch: fetch loads undici and its WebAssembly parser, which costs a read-only
 * command like `status` more than the request itself.
 */
export async function httpGet(url: string, signal: AbortSignal, redirects = 0): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : undefined;
  if (!request) throw new Error(`unsupported protocol ${target.protocol}`);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(target, { method: 'GET', signal, headers: { accept: '*/*' } }, resolve);
    req.on('error', reject);
    req.end();
  });
  const location = response.headers.location;
  if (response.statusCode && response.statusCode >= 300 && response.statusCode < 400 && location && redirects < MAX_REDIRECTS) {
    response.resume();
    return httpGet(new URL(location, target).toString(), signal, redirects + 1);
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    bytes += chunk.byteLength;
    if (bytes > MAX_BODY_BYTES) break;
    chunks.push(chunk);
  }
  return { status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
}
