import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadPty } from '../../src/core/terminals/load-pty.js';
import { CLI_BIN, HERMETIC_UPDATE_CHECK, isolatedHome, killAllTmuxSessions, startTmux, type TmuxSession } from './harness/index.js';
import { startAgentProcess, type AgentProcess } from './remote-agent-process.js';
import { startRelayProcess, type RelayProcess } from './relay-process.js';

const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const REMOTE_PROMPT = 'remote$ ';

/** The remote shell: dash with a prompt of its own, so the screen says which side is talking. */
const AGENT_ENV = { SHELL: '/bin/sh', PS1: REMOTE_PROMPT };

/** A local bash in tmux, as a user's terminal: the CLI is typed into it, and it is there to inspect the terminal after the CLI ends. */
async function localTerminal(cwd: string, size = { cols: 200, rows: 30 }, env: Record<string, string> = {}): Promise<TmuxSession> {
  const pane = await startTmux(['bash', '--norc', '--noprofile'], { ...size, cwd, env: { ...isolatedHome(), ...HERMETIC_UPDATE_CHECK, PS1: 'local$ ', NO_COLOR: '1', HISTFILE: '/dev/null', ...env } });
  await pane.waitForText('local$');
  return pane;
}

async function typeLine(pane: TmuxSession, text: string): Promise<void> {
  await pane.type(text);
  await pane.sendKeys('Enter');
}

const cli = (link: string, ...args: string[]) => `${process.execPath} ${CLI_BIN} remote --link-file ${link} shell ${args.join(' ')}; echo "cli exit $?"`;
const prompts = (screen: string) => screen.split('\n').filter((line) => line.startsWith(REMOTE_PROMPT.trimEnd())).length;

/** Waits until the remote prompt has been printed `count` times on the screen (after a command ends). */
async function waitForPrompts(pane: TmuxSession, count: number, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const screen = await pane.capturePane();
    if (prompts(screen) >= count) return screen;
    if (Date.now() > deadline) throw new Error(`waited for ${count} remote prompts; the screen shows:\n${screen}`);
    await sleep(100);
  }
}

/** `stty -a` in the local shell after the CLI ended: cooked mode (icanon, echo) is back. */
async function expectCookedTerminal(pane: TmuxSession): Promise<void> {
  await typeLine(pane, 'clear; stty -a | tr " ;" "\\n\\n" | grep -E "^-?(icanon|echo|opost|isig)$" | tr "\\n" " "; echo');
  const screen = await pane.waitForText(/icanon .*\n/);
  for (const mode of ['icanon', 'echo', 'opost', 'isig']) expect(screen).toMatch(new RegExp(`(^|\\s)${mode}(\\s|$)`, 'm'));
  expect(screen).not.toMatch(/-(icanon|echo|opost|isig)\b/);
}

async function rssBytes(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
}

