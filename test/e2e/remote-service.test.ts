import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, runCli } from './harness/index.js';
import { finalObject } from './json-lines.js';

const UNIT = 'openmates-remote-access.service';

describe('remote-access install-service / uninstall-service in an isolated home', () => {
  let home: string;
  let env: Record<string, string>;
  let units: string;
  const cli = (args: string[]) => runCli(args, { env, cwd: join(home, 'shared'), timeoutMs: 60_000 });

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'omt-service-'));
    await mkdir(join(home, 'shared'), { recursive: true });
    env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') };
    // These tests may run as root: --unit-dir keeps them out of /etc/systemd/system, and systemctl is then never run.
    units = join(home, 'units');
  });
  afterAll(async () => rm(home, { recursive: true, force: true }));

  it('refuses while safety mode is unanswered (exit 9), writing nothing', async () => {
    const refused = await cli(['remote-access', 'install-service', '--unit-dir', units]);
    expect(refused.exitCode, refused.stderr).toBe(9);
    expect(refused.stderr).toContain('a service has no terminal to ask');
    expect(refused.stderr).toContain('openmates config set safety-mode on');
    expect(existsSync(join(units, UNIT))).toBe(false);
  });

  it('writes the unit (absolute node and CLI, the flags, the state dirs, restart on failure, network-online), then removes it', async () => {
    expect((await cli(['config', 'set', 'safety-mode', 'on'])).exitCode).toBe(0);
    const added = await cli(['remote-access', 'devices', 'add', 'phone', '--role', 'approver', '--json']);
    const link = (JSON.parse(added.stdout) as { link: string }).link;
    const installed = await cli(['remote-access', 'install-service', '--unit-dir', units, '--root', 'docs', '--name', 'my box', '--relay', 'https://relay.example/', '--json']);
    expect(installed.exitCode, installed.stderr).toBe(0);
    expect(finalObject(installed.stdout)).toMatchObject({ unitPath: join(units, UNIT), replaced: false, enableCommands: [] });
    const text = await readFile(join(units, UNIT), 'utf8');
    const lines = text.split('\n');
    expect(lines).toContain(`ExecStart=${process.execPath} ${realpathSync(CLI_BIN)} remote-access start --root ${join(home, 'shared', 'docs')} --name "my box" --relay https://relay.example/`);
    expect(lines).toContain(`WorkingDirectory=${join(home, 'shared', 'docs')}`);
    expect(lines).toContain(`Environment=XDG_CONFIG_HOME=${join(home, 'config')}`);
    expect(lines).toContain(`Environment=XDG_STATE_HOME=${join(home, 'state')}`);
    for (const line of ['Restart=on-failure', 'After=network-online.target', 'Wants=network-online.target']) expect(lines).toContain(line);
    expect(text).not.toContain(new URL(link).hash.slice(1));
    // systemd-analyze comes with Debian's systemd package, which scripts/test-env/ensure-tools.sh installs.
    const verified = await promisify(execFile)('systemd-analyze', ['verify', join(units, UNIT)]).catch((error: { stderr: string }) => ({ stdout: '', stderr: `failed: ${error.stderr}` }));
    expect(`${verified.stdout}${verified.stderr}`).not.toMatch(new RegExp(`${UNIT}:\\d+:|failed:`));

    const human = await cli(['remote-access', 'install-service', '--unit-dir', units]);
    expect(human.stdout).toContain(`Replaced the ${process.getuid?.() === 0 ? 'system' : 'user'} unit ${join(units, UNIT)}`);
    expect(human.stdout).toContain('outside systemd\'s folder');

    const removed = await cli(['remote-access', 'uninstall-service', '--unit-dir', units]);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain(`Removed ${join(units, UNIT)}`);
    expect(removed.stdout).toContain('disable --now openmates-remote-access.service');
    expect(existsSync(join(units, UNIT))).toBe(false);
    const again = await cli(['remote-access', 'uninstall-service', '--unit-dir', units]);
    expect(again).toMatchObject({ exitCode: 0 });
    expect(again.stdout).toContain('No unit to remove');
  });
});
