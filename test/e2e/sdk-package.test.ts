import { execa } from 'execa';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLink } from '../../src/remote/link.js';
import { serveRpc } from '../../src/remote/rpc/serve.js';
import { startTestAgent, type TestAgent } from '../unit/remote/test-agent.js';

/**
 * The package export `openmates-server-cli/remote` as another project uses it: the built
 * dist/remote.js and its .d.ts, resolved through package.json "exports" from a temp project.
 */
const repo = resolve(import.meta.dirname, '../..');
let project: string;
let agent: TestAgent;
let link: string;

beforeAll(async () => {
  agent = await startTestAgent({
    onSession: (session) =>
      serveRpc(session, {
        'files.stat': async ({ path }) => ({ path, name: 'a.txt', type: 'file', size: 5, mode: 0o644, mtimeMs: 1, version: 'v5' }),
        exec: async ({ command }, context) => {
          context.emit({ stream: 'stdout', text: `ran ${command}\n` });
          return { exitCode: 0, timedOut: false, durationMs: 1, stdout: `ran ${command}\n`, stderr: '', truncated: { stdout: false, stderr: false }, risk: { risk: 'read', reasons: [], category: 'inspect' }, analysis: { lines: 1, looksLike: 'text' }, cwd: '/' };
        },
      }),
  });
  const device = await agent.addDevice('script');
  link = formatLink({ url: agent.url.replace('ws:', 'http:'), agentId: agent.agentId, deviceId: device.id, deviceSeed: device.seed });
  project = await mkdtemp(join(tmpdir(), 'openmates-sdk-consumer-'));
  await mkdir(join(project, 'node_modules'));
  await symlink(repo, join(project, 'node_modules', 'openmates-server-cli'), 'dir');
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
});

afterAll(async () => {
  await agent?.close();
  if (project) await rm(project, { recursive: true, force: true });
});

describe('the package export openmates-server-cli/remote', () => {
  it('imports from another project and talks to an agent (the link from the environment, never argv)', async () => {
    await writeFile(
      join(project, 'use.mjs'),
      `import { connect, RemoteError } from 'openmates-server-cli/remote';
const server = await connect(process.env.OPENMATES_REMOTE_LINK);
const info = await server.files.stat('/srv/a.txt');
const run = server.exec('uptime');
const output = [];
for await (const event of run) output.push(event.text);
const result = await run.result;
const refused = await connect(process.env.OPENMATES_REMOTE_LINK.replace(/k=[^&]+/, 'k=' + 'A'.repeat(43))).catch((error) => error);
server.close();
console.log(JSON.stringify({ version: info.version, output, exitCode: result.exitCode, refused: refused instanceof RemoteError && refused.code }));
`,
    );
    const run = await execa('node', ['use.mjs'], { cwd: project, env: { OPENMATES_REMOTE_LINK: link }, reject: false, timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ version: 'v5', output: ['ran uptime\n'], exitCode: 0, refused: 'device-refused' });
  });

  it('ships types a TypeScript project can check against', async () => {
    await writeFile(
      join(project, 'check.ts'),
      `import { connect, RemoteError, type ErrorKind, type RemoteServer, type ExecResult } from 'openmates-server-cli/remote';
export async function exitKind(link: string): Promise<ErrorKind | number | null> {
  try {
    const server: RemoteServer = await connect(link, { withHost: true });
    const result: ExecResult = await server.exec('true', { timeoutSeconds: 5 }).result;
    return result.exitCode;
  } catch (error) {
    return error instanceof RemoteError ? error.code : null;
  }
}
// @ts-expect-error files.read takes a path string
void ((server: RemoteServer) => server.files.read(42));
`,
    );
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2023', 'DOM'], noEmit: true, skipLibCheck: true, types: [] }, files: ['check.ts'] }));
    const tsc = await execa('node', [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, reject: false, timeout: 120_000 });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.exitCode).toBe(0);
  });
});