describe('openmates remote shell in tmux against a real agent (safety mode off)', () => {
  let agent: AgentProcess;
  let link: string;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'off', env: AGENT_ENV });
    link = await agent.addDevice('laptop');
  });
  afterEach(async () => killAllTmuxSessions());
  afterAll(async () => agent?.stop());

  it('needs a terminal: without one it says so and exits 2 at once', async () => {
    const result = await agent.cli(['remote', '--link-file', link, 'shell']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('openmates remote shell needs a terminal, and its stdin is not one.');
    expect(result.stderr).toContain('openmates remote exec -- COMMAND');
  });

  it('follows a resize (stty size), Ctrl-C interrupts sleep 100, busybox vi draws and quits, exit 7 ends the CLI with 7 and a restored terminal', async () => {
    const pane = await localTerminal(agent.root, { cols: 100, rows: 30 });
    await typeLine(pane, cli(link));
    await waitForPrompts(pane, 1);
    await typeLine(pane, 'stty size');
    await pane.waitForText(/^30 100$/m);

    await execa('tmux', ['-S', pane.socket, 'resize-window', '-t', 'main', '-x', '120', '-y', '40']);
    await typeLine(pane, 'clear; stty size');
    await pane.waitForText(/^40 120$/m);

    await typeLine(pane, 'clear; sleep 100');
    await sleep(500);
    const interrupted = Date.now();
    await pane.sendKeys('C-c');
    await pane.waitForText(/^remote\$$/m);
    await typeLine(pane, 'echo "sleep ended with $?"');
    await pane.waitForText('sleep ended with 130');
    expect(Date.now() - interrupted).toBeLessThan(5000);

    await writeFile(join(agent.root, 'notes.txt'), 'first line of the notes\n');
    await typeLine(pane, 'clear; busybox vi notes.txt');
    const vi = await pane.waitForText(/notes\.txt 1\/1 100%/);
    expect(vi).toContain('first line of the notes');
    // vi's screen: the file, then a column of ~ for the rows past its end, down to the status line.
    expect(vi.split('\n').filter((line) => line === '~').length).toBeGreaterThan(30);
    await pane.type(':q');
    await pane.sendKeys('Enter');
    await pane.waitForText(/^remote\$$/m);
    await typeLine(pane, 'echo back from vi');
    await pane.waitForText(/^back from vi$/m);

    await typeLine(pane, 'exit 7');
    await pane.waitForText(/^cli exit 7$/m);
    await expectCookedTerminal(pane);
  });

  it('cat of a 50 MB file keeps up in the pane while the agent\'s RSS stays bounded', async () => {
    // Text (base64 lines), as a terminal shows it; the byte-exact check is the next test's.
    await writeFile(join(agent.root, 'big.txt'), randomBytes(Math.ceil((50 * MB * 3) / 4)).toString('base64').replace(/.{1,76}/g, '$&\n'));
    const pane = await localTerminal(agent.root);
    await typeLine(pane, cli(link));
    await waitForPrompts(pane, 1);
    const pid = agent.process.pid!;
    let peak = await rssBytes(pid);
    const sampler = setInterval(() => void rssBytes(pid).then((rss) => (peak = Math.max(peak, rss)), () => {}), 100);
    try {
      const started = Date.now();
      await typeLine(pane, 'cat big.txt; echo "cat done $((40 + 2))"');
      await pane.waitForText(/^cat done 42$/m, 240_000);
      console.log(`cat of 50 MB through remote shell into tmux: ${((Date.now() - started) / 1000).toFixed(1)} s, agent RSS peak ${(peak / MB).toFixed(0)} MB`);
    } finally {
      clearInterval(sampler);
    }
    expect(peak).toBeLessThan(250 * MB);
    await typeLine(pane, 'exit');
    await pane.waitForText(/^cli exit 0$/m);
  });

  it('under a real PTY (no tmux), the bytes of a 50 MB binary file arrive exactly as they are', async () => {
    const file = randomBytes(50 * MB);
    await writeFile(join(agent.root, 'big.bin'), file);
    const pty = await loadPty();
    const child = pty.spawn(process.execPath, [CLI_BIN, 'remote', '--link-file', link, 'shell'], {
      name: 'xterm-256color',
      cols: 100,
      rows: 30,
      cwd: agent.root,
      env: { ...process.env, ...isolatedHome(), ...HERMETIC_UPDATE_CHECK, NO_COLOR: '1' } as Record<string, string>,
      encoding: null,
    });
    const parts: Buffer[] = [];
    let seen = '';
    let tail = '';
    child.onData((data) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
      parts.push(bytes);
      if (seen.length < 4096) seen += bytes.toString('latin1');
      tail = (tail + bytes.toString('latin1')).slice(-64);
    });
    const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
    for (let waited = 0; !seen.includes(REMOTE_PROMPT); waited += 50) {
      if (waited > 30_000) throw new Error(`no remote prompt; the PTY shows: ${JSON.stringify(seen)}`);
      await sleep(50);
    }
    // Raw on the remote side too: no \n → \r\n there, so the file's bytes are what the shell writes.
    child.write("stty raw -echo; printf 'BEGIN%s\\n' MARK; cat big.bin; printf 'END%s\\n' MARK; stty sane\r");
    // The shell exits only once every byte has reached this side: node-pty drops what a PTY still
    // holds 200 ms after its program exits, which on a loaded machine cut the end off.
    for (let waited = 0; !tail.includes('ENDMARK'); waited += 50) {
      if (waited > 240_000) throw new Error('the end marker never arrived');
      await sleep(50);
    }
    child.write('exit 3\r');
    expect(await Promise.race([exited, sleep(60_000).then(() => 'timeout')])).toBe(3);
    const all = Buffer.concat(parts);
    const begin = all.indexOf('BEGINMARK\n');
    const end = all.lastIndexOf('ENDMARK\n');
    expect(begin).toBeGreaterThan(0);
    const got = all.subarray(begin + 'BEGINMARK\n'.length, end);
    expect(got.byteLength).toBe(file.byteLength);
    expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(file).digest('hex'));
  });

  it('a client killed with -9 and re-attached with --attach ID shows the output it missed exactly once', async () => {
    const pane = await localTerminal(agent.root);
    const pidFile = join(agent.home, 'cli.pid');
    await typeLine(pane, `sh -c 'echo $$ > ${pidFile}; exec ${process.execPath} ${CLI_BIN} remote --link-file ${link} shell'; echo "cli exit $?"`);
    const opened = await pane.waitForText(/Terminal (t-[0-9a-f]+)/);
    const id = /Terminal (t-[0-9a-f]+)/.exec(opened)![1]!;
    await waitForPrompts(pane, 1);
    await typeLine(pane, 'i=0; while [ $i -lt 300 ]; do i=$((i + 1)); echo "line $i"; sleep 0.02; done; echo "loop done $((1 + 1))"');
    await pane.waitForText(/^line 40$/m);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
    await pane.waitForText(/^cli exit 137$/m);
    // The loop goes on on the server while nobody watches.
    await sleep(1500);
    await typeLine(pane, cli(link, '--attach', id));
    await pane.waitForText(/^loop done 2$/m, 60_000);
    const history = (await execa('tmux', ['-S', pane.socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'main'])).stdout;
    // The kill may fall inside a line ("line " shown, "41" not yet): the local lines in between are taken out, so it reads whole again.
    const remote = history.replace(/Killed\n|cli exit 137\n|local\$ [^\n]*\n|Terminal t-[^\n]*\n/g, '');
    const counts = new Map<number, number>();
    for (const match of remote.matchAll(/^line (\d+)\s*$/gm)) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    const wrong = Array.from({ length: 300 }, (_, index) => index + 1).filter((n) => counts.get(n) !== 1);
    expect(wrong, `lines not shown exactly once: ${wrong.map((n) => `${n}×${counts.get(n) ?? 0}`).join(' ')}; the pane's history:\n${history}`).toEqual([]);
    await typeLine(pane, 'exit 0');
    await pane.waitForText(/^cli exit 0$/m);
  });

  it('SIGTERM and SIGHUP detach (128 + n) and leave the terminal restored, the shell running', async () => {
    const pane = await localTerminal(agent.root);
    const pidFile = join(agent.home, 'signalled.pid');
    await writeFile(join(agent.root, 'notes.txt'), 'first line of the notes\n');
    for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      await typeLine(pane, `clear; sh -c 'echo $$ > ${pidFile}; exec ${process.execPath} ${CLI_BIN} remote --link-file ${link} shell'; echo "cli exit $?"`);
      const id = /Terminal (t-[0-9a-f]+)/.exec(await pane.waitForText(/Terminal (t-[0-9a-f]+)/))![1]!;
      await waitForPrompts(pane, 1);
      await typeLine(pane, 'busybox vi notes.txt');
      await pane.waitForText(/notes\.txt 1\/1 100%/);
      process.kill(Number(readFileSync(pidFile, 'utf8')), signal);
      await pane.waitForText(new RegExp(`^cli exit ${code}$`, 'm'));
      expect(await pane.capturePane()).toContain(`Back to it: openmates remote shell --attach ${id}`);
      await expectCookedTerminal(pane);
      const listed = await agent.cli(['remote', '--link-file', link, 'shell', '--list', '--json']);
      const terminal = (JSON.parse(listed.stdout) as { terminals: { id: string; exit?: unknown }[] }).terminals.find((entry) => entry.id === id);
      expect(terminal?.id).toBe(id);
      expect(terminal?.exit).toBeUndefined();
    }
  });

  it('another device attaches read-only: it sees the output, its keys are not sent, Ctrl-C stops watching', async () => {
    const owner = await localTerminal(agent.root);
    await typeLine(owner, cli(link));
    const id = /Terminal (t-[0-9a-f]+)/.exec(await owner.waitForText(/Terminal (t-[0-9a-f]+)/))![1]!;
    await waitForPrompts(owner, 1);
    await typeLine(owner, 'echo "from the owner $((3 * 3))"');
    await owner.waitForText(/^from the owner 9$/m);

    const phone = await agent.addDevice('phone');
    // Another machine: no offset of this terminal saved there.
    const watcher = await localTerminal(agent.root, { cols: 200, rows: 30 }, { XDG_STATE_HOME: join(agent.home, 'phone-state') });
    await typeLine(watcher, cli(phone, '--attach', id));
    await watcher.waitForText(`Watching ${id} read-only: it was opened by laptop, so your keys are not sent.`);
    // No saved offset on this machine: the scrollback replays what the owner's screen shows.
    await watcher.waitForText(/^from the owner 9$/m);
    await watcher.type('echo typed by the watcher');
    await watcher.sendKeys('Enter');
    await typeLine(owner, 'echo "again from the owner $((4 * 4))"');
    await watcher.waitForText(/^again from the owner 16$/m);
    expect(await owner.capturePane()).not.toContain('typed by the watcher');
    await watcher.sendKeys('C-c');
    await watcher.waitForText(/^cli exit 0$/m);
    await expectCookedTerminal(watcher);

    // The owner detaches with Ctrl-]: the shell goes on, and --list shows it.
    await owner.sendKeys('C-]');
    await owner.waitForText(`Back to it: openmates remote shell --attach ${id}`);
    await owner.waitForText(/^cli exit 0$/m);
    const listed = await agent.cli(['remote', '--link-file', link, 'shell', '--list', '--json']);
    const terminal = (JSON.parse(listed.stdout) as { terminals: { id: string; exit?: unknown; device: { name: string } }[] }).terminals.find((entry) => entry.id === id);
    expect(terminal).toMatchObject({ id, device: { name: 'laptop' } });
    expect(terminal?.exit).toBeUndefined();
  });

  it('the agent restarted: the session ends with a clear message and a non-zero exit, the terminal restored', async () => {
    const pane = await localTerminal(agent.root);
    await typeLine(pane, cli(link));
    await waitForPrompts(pane, 1);
    await writeFile(join(agent.root, 'restart-notes.txt'), 'first line of the notes\n');
    await typeLine(pane, 'busybox vi restart-notes.txt');
    await pane.waitForText('first line of the notes');
    await agent.stop();
    await agent.restart();
    const screen = await pane.waitForText(/^cli exit \d+$/m, 60_000);
    // The agent's own word (its terminals ended with it) or the connection's (closed: agent stopped), whichever comes first.
    expect(screen).toMatch(/The session with terminal t-[0-9a-f]+ ended: .*agent stopped/);
    expect(Number(/^cli exit (\d+)$/m.exec(screen)![1])).not.toBe(0);
    await expectCookedTerminal(pane);
  });
});

