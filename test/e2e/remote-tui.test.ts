import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllTmuxSessions, runCli, startCliInTmux } from './harness/index.js';

describe('remote-access start on a terminal', () => {
  afterEach(async () => killAllTmuxSessions());

  it('asks the production question once, keeps the answer, shows the live view, and Ctrl-C stops it cleanly', async () => {
    const home = await mkdtemp(join(tmpdir(), 'omt-remote-tui-'));
    const env = { XDG_STATE_HOME: join(home, 'state'), XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: join(home, 'run') };
    await mkdir(join(home, 'run'), { mode: 0o700 });
    await mkdir(join(home, 'shared'));
    const app = await startCliInTmux(['remote-access', 'start', '--listen', '127.0.0.1:0'], { env, cwd: join(home, 'shared'), firstRun: true });
    await app.waitForText('Is this a production server? Or would it be very bad if data were deleted by accident?');
    await app.sendKeys('y', 'Enter');
    await app.waitForText('safety mode on');
    const settings = JSON.parse(await readFile(join(home, 'config', 'openmates', 'config.json'), 'utf8')) as { safetyMode?: boolean };
    expect(settings.safetyMode).toBe(true);

    const added = await runCli(['remote-access', 'devices', 'add', 'phone', '--json'], { env });
    expect(added.exitCode, added.stderr).toBe(0);
    const link = join(home, 'phone.link');
    await writeFile(link, (JSON.parse(added.stdout) as { link: string }).link, { mode: 0o600 });
    await app.waitForText('phone (operator)');
    // Safety mode: the change waits for an approval; denied from the CLI, the caller gets exit 16 and the feed shows it.
    const waiting = runCli(['remote', '--link-file', link, 'files', 'mkdir', 'x'], { env });
    let id: string | undefined;
    for (let tries = 0; id === undefined && tries < 200; tries++) {
      const listed = await runCli(['remote-access', 'approvals', '--json'], { env });
      id = (JSON.parse(listed.stdout) as { approvals: { id: string; state: string }[] }).approvals.find((approval) => approval.state === 'pending')?.id;
      if (id === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await runCli(['remote-access', 'deny', id!], { env })).exitCode).toBe(0);
    const refused = await waiting;
    expect(refused.exitCode, refused.stderr).toBe(16);
    await app.waitForText(/files\.mkdir x refused/);

    await app.sendKeys('C-c');
    expect(await app.waitForExit()).toBe(0);
    expect(await readdir(join(home, 'run', 'openmates'))).toEqual([]);
  });
});
