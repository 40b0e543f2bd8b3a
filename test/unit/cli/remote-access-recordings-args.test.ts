import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/cli/args.js';
import type { OpenmatesError } from '../../../src/core/errors.js';

function refused(argv: string[]): string {
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

describe('remote-access recordings arguments', () => {
  it('lists without a name, shows one with it', () => {
    expect(run(['remote-access', 'recordings', '--json'])).toEqual({ path: 'remote-access recordings', options: { json: true, raw: false } });
    expect(run(['remote-access', 'recordings', 'show', 'N', '--raw'])).toEqual({ path: 'remote-access recordings show', options: { json: false, raw: true, name: 'N' } });
  });

  it('refuses show without exactly one name, --raw with --json, and a name after the list', () => {
    expect(refused(['remote-access', 'recordings', 'show'])).toContain('Usage: openmates remote-access recordings show NAME');
    expect(refused(['remote-access', 'recordings', 'show', 'a', 'b'])).toContain('Usage: openmates remote-access recordings show NAME');
    expect(refused(['remote-access', 'recordings', 'show', 'a', '--raw', '--json'])).toContain('--raw and --json do not go together');
    expect(() => parseCommand(['remote-access', 'recordings', 'some-name'])).toThrow();
  });
});
