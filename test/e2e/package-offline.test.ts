import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HERMETIC_UPDATE_CHECK, REPO_ROOT, isolatedHome, startTmux, testEnv } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';

/**
 * The published package as a user installs it: `npm pack`, then `npm install -g` from the tarball
 * with --offline and an empty cache into an empty prefix, so nothing can be fetched. Everything
 * the CLI and the SDK use is bundled; the only dependency is the optional PTY add-on.
 */
describe('the npm package needs nothing at run time', () => {
  let work: string;
  let prefix: string;
  let tarball: string;
  const bin = () => join(prefix, 'bin', 'openmates');
  const env = () => ({ ...process.env, DOCKER_HOST: testEnv().dockerHost, NO_COLOR: '1', ...isolatedHome(), ...HERMETIC_UPDATE_CHECK });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'omt-package-'));
    prefix = join(work, 'prefix');
    await mkdir(prefix);
    const packed = await execa('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO_ROOT });
    tarball = join(work, (JSON.parse(packed.stdout) as [{ filename: string }])[0].filename);
    const installed = await execa('npm', ['install', '-g', tarball, '--offline', '--prefix', prefix, '--cache', join(work, 'empty-cache'), '--no-audit', '--no-fund'], { cwd: work, reject: false });
    expect(installed.exitCode, installed.stderr).toBe(0);
  }, 180_000);

  it('has no dependencies but the optional PTY add-on', async () => {
    const manifest = JSON.parse(await readFile(join(prefix, 'lib', 'node_modules', 'openmates-server-cli', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(Object.keys((manifest.optionalDependencies ?? {}) as object)).toEqual(['@lydell/node-pty']);
  });

  it('--help, server status and the full-screen app work', async () => {
    const help = await execa(bin(), ['--help'], { env: env(), reject: false });
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('openmates run');
    const status = await execa(bin(), ['server', 'status', '--json', '--path', join(work, 'nothing-here')], { env: env(), reject: false });
    expect(status.exitCode, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'result', installed: false });
    const home = isolatedHome();
    const settings = join(home.XDG_CONFIG_HOME!, 'openmates');
    await mkdir(settings, { recursive: true });
    await writeFile(join(settings, 'config.json'), JSON.stringify({ safetyMode: false }));
    const app = await startTmux([bin(), '--path', join(work, 'nothing-here')], { env: { DOCKER_HOST: testEnv().dockerHost, ...home, ...HERMETIC_UPDATE_CHECK } });
    try {
      await app.waitForText('Not installed', 30_000);
      await app.sendKeys('q');
      expect(await app.waitForExit(10_000)).toBe(0);
    } finally {
      await app.kill();
    }
  });

  describe('the SDK from the installed package', () => {
    let agent: AgentProcess;
    beforeAll(async () => {
      agent = await startAgentProcess({ safetyMode: 'off' });
    }, 120_000);
    afterAll(async () => {
      await agent?.stop();
    });

    it('imports through the package exports and connects to an agent (its WebSocket bundled in, for Node 20)', async () => {
      const project = join(work, 'consumer');
      await mkdir(join(project, 'node_modules'), { recursive: true });
      await symlink(join(prefix, 'lib', 'node_modules', 'openmates-server-cli'), join(project, 'node_modules', 'openmates-server-cli'), 'dir');
      await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
      await writeFile(join(project, 'use.mjs'), "import { connect } from 'openmates-server-cli/remote';\nconst server = await connect(process.env.OPENMATES_REMOTE_LINK);\nconsole.log(JSON.stringify(await server.info()));\nserver.close();\n");
      const run = await execa(process.execPath, ['use.mjs'], { cwd: project, env: { OPENMATES_REMOTE_LINK: await readFile(await agent.addDevice('script'), 'utf8') }, reject: false, timeout: 30_000 });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({ safetyMode: false });
    });
  });
});