describe('openmates remote shell in safety mode', () => {
  let agent: AgentProcess;
  let link: string;

  beforeAll(async () => {
    agent = await startAgentProcess({ safetyMode: 'on', env: AGENT_ENV });
    link = await agent.addDevice('laptop');
  });
  afterEach(async () => killAllTmuxSessions());
  afterAll(async () => agent?.stop());

  it('opening a terminal waits for one approval; approved, the shell opens; Ctrl-C while waiting cancels it', async () => {
    const pane = await localTerminal(agent.root);
    await typeLine(pane, cli(link));
    const approval = await agent.pendingApproval('terminal.create');
    await pane.waitForText(`Waiting for approval ${approval.id} on your approver device:`);
    const approved = await agent.cli(['remote-access', 'approve', approval.id]);
    expect(approved.exitCode, approved.stderr).toBe(0);
    await waitForPrompts(pane, 1);
    await typeLine(pane, 'echo "approved shell $((6 * 7))"');
    await pane.waitForText(/^approved shell 42$/m);
    await typeLine(pane, 'exit');
    await pane.waitForText(/^cli exit 0$/m);

    await typeLine(pane, `clear; ${cli(link)}`);
    const second = await agent.pendingApproval('terminal.create');
    await pane.waitForText(`Waiting for approval ${second.id}`);
    await pane.sendKeys('C-c');
    await pane.waitForText(/^cli exit 130$/m);
    const after = (await agent.approvals()).find((entry) => entry.id === second.id);
    expect(after?.state).not.toBe('pending');
    await expectCookedTerminal(pane);
  });
});

