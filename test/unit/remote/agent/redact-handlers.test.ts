import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSecretRedactor } from '../../../../src/core/secrets/index.js';
import { createAgentServices } from '../../../../src/remote/agent/create-services.js';
import { agentHandlers } from '../../../../src/remote/agent/handlers.js';
import type { Handler, HandlerContext } from '../../../../src/remote/agent/ops/handler-types.js';
import { redactHandlers } from '../../../../src/remote/agent/redact-handlers.js';
import type { OpName } from '../../../../src/remote/protocol/ops.js';

const PASSWORD = 'db-pass-9f8e7d6c5b4a3210';
const TOKEN = '<SECRET:install-env:DATABASE_PASSWORD:db…10>';
const ENV_SECRET = 'agent-env-secret-value-42';

let root: string;
let handlers: Record<OpName, Handler>;

beforeAll(async () => {
  const home = await mkdtemp(join(tmpdir(), 'omt-redact-'));
  root = join(home, 'root');
  const installDir = join(home, 'install');
  await mkdir(root, { recursive: true });
  await mkdir(installDir, { recursive: true });
  await writeFile(join(installDir, '.env'), `DATABASE_PASSWORD=${PASSWORD}\nSTACK_ID=omt-1\n`);
  process.env.REDACT_UNIT_TOKEN = ENV_SECRET;
  const services = createAgentServices({ roots: [root], fullAccess: false, installDir, stateDir: join(home, 'state'), connect: () => Promise.reject(new Error('no engine in unit tests')) });
  // server.logs against a stand-in for the stack's operations: one log line holding the password.
  services.operations = async () =>
    ({
      logs: async (_options: unknown, sinks: { started: (info: unknown) => void; entries: (batch: unknown[]) => void }) => {
        sinks.started({ services: ['api'] });
        sinks.entries([{ service: 'api', stream: 'stdout', text: `connecting with password ${PASSWORD}` }]);
        return { lines: 1 };
      },
    }) as never;
  services.secrets = createSecretRedactor({ installDir, roots: [root], env: process.env, sessionFile: join(home, 'none.json') });
  handlers = redactHandlers(agentHandlers(services), services.secrets) as typeof handlers;
});
afterAll(() => {
  delete process.env.REDACT_UNIT_TOKEN;
});

interface Call {
  result: unknown;
  events: unknown[];
  bytes: Buffer;
}

async function call(op: OpName, args: unknown, options: { role?: 'operator' | 'approver'; rawSecrets?: boolean; upload?: Uint8Array[] } = {}): Promise<Call> {
  const events: unknown[] = [];
  const chunks: Uint8Array[] = [];
  const context: HandlerContext = {
    device: { id: 'd1', name: 'test', role: options.role ?? 'operator', ...(options.rawSecrets ? { rawSecrets: true } : {}) },
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
    sendChunk: async (bytes) => void chunks.push(Buffer.from(bytes)),
    async *receiveChunks() {
      for (const chunk of options.upload ?? []) yield chunk;
    },
  };
  const result = await handlers[op](args as never, context);
  return { result, events, bytes: Buffer.concat(chunks) };
}

const output = (events: unknown[], stream = 'stdout') => events.filter((event) => (event as { stream?: string }).stream === stream).map((event) => (event as { text: string }).text).join('');

