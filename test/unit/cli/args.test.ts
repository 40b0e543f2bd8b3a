import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/cli/args.js';
import { OpenmatesError } from '../../../src/core/errors.js';
import { EXIT, exitCodeFor } from '../../../src/cli/exit-codes.js';

function usageError(argv: string[]): string {
  try {
    parseCommand(argv);
  } catch (error) {
    expect((error as OpenmatesError).kind).toBe('usage');
    return (error as OpenmatesError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('parseCommand', () => {
  it('opens the app without arguments', () => {
    expect(parseCommand([])).toMatchObject({ name: 'app' });
  });

  it('reads the short, long and sub-command forms of install alike', () => {
    for (const argv of [['--server', '--install'], ['-s', '-i'], ['server', 'install']]) {
      expect(parseCommand([...argv, '--yes', '--json', '--path', '/srv/om'])).toEqual({
        name: 'install',
        options: { installDir: '/srv/om', stackFile: undefined, json: true, yes: true, timeout: undefined, strictRequirements: false },
      });
    }
  });

  it('reads status in both forms', () => {
    expect(parseCommand(['server', 'status', '--json'])).toMatchObject({ name: 'status', options: { json: true } });
    expect(parseCommand(['--server', '--status'])).toMatchObject({ name: 'status' });
  });

  it('reads --timeout as seconds', () => {
    expect(parseCommand(['server', 'install', '--timeout', '90'])).toMatchObject({ options: { timeout: 90 } });
    expect(usageError(['server', 'install', '--timeout', 'soon'])).toContain('--timeout takes a whole number of seconds');
  });

  it('refuses what it does not know, naming it', () => {
    expect(usageError(['server', 'explode'])).toContain('Unknown server command "explode"');
    expect(usageError(['--frobnicate'])).toContain("'--frobnicate'");
    expect(usageError(['--install'])).toContain('goes with --server');
    expect(usageError(['server'])).toContain('needs a command');
    expect(usageError(['server', 'status', '--yes'])).toContain('--yes does not apply to status');
  });

  it('answers --help and --version before anything else', () => {
    expect(parseCommand(['server', 'install', '--help'])).toEqual({ name: 'help', topic: 'server' });
    expect(parseCommand(['-v'])).toEqual({ name: 'version' });
  });
});

describe('exit codes', () => {
  it('gives every failure kind its own documented code', () => {
    const kinds = ['usage', 'invalid-stack', 'preflight', 'engine-unreachable', 'operation-failed', 'health-timeout', 'unsafe', 'needs-answer', 'not-installed', 'interrupted'] as const;
    const codes = kinds.map(exitCodeFor);
    expect(new Set(codes).size).toBe(kinds.length);
    expect(codes).not.toContain(EXIT.ok);
  });
});
