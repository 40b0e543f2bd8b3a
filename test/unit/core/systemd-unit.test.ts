import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installAgentService, servicePlacement, uninstallAgentService, type Systemctl } from '../../../src/core/service/agent-service.js';
import { AGENT_UNIT_NAME, agentUnitText, quoteArgument } from '../../../src/core/service/systemd-unit.js';

const unit = {
  node: '/usr/bin/node',
  cli: '/opt/openmates/bin/openmates.js',
  roots: ['/srv/shared', '/home/ana/my notes'],
  fullAccess: false,
  name: 'build box',
  relay: 'https://relay.example/',
  workingDirectory: '/srv/shared',
  environment: { XDG_STATE_HOME: '/home/ana/.state' },
};

describe('the agent\'s systemd unit', () => {
  it('is exactly this text for a user unit: network-online, restart on failure, absolute node and CLI, the flags, no secret', () => {
    expect(agentUnitText({ ...unit, kind: 'user' })).toBe(
      [
        '[Unit]',
        'Description=OpenMates remote access agent (openmates remote-access start)',
        'Wants=network-online.target',
        'After=network-online.target',
        '',
        '[Service]',
        'Type=simple',
        'ExecStart=/usr/bin/node /opt/openmates/bin/openmates.js remote-access start --root /srv/shared --root "/home/ana/my notes" --name "build box" --relay https://relay.example/',
        'WorkingDirectory=/srv/shared',
        'Environment=XDG_STATE_HOME=/home/ana/.state',
        'Restart=on-failure',
        'RestartSec=5',
        'SuccessExitStatus=130',
        '',
        '[Install]',
        'WantedBy=default.target',
        '',
      ].join('\n'),
    );
  });

  it('a system unit is wanted by multi-user.target; --full-access replaces the roots', () => {
    const text = agentUnitText({ ...unit, kind: 'system', fullAccess: true, roots: ['/'], workingDirectory: '/' });
    expect(text).toContain('ExecStart=/usr/bin/node /opt/openmates/bin/openmates.js remote-access start --full-access --name "build box"');
    expect(text).not.toContain('--root');
    expect(text).toContain('WantedBy=multi-user.target');
  });

  it('quotes words for systemd: specifiers and variables doubled, spaces and quotes escaped', () => {
    expect(quoteArgument('/plain/path')).toBe('/plain/path');
    expect(quoteArgument('100%')).toBe('100%%');
    expect(quoteArgument('$HOME')).toBe('$$HOME');
    expect(quoteArgument('a "b" c')).toBe('"a \\"b\\" c"');
    expect(quoteArgument('back\\slash')).toBe('"back\\\\slash"');
    expect(quoteArgument(';')).toBe('";"');
    expect(quoteArgument('')).toBe('""');
  });

  // systemd-analyze comes with Debian's systemd package, which scripts/test-env/ensure-tools.sh installs.
  it('passes systemd-analyze verify', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'unit-'));
    try {
      const file = join(dir, AGENT_UNIT_NAME);
      await writeFile(file, agentUnitText({ ...unit, kind: 'system', node: process.execPath, cli: process.execPath, workingDirectory: dir }));
      const { stdout, stderr } = await promisify(execFile)('systemd-analyze', ['verify', file]).catch((error: { stdout: string; stderr: string; code: number }) => {
        throw new Error(`systemd-analyze verify failed (${error.code}): ${error.stderr}${error.stdout}`);
      });
      expect(`${stdout}${stderr}`).not.toMatch(new RegExp(`${AGENT_UNIT_NAME}:\\d+:`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('install and uninstall of the unit', () => {
  let dir: string;
  const oldConfig = process.env.XDG_CONFIG_HOME;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'service-'));
    process.env.XDG_CONFIG_HOME = join(dir, 'config');
  });
  afterEach(async () => {
    if (oldConfig === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = oldConfig;
    await rm(dir, { recursive: true, force: true });
  });

  it('places a user unit under XDG_CONFIG_HOME/systemd/user and root\'s under /etc/systemd/system', () => {
    expect(servicePlacement({ root: false, env: { XDG_CONFIG_HOME: '/home/ana/.config' } })).toEqual({ kind: 'user', unitPath: `/home/ana/.config/systemd/user/${AGENT_UNIT_NAME}`, standard: true, systemctl: ['systemctl', '--user'] });
    expect(servicePlacement({ root: true })).toEqual({ kind: 'system', unitPath: `/etc/systemd/system/${AGENT_UNIT_NAME}`, standard: true, systemctl: ['systemctl'] });
    expect(servicePlacement({ root: true, unitDir: '/img/etc' }).standard).toBe(false);
  });

  it('refuses while safety mode is unanswered (exit 9 kind), and a relay URL with credentials', async () => {
    const placement = servicePlacement({ root: false, env: { XDG_CONFIG_HOME: join(dir, 'config') } });
    await expect(installAgentService(placement, unit)).rejects.toMatchObject({ kind: 'needs-answer', hint: expect.stringContaining('openmates config set safety-mode on') });
    expect(existsSync(placement.unitPath)).toBe(false);
    await mkdir(join(dir, 'config', 'openmates'), { recursive: true });
    await writeFile(join(dir, 'config', 'openmates', 'config.json'), JSON.stringify({ safetyMode: true }));
    await expect(installAgentService(placement, { ...unit, relay: 'https://user:pw@relay.example/' })).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('without a user, password') });
    const installed = await installAgentService(placement, unit);
    expect(installed).toMatchObject({ kind: 'user', replaced: false, enableCommands: ['systemctl --user daemon-reload', `systemctl --user enable --now ${AGENT_UNIT_NAME}`] });
    expect(await readFile(placement.unitPath, 'utf8')).toBe(agentUnitText({ ...unit, kind: 'user' }));
    expect((await stat(placement.unitPath)).mode & 0o777).toBe(0o644);
    expect((await installAgentService(placement, unit)).replaced).toBe(true);
    // The relay's address is written the way `remote-access start --relay` normalises it.
    expect((await installAgentService(placement, { ...unit, relay: 'wss://relay.example' })).unit).toContain('--relay https://relay.example/');

    const calls: string[][] = [];
    const systemctl: Systemctl = async (args) => (calls.push(args), { exitCode: 0, stderr: '' });
    expect(await uninstallAgentService(placement, systemctl)).toMatchObject({ removed: true, systemctl: { ran: true } });
    expect(calls).toEqual([['--user', 'disable', '--now', AGENT_UNIT_NAME], ['--user', 'daemon-reload']]);
    expect(existsSync(placement.unitPath)).toBe(false);
    expect(await uninstallAgentService(placement, systemctl)).toMatchObject({ removed: false });
  });

  it('uninstall without systemctl, or with a failing one, removes the unit and says what to run', async () => {
    await mkdir(join(dir, 'config', 'openmates'), { recursive: true });
    await writeFile(join(dir, 'config', 'openmates', 'config.json'), JSON.stringify({ safetyMode: false }));
    const placement = servicePlacement({ root: true, unitDir: join(dir, 'units') });
    await installAgentService(placement, unit);
    const never: Systemctl = async () => {
      throw new Error('must not run for --unit-dir');
    };
    expect(await uninstallAgentService(placement, never)).toMatchObject({ removed: true, systemctl: { ran: false, why: expect.stringContaining('--unit-dir'), commands: [`systemctl disable --now ${AGENT_UNIT_NAME}`] } });
    const standard = { ...servicePlacement({ root: true }), unitPath: placement.unitPath };
    await installAgentService(placement, unit);
    const missing: Systemctl = async () => {
      throw Object.assign(new Error('spawn systemctl ENOENT'), { code: 'ENOENT' });
    };
    expect(await uninstallAgentService(standard, missing)).toMatchObject({ removed: true, systemctl: { ran: false, why: 'there is no systemctl on this machine' } });
    await installAgentService(placement, unit);
    const failing: Systemctl = async () => ({ exitCode: 1, stderr: 'System has not been booted with systemd as init system (PID 1). Can\'t operate.\n' });
    expect(await uninstallAgentService(standard, failing)).toMatchObject({ removed: true, systemctl: { ran: false, why: expect.stringContaining('not been booted with systemd') } });
  });
});