describe('the redaction layer for operator devices', () => {
  it('files.read of a text file holding the password sends only the token, also when it crosses a 64 KiB chunk', async () => {
    const filler = 'x'.repeat(64 * 1024 - 10);
    await writeFile(join(root, 'config.yml'), `${filler}password: ${PASSWORD}\nend\n`);
    const { result, bytes } = await call('files.read', { path: 'config.yml' });
    expect(bytes.toString()).toBe(`${filler}password: ${TOKEN}\nend\n`);
    expect((result as { size: number }).size).toBe(bytes.length);
  });

  it('files.read of a binary file sends its bytes as they are (a download, not text)', async () => {
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from(PASSWORD)]);
    await writeFile(join(root, 'blob.bin'), binary);
    const { bytes } = await call('files.read', { path: 'blob.bin' });
    expect(bytes.equals(binary)).toBe(true);
  });

  it('a secret in a file name is redacted in a listing and in search hits, paths and lines', async () => {
    await mkdir(join(root, 'names'), { recursive: true });
    await writeFile(join(root, 'names', `backup-${PASSWORD}.txt`), `the line with ${PASSWORD} in it\n`);
    const listed = JSON.stringify((await call('files.list', { path: 'names' })).result);
    expect(listed).not.toContain(PASSWORD);
    expect(listed).toContain(`backup-${TOKEN}.txt`);
    const found = JSON.stringify((await call('files.search', { text: 'line with', in: 'names' })).result);
    expect(found).not.toContain(PASSWORD);
    expect(found).toContain(TOKEN);
  });

  it('exec output (events and result) shows tokens, base64 of the password too; the command runs without secret env vars', async () => {
    const { result, events } = await call('exec', { command: `printf '%s\\n' "${PASSWORD}"; printf '%s' "${PASSWORD}" | base64; echo "env=[$REDACT_UNIT_TOKEN]"` });
    const streamed = output(events);
    const stdout = (result as { stdout: string }).stdout;
    for (const text of [streamed, stdout]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(0, 24));
      expect(text).toContain(`${TOKEN}\n`);
      expect(text).toContain('<SECRET:install-env:DATABASE_PASSWORD:');
      expect(text).toContain('env=[]');
    }
  });

  it('binary command output is replaced by a note, in events and in the result', async () => {
    const { result, events } = await call('exec', { command: `printf 'head\\000\\377\\376 ${PASSWORD}'` });
    expect(output(events)).toMatch(/^<binary output: \d+ bytes, not shown>\n$/);
    expect((result as { stdout: string }).stdout).toMatch(/^<binary output: \d+ bytes, not shown>$/);
  });

  it('tokens in an exec command and env are restored just before it runs', async () => {
    const marker = join(root, 'exec-restored.txt');
    await call('exec', { command: `printf '%s|%s' '${TOKEN}' "$FROM_ENV" > ${marker}`, env: { FROM_ENV: `x${TOKEN}y` } });
    expect(await readFile(marker, 'utf8')).toBe(`${PASSWORD}|x${PASSWORD}y`);
  });

  it('a token in an upload is restored on disk, also when split across chunks; the announced size is of the upload as sent; unknown tokens stay', async () => {
    const text = `password: ${TOKEN}\nother: <SECRET:install-env:NOPE:ab…cd>\n`;
    const bytes = Buffer.from(text);
    for (const cut of [0, 12, 14, 20, bytes.length - 3]) {
      const upload = [bytes.subarray(0, cut), bytes.subarray(cut)];
      const { result } = await call('files.write', { path: `written-${cut}.yml`, size: bytes.length }, { upload });
      expect(await readFile(join(root, `written-${cut}.yml`), 'utf8'), `cut ${cut}`).toBe(`password: ${PASSWORD}\nother: <SECRET:install-env:NOPE:ab…cd>\n`);
      expect(JSON.stringify(result)).not.toContain(PASSWORD);
    }
    await expect(call('files.write', { path: 'short.yml', size: bytes.length + 1 }, { upload: [bytes] })).rejects.toThrow(/ended after/);
  });

  it('server.logs events are redacted', async () => {
    const { events } = await call('server.logs', { tail: 1 });
    expect(JSON.stringify(events)).toContain(`connecting with password ${TOKEN}`);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('a .env file written through the agent is redacted in the very next request', async () => {
    const value = 'fresh-env-value-0123456789';
    const upload = [Buffer.from(`FRESH_VALUE=${value}\n`)];
    await mkdir(join(root, 'app'), { recursive: true });
    await call('files.write', { path: 'app/.env' }, { upload });
    const { result } = await call('exec', { command: 'grep -h FRESH app/.env' });
    expect((result as { stdout: string }).stdout).toBe('FRESH_VALUE=<SECRET:root-env:FRESH_VALUE:fr…89>\n');
  });

  it('error messages are redacted', async () => {
    await expect(call('files.read', { path: `missing-${PASSWORD}.txt` })).rejects.toThrow(TOKEN);
    await expect(call('files.read', { path: `missing-${PASSWORD}.txt` })).rejects.not.toThrow(PASSWORD);
  });
});

describe('approver devices', () => {
  it('see tokens unless added with --raw-secrets; a raw approver sees values and its commands keep the environment', async () => {
    await writeFile(join(root, 'plain.txt'), `pw=${PASSWORD}\n`);
    expect((await call('files.read', { path: 'plain.txt' }, { role: 'approver' })).bytes.toString()).toBe(`pw=${TOKEN}\n`);
    expect((await call('files.read', { path: 'plain.txt' }, { role: 'approver', rawSecrets: true })).bytes.toString()).toBe(`pw=${PASSWORD}\n`);
    const raw = await call('exec', { command: 'echo "[$REDACT_UNIT_TOKEN]"' }, { role: 'approver', rawSecrets: true });
    expect((raw.result as { stdout: string }).stdout).toBe(`[${ENV_SECRET}]\n`);
    // rawSecrets on an operator record does not count.
    expect((await call('files.read', { path: 'plain.txt' }, { role: 'operator', rawSecrets: true })).bytes.toString()).toBe(`pw=${TOKEN}\n`);
  });
});
