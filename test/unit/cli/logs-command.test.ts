import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/cli/args.js';
import { helpText } from '../../../src/cli/help.js';
import { LogText } from '../../../src/cli/render/log-text.js';
import type { OpenmatesError } from '../../../src/core/errors.js';
import type { LogEntry } from '../../../src/core/logs/types.js';

function logsOptions(argv: string[]) {
  const parsed = parseCommand(['server', 'logs', ...argv]);
  if (parsed.name !== 'run') throw new Error(`expected a command, got ${parsed.name}`);
  return parsed.options;
}

function usageError(argv: string[]): string {
  try {
    parseCommand(['server', 'logs', ...argv]);
  } catch (error) {
    expect((error as OpenmatesError).kind).toBe('usage');
    return (error as OpenmatesError).message;
  }
  throw new Error(`expected ${argv.join(' ')} to be refused`);
}

describe('openmates server logs: flags', () => {
  it('reads -f, --service, --since, --tail, --timestamps and --json', () => {
    expect(logsOptions([])).toMatchObject({ follow: false, timestamps: false, json: false });
    expect(logsOptions(['-f', '--service', 'api, worker', '--since', '10m', '--tail', '200', '--timestamps', '--json', '--path', '/srv/om'])).toEqual({
      installDir: '/srv/om',
      stackFile: undefined,
      json: true,
      yes: false,
      follow: true,
      services: ['api', 'worker'],
      since: '10m',
      tail: 200,
      timestamps: true,
    });
    expect(logsOptions(['--follow', '--tail', 'all'])).toMatchObject({ follow: true });
    expect(logsOptions(['--tail', 'all'])).not.toHaveProperty('tail');
    expect(logsOptions(['--since', '2024-05-01T12:00:00Z'])).toMatchObject({ since: '2024-05-01T12:00:00Z' });
  });

  it('refuses bad values before doing anything, saying what it takes', () => {
    expect(usageError(['--tail', 'lots'])).toBe('--tail takes a number of lines (or "all"), not "lots".');
    expect(usageError(['--tail', '-5'])).toContain('--tail');
    expect(usageError(['--since', 'yesterday'])).toBe('Cannot read "yesterday" as a time to show logs since.');
    expect(usageError(['--service', ' , '])).toContain('--service needs at least one service name');
    expect(usageError(['--yes'])).toContain('--yes does not apply to "openmates server logs"');
  });

  it('is in --help with its flags', () => {
    const help = helpText('1.0.0');
    expect(help).toContain('openmates server logs');
    expect(help).toContain('-f, --follow');
    expect(help).toContain('--since TIME');
  });
});

describe('log lines as text', () => {
  const entries: LogEntry[] = [
    { kind: 'line', service: 'api', stream: 'stdout', text: 'listening', time: '2026-05-01T12:00:00.000000001Z' },
    { kind: 'line', service: 'worker', stream: 'stderr', text: 'oops', time: '2026-05-01T12:00:00.000000002Z' },
    { kind: 'notice', service: 'api', event: 'stopped', text: 'api stopped (exit code 137)', time: '2026-05-01T12:00:01.000000000Z' },
  ];

  it('prints `service | line` with the names padded to one width, and notices in the stream', () => {
    const text = new LogText(['api', 'worker'], { json: false, timestamps: false, color: false });
    expect(text.format(entries)).toBe('api    | listening\nworker | oops\napi    | — api stopped (exit code 137)\n');
  });

  it('puts the timestamp in front with --timestamps, and colours the prefix only when asked', () => {
    const plain = new LogText(['api', 'worker'], { json: false, timestamps: true, color: false });
    expect(plain.format(entries.slice(0, 1))).toBe('api    | 2026-05-01T12:00:00.000000001Z listening\n');
    const coloured = new LogText(['api', 'worker'], { json: false, timestamps: false, color: true });
    expect(coloured.format(entries.slice(0, 1))).toBe('\x1b[36mapi    |\x1b[0m listening\n');
  });

  it('writes one JSON object per line with --json', () => {
    const json = new LogText(['api', 'worker'], { json: true, timestamps: false, color: false });
    const lines = json.format(entries).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { type: 'log', service: 'api', stream: 'stdout', time: '2026-05-01T12:00:00.000000001Z', line: 'listening' },
      { type: 'log', service: 'worker', stream: 'stderr', time: '2026-05-01T12:00:00.000000002Z', line: 'oops' },
      { type: 'notice', service: 'api', event: 'stopped', time: '2026-05-01T12:00:01.000000000Z', message: 'api stopped (exit code 137)' },
    ]);
  });
});