describe('openmates remote shell through a relay that is killed and restarted', () => {
  let relay: RelayProcess;
  let agent: AgentProcess;
  let link: string;

  beforeAll(async () => {
    relay = await startRelayProcess();
    agent = await startAgentProcess({ safetyMode: 'off', relay: relay.url, env: AGENT_ENV });
    link = await agent.addDevice('laptop');
  });
  afterEach(async () => killAllTmuxSessions());
  afterAll(async () => {
    await agent?.stop();
    await relay?.stop();
  });

  it('says the connection was lost and is back on lines of their own, and the output goes on with every line once', async () => {
    const pane = await localTerminal(agent.root);
    await typeLine(pane, cli(link));
    await waitForPrompts(pane, 1);
    await typeLine(pane, 'i=0; while [ $i -lt 300 ]; do i=$((i + 1)); echo "line $i"; sleep 0.02; done; echo "loop done $((1 + 1))"');
    await pane.waitForText(/^line 40$/m);
    await relay.stop('SIGKILL');
    await pane.waitForText(/^\[connection lost \(.*\): reconnecting…\]$/m);
    await relay.restart();
    await pane.waitForText(/^\[reconnected: the session continues where it was\]$/m, 60_000);
    await pane.waitForText(/^loop done 2$/m, 60_000);
    const history = (await execa('tmux', ['-S', pane.socket, 'capture-pane', '-p', '-J', '-S', '-', '-t', 'main'])).stdout;
    // Our notes may fall inside a line: taken out, it reads whole again.
    const remote = history.replace(/\r?\n?\[(connection lost|reconnected)[^\]]*\]\n/g, '');
    const counts = new Map<number, number>();
    for (const match of remote.matchAll(/^line (\d+)\s*$/gm)) counts.set(Number(match[1]), (counts.get(Number(match[1])) ?? 0) + 1);
    const wrong = Array.from({ length: 300 }, (_, index) => index + 1).filter((n) => counts.get(n) !== 1);
    expect(wrong, `lines not shown exactly once: ${wrong.map((n) => `${n}×${counts.get(n) ?? 0}`).join(' ')}; the pane's history:\n${history}`).toEqual([]);
    await typeLine(pane, 'exit 0');
    await pane.waitForText(/^cli exit 0$/m);
  });
});
