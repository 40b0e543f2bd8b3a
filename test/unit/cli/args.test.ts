import { describe, expect, it } from 'vitest';
import { allFlags, parseCommand } from '../../../src/cli/args.js';
import { COMMANDS } from '../../../src/cli/commands/index.js';
import { helpText } from '../../../src/cli/help.js';
import { OpenmatesError } from '../../../src/core/errors.js';
import { EXIT, EXIT_CODES, exitCodeFor } from '../../../src/cli/exit-codes.js';

function usageError(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (error) {
    expect((error as OpenmatesError).kind).toBe('usage');
    return (error as OpenmatesError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

function run(argv: string[]) {
  const parsed = parseCommand(argv);
  if (parsed.name !== 'run') throw new Error(`expected a command, got ${parsed.name}`);
  return { path: parsed.spec.path.join(' '), options: parsed.options };
}

describe('parseCommand', () => {
  it('opens the app without arguments, keeping --path and --stack', () => {
    expect(parseCommand([])).toEqual({ name: 'app', installDir: undefined, stackFile: undefined });
    expect(parseCommand(['--path', '/srv/om'])).toMatchObject({ name: 'app', installDir: '/srv/om' });
  });

  it('takes --tag for install and for the app\'s Install screen, and refuses one that is not a tag', () => {
    expect(run(['server', 'install', '--tag', 'v1.0.0']).options).toMatchObject({ tag: 'v1.0.0' });
    expect(run(['--server', '--install', '--tag', 'v1.0.0']).options).toMatchObject({ tag: 'v1.0.0' });
    expect(parseCommand(['--stack', 's.yml', '--tag', 'v1.0.0'])).toMatchObject({ name: 'app', stackFile: 's.yml', tag: 'v1.0.0' });
    expect(usageError(['server', 'install', '--tag', 'v1/../x'])).toBe('--tag takes an image tag like v1.2.0, not "v1/../x".');
    expect(usageError(['server', 'status', '--tag', 'v1.0.0'])).toContain('--tag does not apply');
  });

  it('reads the short, long and sub-command forms of install alike', () => {
    for (const argv of [['--server', '--install'], ['-s', '-i'], ['server', 'install']]) {
      expect(run([...argv, '--yes', '--json', '--path', '/srv/om'])).toEqual({
        path: 'server install',
        options: { installDir: '/srv/om', stackFile: undefined, json: true, yes: true, timeout: undefined, strictRequirements: false },
      });
    }
  });

  it('reads status in both forms', () => {
    expect(run(['server', 'status', '--json'])).toMatchObject({ path: 'server status', options: { json: true } });
    expect(run(['--server', '--status'])).toMatchObject({ path: 'server status' });
  });

  it('reads --timeout as seconds', () => {
    expect(run(['server', 'install', '--timeout', '90'])).toMatchObject({ options: { timeout: 90 } });
    expect(usageError(['server', 'install', '--timeout', 'soon'])).toContain('--timeout takes a whole number of seconds');
  });

  it('reads start, stop and restart, --clear-cache for restart only, --timeout not for stop', () => {
    expect(run(['server', 'restart', '--clear-cache', '--timeout', '30', '--json', '--path', '/srv/om'])).toEqual({
      path: 'server restart',
      options: { installDir: '/srv/om', stackFile: undefined, json: true, yes: false, timeout: 30, clearCache: true },
    });
    expect(run(['server', 'start'])).toMatchObject({ path: 'server start', options: { clearCache: false, timeout: undefined } });
    expect(run(['server', 'stop', '--json'])).toMatchObject({ path: 'server stop', options: { json: true } });
    expect(usageError(['server', 'start', '--clear-cache'])).toBe('--clear-cache does not apply to "openmates server start".');
    expect(usageError(['server', 'stop', '--timeout', '10'])).toBe('--timeout does not apply to "openmates server stop".');
    expect(usageError(['server', 'restart', '--timeout', '0'])).toContain('--timeout takes a whole number of seconds');
    expect(usageError(['server', 'restart', '--stack', 'x.yml'])).toContain('--stack does not apply');
  });

  it('refuses what it does not know, naming it', () => {
    expect(usageError(['server', 'explode'])).toContain('Unknown server command "explode"');
    expect(usageError(['--frobnicate'])).toContain("'--frobnicate'");
    expect(usageError(['--install'])).toContain('goes with --server');
    expect(usageError(['server'])).toContain('needs a command');
    expect(usageError(['server', 'status', '--yes'])).toContain('--yes does not apply to "openmates server status"');
    expect(usageError(['server', 'status', 'extra'])).toContain('Unexpected argument "extra"');
    expect(usageError(['--json'])).toContain('--json does not apply to the full-screen app');
  });

  it('answers --help and --version before anything else', () => {
    expect(parseCommand(['server', 'install', '--help'])).toEqual({ name: 'help' });
    expect(parseCommand(['-v'])).toEqual({ name: 'version' });
  });
});

describe('the command table', () => {
  it('gives each flag name one meaning across commands', () => {
    const seen = new Map<string, string>();
    for (const command of COMMANDS) {
      for (const [name, flag] of Object.entries(command.flags)) {
        const before = seen.get(name);
        expect(before === undefined || before === flag.type, `--${name} has two types`).toBe(true);
        seen.set(name, flag.type);
      }
    }
    expect(Object.keys(allFlags())).toContain('timeout');
  });

  it('lists every command and every flag in --help', () => {
    const help = helpText('1.2.3');
    for (const command of COMMANDS) {
      expect(help).toContain(`openmates ${command.path.join(' ')}`);
      for (const name of Object.keys(command.flags)) expect(help).toContain(`--${name}`);
    }
  });
});

describe('exit codes', () => {
  it('gives every failure kind its own documented code', () => {
    const kinds = ['usage', 'invalid-stack', 'preflight', 'engine-unreachable', 'operation-failed', 'health-timeout', 'unsafe', 'needs-answer', 'not-installed', 'invalid-config', 'interrupted'] as const;
    const codes = kinds.map(exitCodeFor);
    expect(new Set(codes).size).toBe(kinds.length);
    expect(codes).not.toContain(EXIT.ok);
    expect(codes).not.toContain(EXIT.internal);
  });

  it('lists every exit code in --help', () => {
    const help = helpText('1.2.3');
    for (const entry of EXIT_CODES) expect(help).toMatch(new RegExp(`\\n  ${entry.code}\\s+${entry.meaning.slice(0, 20).replace(/[()]/g, '.')}`));
  });
});
