import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvFile } from '../../src/core/install/env-file.js';
import { createTestStack, runCli, type TestStack } from './harness/index.js';
import { jsonLines } from './json-lines.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

// A stand-in install dir: the agent reads only its .env (and the stack copy's secret names), so no stack has to run.
const PASSWORD = '7c1e0b9a4f2d6e8b3a5c9d0e1f2a3b4c5d6e7f80';
const TOKEN = '<SECRET:install-env:DATABASE_PASSWORD:7c…80>';
const AGENT_SECRET = 'agent-process-secret-31415926';

describe('secrets never reach an operator device (real agent process)', () => {
  let agent: AgentProcess;
  let operator: string;
  let installDir: string;
  const remote = (link: string, args: string[], input?: string) => agent.cli(['remote', '--link-file', link, ...args], input === undefined ? {} : { input });

  beforeAll(async () => {
    installDir = join(process.env.TMPDIR ?? '/tmp', `omt-secrets-install-${process.pid}-${Date.now()}`);
    await mkdir(installDir, { recursive: true });
    await writeFile(join(installDir, '.env'), `OPENMATES_IMAGE_TAG=v1.0.0\nDATABASE_PASSWORD=${PASSWORD}\n`, { mode: 0o600 });
    agent = await startAgentProcess({ safetyMode: 'dev-server', args: ['--path', installDir], env: { E2E_SERVICE_TOKEN: AGENT_SECRET } });
    await writeFile(join(agent.root, 'database.yml'), `host: db\npassword: ${PASSWORD}\n`);
    operator = await agent.addDevice('assistant');
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    await rm(installDir, { recursive: true, force: true });
  });

  it('`cat` through exec and files cat of a file holding the database password show only the token', async () => {
    const catted = await remote(operator, ['exec', '--', 'cat database.yml']);
    expect(catted.exitCode, catted.stderr).toBe(0);
    expect(catted.stdout).toBe(`host: db\npassword: ${TOKEN}\n`);
    const read = await remote(operator, ['files', 'cat', 'database.yml']);
    expect(read.exitCode, read.stderr).toBe(0);
    expect(read.stdout).toBe(`host: db\npassword: ${TOKEN}\n`);
  });

  it('the password base64-encoded in command output is caught, and --json output carries no raw value', async () => {
    const encoded = await remote(operator, ['exec', '--json', '--', 'base64 -w0 database.yml; echo; printf %s "$(cat database.yml)" | base64']);
    expect(encoded.exitCode, encoded.stderr).toBe(0);
    const plainBase64 = Buffer.from(PASSWORD).toString('base64');
    expect(encoded.stdout).toContain('<SECRET:install-env:DATABASE_PASSWORD:');
    expect(encoded.stdout).not.toContain(plainBase64.slice(4, 30));
    expect(encoded.stdout).not.toContain(PASSWORD);
    expect(jsonLines(encoded.stdout).length).toBeGreaterThan(0);
  });

  it('writing the token into a new file puts the real password on disk; a token in a command gets the real value', async () => {
    const put = await remote(operator, ['files', 'put', 'copy.env.txt'], `DATABASE_PASSWORD=${TOKEN}\n`);
    expect(put.exitCode, put.stderr).toBe(0);
    expect(await readFile(join(agent.root, 'copy.env.txt'), 'utf8')).toBe(`DATABASE_PASSWORD=${PASSWORD}\n`);
    const ran = await remote(operator, ['exec', '--', `printf '%s' '${TOKEN}' > from-command.txt; printf '%s' '${TOKEN}' | wc -c`]);
    expect(ran.exitCode, ran.stderr).toBe(0);
    expect(await readFile(join(agent.root, 'from-command.txt'), 'utf8')).toBe(PASSWORD);
    expect(ran.stdout.trim()).toBe(String(PASSWORD.length));
  });

  it('a password across the 64 KiB chunk boundary of a read, in a file name, and binary command output', async () => {
    const filler = 'y'.repeat(64 * 1024 - 7);
    await writeFile(join(agent.root, 'big.txt'), `${filler}${PASSWORD}\n`);
    const big = await remote(operator, ['files', 'cat', 'big.txt']);
    expect(big.exitCode, big.stderr).toBe(0);
    expect(big.stdout).toBe(`${filler}${TOKEN}\n`);

    await writeFile(join(agent.root, `dump-${PASSWORD}.sql`), 'data\n');
    const listed = await remote(operator, ['files', 'ls', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`dump-${TOKEN}.sql`);
    expect(listed.stdout).not.toContain(PASSWORD);

    const binary = await remote(operator, ['exec', '--', `printf '\\000\\377${PASSWORD}'; head -c 3000 /dev/urandom`]);
    expect(binary.stdout).toMatch(/^<binary output: \d+ bytes, not shown>\n$/);
  });

  it("the operator's commands run without the agent's secret environment variables", async () => {
    const env = await remote(operator, ['exec', '--', 'echo "[$E2E_SERVICE_TOKEN]"']);
    expect(env.stdout).toBe('[]\n');
  });

  it('an approver added with --raw-secrets sees the raw value, a plain approver and the operator do not; --raw-secrets is refused for an operator', async () => {
    const refused = await agent.cli(['remote-access', 'devices', 'add', 'bot', '--raw-secrets']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('--raw-secrets is for approver devices only');

    const added = await agent.cli(['remote-access', 'devices', 'add', 'owner', '--role', 'approver', '--raw-secrets', '--json']);
    expect(added.exitCode, added.stderr).toBe(0);
    const rawLink = join(agent.home, 'owner.link');
    await writeFile(rawLink, (JSON.parse(added.stdout) as { link: string }).link, { mode: 0o600 });
    const plain = await agent.cli(['remote-access', 'devices', 'add', 'phone', '--role', 'approver', '--json']);
    const plainLink = join(agent.home, 'phone.link');
    await writeFile(plainLink, (JSON.parse(plain.stdout) as { link: string }).link, { mode: 0o600 });

    expect((await remote(rawLink, ['files', 'cat', 'database.yml'])).stdout).toBe(`host: db\npassword: ${PASSWORD}\n`);
    expect((await remote(rawLink, ['exec', '--', 'echo "[$E2E_SERVICE_TOKEN]"'])).stdout).toBe(`[${AGENT_SECRET}]\n`);
    expect((await remote(plainLink, ['files', 'cat', 'database.yml'])).stdout).toBe(`host: db\npassword: ${TOKEN}\n`);
    expect((await remote(operator, ['files', 'cat', 'database.yml'])).stdout).toBe(`host: db\npassword: ${TOKEN}\n`);

    const devices = await agent.cli(['remote-access', 'devices']);
    expect(devices.stdout).toMatch(/owner\s+approver \(raw secrets\)/);
    expect(devices.stdout).not.toMatch(/phone\s+approver \(raw secrets\)/);
  });

  it('the audit log carries no raw value, even of the raw approver that sent one', async () => {
    const rawLink = join(agent.home, 'owner.link');
    const sent = await remote(rawLink, ['exec', '--', `echo ${PASSWORD} > /dev/null`]);
    expect(sent.exitCode, sent.stderr).toBe(0);
    const audit = await agent.cli(['remote-access', 'audit', '--json']);
    expect(audit.exitCode, audit.stderr).toBe(0);
    expect(audit.stdout).toContain(TOKEN);
    const file = await readFile(join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl'), 'utf8');
    expect(file).toContain('"op":"exec"');
    for (const text of [audit.stdout, file, agent.stderr()]) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(AGENT_SECRET);
    }
  });
});

describe("the test stack's real install: its generated database password never reaches an operator", () => {
  let stack: TestStack;
  let agent: AgentProcess | undefined;

  beforeAll(async () => {
    stack = await createTestStack({ name: 'secrets' });
    const installed = await runCli(['server', 'install', '--yes', '--stack', stack.stackFile, '--path', stack.installDir]);
    expect(installed.exitCode, installed.stderr).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await agent?.stop();
    await stack?.cleanup();
  });

  it('`cat` of the install .env shows tokens only (the invite code the stack declares too); the token written into a new file is the real password', async () => {
    const env = EnvFile.parse(await readFile(join(stack.installDir, '.env'), 'utf8'));
    const password = env.get('DATABASE_PASSWORD')!;
    const invite = env.get('SELF_HOST_FIRST_INVITE_CODE')!;
    expect(password.length).toBeGreaterThanOrEqual(16);
    agent = await startAgentProcess({ safetyMode: 'dev-server', args: ['--path', stack.installDir] });
    const link = await agent.addDevice('assistant');
    const remote = (args: string[], input?: string) => agent!.cli(['remote', '--link-file', link, ...args], input === undefined ? {} : { input });

    const catted = await remote(['exec', '--', `cat ${join(stack.installDir, '.env')}`]);
    expect(catted.exitCode, catted.stderr).toBe(0);
    expect(catted.stdout).not.toContain(password);
    expect(catted.stdout).not.toContain(invite);
    const token = /DATABASE_PASSWORD=(<SECRET:install-env:DATABASE_PASSWORD:[^>]+>)/.exec(catted.stdout)?.[1];
    expect(token, catted.stdout).toBe(`<SECRET:install-env:DATABASE_PASSWORD:${password.slice(0, 2)}…${password.slice(-2)}>`);
    expect(catted.stdout).toContain('SELF_HOST_FIRST_INVITE_CODE=<SECRET:install-env:SELF_HOST_FIRST_INVITE_CODE:');

    const put = await remote(['files', 'put', 'db.conf'], `password=${token}\n`);
    expect(put.exitCode, put.stderr).toBe(0);
    expect(await readFile(join(agent.root, 'db.conf'), 'utf8')).toBe(`password=${password}\n`);
    const audit = await readFile(join(agent.home, 'state', 'openmates', 'remote', 'audit.jsonl'), 'utf8');
    expect(audit).not.toContain(password);
  });
});
