import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/cli/args.js';
import { parseListen } from '../../../src/cli/commands/remote-access-start.command.js';

const parsed = (argv: string[]) => {
  const command = parseCommand(argv);
  if (command.name !== 'run') throw new Error(`not a command: ${command.name}`);
  return { path: command.spec.path.join(' '), options: command.options as Record<string, unknown> };
};

describe('remote-access and remote command lines', () => {
  it('start: repeated --root, default listen, --full-access alone', () => {
    expect(parsed(['remote-access', 'start', '--root', '/srv/a', '--root', '/srv/b', '--dev-server']).options).toMatchObject({ roots: ['/srv/a', '/srv/b'], devServer: true, listen: { host: '127.0.0.1', port: 7420 } });
    expect(parsed(['remote-access', 'start', '--full-access']).options).toMatchObject({ roots: ['/'], fullAccess: true });
    expect(() => parseCommand(['remote-access', 'start', '--full-access', '--root', '/x'])).toThrow(/--full-access/);
  });

  it('--listen takes HOST:PORT, IPv6 in brackets, and nothing else', () => {
    expect(parseListen('0.0.0.0:8000')).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(parseListen('[::1]:7420')).toEqual({ host: '::1', port: 7420 });
    for (const bad of ['7420', 'host:', 'host:99999', 'a b:1']) expect(() => parseListen(bad), bad).toThrow(/HOST:PORT/);
  });

  it('devices add takes one name and a role', () => {
    expect(parsed(['remote-access', 'devices', 'add', 'my phone', '--role', 'approver'])).toMatchObject({ path: 'remote-access devices add', options: { name: 'my phone', role: 'approver' } });
    expect(() => parseCommand(['remote-access', 'devices', 'add', 'x', '--role', 'admin'])).toThrow(/operator or approver/);
    expect(() => parseCommand(['remote-access', 'devices', 'add'])).toThrow(/Usage/);
    expect(parsed(['remote-access', 'devices', 'add', 'owner', '--role', 'approver', '--raw-secrets'])).toMatchObject({ options: { name: 'owner', role: 'approver', rawSecrets: true } });
    expect(() => parseCommand(['remote-access', 'devices', 'add', 'bot', '--raw-secrets'])).toThrow(/approver devices only/);
    expect(parsed(['remote-access', 'devices']).path).toBe('remote-access devices');
  });

  it('exec: the words after -- are the command; --env repeats; flags before -- are ours', () => {
    const { options } = parsed(['remote', 'exec', '--env', 'A=1', '--env', 'B=x=y', '--session', 's', '--timeout', '5', '--', 'ls', '-la', '--json']);
    expect(options).toMatchObject({ command: 'ls -la --json', env: { A: '1', B: 'x=y' }, session: 's', timeout: 5, json: false });
    expect(() => parseCommand(['remote', 'exec', '--env', 'novalue', '--', 'true'])).toThrow(/NAME=VALUE/);
    expect(() => parseCommand(['remote', 'exec'])).toThrow(/Usage: openmates remote exec/);
  });

  it('files: word counts per action, -r for rm, --in for search', () => {
    expect(parsed(['remote', 'files', 'rm', '-r', 'dir']).options).toMatchObject({ action: 'rm', words: ['dir'], recursive: true });
    expect(parsed(['remote', 'files', 'search', 'TODO', '--in', 'src']).options).toMatchObject({ action: 'search', words: ['TODO'], in: 'src' });
    expect(parsed(['remote', 'files', 'ls']).options).toMatchObject({ action: 'ls', words: [] });
    expect(() => parseCommand(['remote', 'files', 'cp', 'only-one'])).toThrow(/SRC DST/);
    expect(parsed(['remote', '--link-file', '/tmp/l', 'files', 'stat', 'x']).options).toMatchObject({ linkFile: '/tmp/l' });
  });

  it('server: logs flags and update --to', () => {
    expect(parsed(['remote', 'server', 'logs', '-f', '--service', 'api,worker', '--tail', '10']).options).toMatchObject({ follow: true, services: ['api', 'worker'], tail: 10 });
    expect(parsed(['remote', 'server', 'update', '--to', 'v1.1.0']).options).toMatchObject({ to: 'v1.1.0' });
    expect(() => parseCommand(['remote', 'server', 'stop', '--clear-cache'])).toThrow(/does not apply/);
  });
});

describe('remote servers and --to', () => {
  it('servers add/rm take one name; --to picks a saved server for every remote command, never with --link-file', () => {
    expect(parsed(['remote', 'servers', 'add', 'home', '--link-file', 'l.txt'])).toMatchObject({ path: 'remote servers add', options: { name: 'home', linkFile: 'l.txt' } });
    expect(parsed(['remote', 'servers', 'rm', 'home'])).toMatchObject({ path: 'remote servers rm', options: { name: 'home' } });
    expect(parsed(['remote', 'servers', '--json'])).toMatchObject({ path: 'remote servers', options: { json: true } });
    expect(() => parseCommand(['remote', 'servers', 'add'])).toThrow(/Usage/);
    expect(parsed(['remote', '--to', 'home', 'files', 'ls'])).toMatchObject({ path: 'remote files ls', options: { to: 'home' } });
    expect(parsed(['remote', '--to', 'home', 'host']).options).toMatchObject({ to: 'home' });
    expect(parsed(['remote', '--to', 'home', 'exec', '--', 'ls']).options).toMatchObject({ to: 'home' });
    expect(parsed(['remote', '--to', 'home', 'server', 'update', '--tag', 'v1.1.0']).options).toMatchObject({ to: 'home', tag: 'v1.1.0' });
    expect(() => parseCommand(['remote', '--to', 'home', '--link-file', 'x', 'host'])).toThrow(/either --to NAME or --link-file FILE/);
  });
});
