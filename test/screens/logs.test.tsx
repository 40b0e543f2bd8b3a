import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../src/core/errors.js';
import type { LogEntry, LogSink, LogsOptions } from '../../src/core/logs/types.js';
import { AppInfoContext } from '../../src/screens/app-info.js';
import { Logs } from '../../src/screens/Logs.js';
import { splitMatches } from '../../src/screens/logs/LogLines.js';
import { searchPattern } from '../../src/screens/logs/log-view.js';
import { INSTALL_DIR, scriptedOperations } from './fixtures.js';
import { keys, pause, plain, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

const SERVICES = ['api', 'database', 'worker'];

/** A logs operation the test feeds: `send` hands batches to the screen, like the core does. */
function scriptedLogs(options: { fail?: unknown } = {}) {
  const calls: { options: LogsOptions; signal: AbortSignal | undefined }[] = [];
  let sink: LogSink | undefined;
  let clock = Date.parse('2026-05-01T12:00:00Z');
  const { operations } = scriptedOperations({
    logs: (logOptions, logSink, signal) => {
      calls.push({ options: logOptions, signal });
      sink = logSink;
      logSink.started?.({ project: 'demo', services: SERVICES, shown: SERVICES });
      if (options.fail) return Promise.reject(options.fail);
      return new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ project: 'demo', shown: SERVICES, lines: 0 })));
    },
  });
  const line = (service: string, text: string): LogEntry => ({
    kind: 'line',
    service,
    stream: 'stdout',
    text,
    time: new Date((clock += 1000)).toISOString().replace('Z', '000000Z'),
  });
  return {
    operations,
    calls,
    send: (...entries: LogEntry[]) => sink!.entries(entries),
    line,
    lines: (service: string, prefix: string, count: number) => Array.from({ length: count }, (_, i) => line(service, `${prefix} ${i + 1}`)),
  };
}

function renderLogs(logs: ReturnType<typeof scriptedLogs>, props: { capacity?: number; services?: string[]; onRedraw?: () => void } = {}) {
  let backs = 0;
  const view = render(
    <AppInfoContext.Provider value={{ hostName: 'box-7', cliVersion: '0.1.0', stopping: false }}>
      <Logs operations={logs.operations} installDir={INSTALL_DIR} onBack={() => (backs += 1)} {...props} />
    </AppInfoContext.Provider>,
  );
  return { ...view, backs: () => backs };
}

describe('Logs screen', () => {
  it('streams every service live, newest at the bottom, one prefix per service, with timestamps on t', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin } = renderLogs(logs);
    await waitForText(lastFrame, 'live', '3 services', 'last 100 lines each');
    expect(logs.calls[0]!.options).toMatchObject({ installDir: INSTALL_DIR, follow: true, timestamps: true, tail: 100, ordered: true });
    await logs.send(logs.line('api', 'api listening on :8000'), logs.line('worker', 'worker picked up job 7'));
    const frame = await waitForText(lastFrame, '  api      | api listening on :8000', '  worker   | worker picked up job 7');
    expect(frame.indexOf('job 7')).toBeGreaterThan(frame.indexOf(':8000'));
    expect(frame).not.toContain('2026-05-01T12:00');
    await press(stdin, 't');
    await waitForText(lastFrame, 'worker   | 2026-05-01T12:00:02.000000000Z worker picked up job 7');
  });

  it('redraws for new lines at most every 33 ms however many batches arrive', async () => {
    const logs = scriptedLogs();
    const redraws: number[] = [];
    const { lastFrame } = renderLogs(logs, { onRedraw: () => redraws.push(performance.now()) });
    await waitForText(lastFrame, 'live');
    for (let i = 0; i < 300; i++) {
      await logs.send(logs.line('api', `burst ${i}`));
      if (i % 10 === 0) await pause(1);
    }
    await waitForText(lastFrame, 'burst 299');
    expect(redraws.length).toBeGreaterThan(0);
    expect(redraws.length).toBeLessThan(300 / 10);
    const gaps = redraws.slice(1).map((at, i) => at - redraws[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30);
  });

  it('filters services with f: space hides one, the others stay', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin } = renderLogs(logs);
    await waitForText(lastFrame, 'live');
    await logs.send(logs.line('api', 'from api'), logs.line('database', 'from database'), logs.line('worker', 'from worker'));
    await waitForText(lastFrame, 'from worker');
    await press(stdin, 'f');
    await waitForText(lastFrame, 'Show the logs of', '[x] api', '[x] database');
    await press(stdin, ' ', keys.down, keys.down, ' ');
    await waitForText(lastFrame, '[ ] api', '[x] database', '[ ] worker');
    await press(stdin, keys.enter);
    const frame = await waitForText(lastFrame, '1 of 3 services', 'from database');
    expect(frame).not.toContain('from api');
    expect(frame).not.toContain('from worker');
    // New lines of hidden services stay hidden; the shown one's appear.
    await logs.send(logs.line('api', 'api again'), logs.line('database', 'database again'));
    expect(await waitForText(lastFrame, 'database again')).not.toContain('api again');
  });

  it('opens filtered to the services it was given', async () => {
    const logs = scriptedLogs();
    const { lastFrame } = renderLogs(logs, { services: ['worker'] });
    await waitForText(lastFrame, '1 of 3 services');
    await logs.send(logs.line('api', 'from api'), logs.line('worker', 'from worker'));
    expect(await waitForText(lastFrame, 'from worker')).not.toContain('from api');
  });

  it('pauses on space while the stream keeps flowing, scrolls back, and jumps to live on resume', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin } = renderLogs(logs);
    await waitForText(lastFrame, 'live');
    await logs.send(...logs.lines('api', 'early', 40));
    await waitForText(lastFrame, 'early 40');
    await press(stdin, ' ');
    await waitForText(lastFrame, 'paused');
    await logs.send(...logs.lines('worker', 'while paused', 5));
    await pause(80);
    let frame = await waitForText(lastFrame, 'paused · 5 newer lines', 'early 40');
    expect(frame).not.toContain('while paused');
    await press(stdin, keys.up, keys.up, keys.up);
    frame = await waitForText(lastFrame, 'early 37', '8 newer lines');
    expect(frame).not.toContain('early 40');
    await press(stdin, ' ');
    frame = await waitForText(lastFrame, 'live', 'while paused 5');
    expect(frame).not.toContain('newer lines');
  });

  it('keeps only the buffer it is given: the oldest lines go', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin } = renderLogs(logs, { capacity: 50 });
    await waitForText(lastFrame, 'live');
    await logs.send(...logs.lines('api', 'line', 200));
    await waitForText(lastFrame, 'line 200');
    await press(stdin, 'g');
    const frame = await waitForText(lastFrame, 'paused', 'line 151');
    expect(frame).not.toMatch(/line 150\b/);
  });

  it('searches with /, highlights the matches, and n / N move between them', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin } = renderLogs(logs);
    await waitForText(lastFrame, 'live');
    await logs.send(logs.line('api', 'request ok'), logs.line('api', 'ERROR: database timeout'), ...logs.lines('worker', 'busy', 30), logs.line('worker', 'retry after error'));
    await waitForText(lastFrame, 'retry after error');
    await press(stdin, '/', 'e', 'r', 'r', 'o', 'r', keys.enter);
    let frame = await waitForText(lastFrame, '/error', '2 matches');
    await press(stdin, 'n');
    frame = await waitForText(lastFrame, 'paused', '> worker   | retry after error');
    await press(stdin, 'n');
    frame = await waitForText(lastFrame, '> api      | ERROR: database timeout');
    expect(frame).not.toContain('> worker');
    await press(stdin, 'N');
    await waitForText(lastFrame, '> worker   | retry after error');
    await press(stdin, keys.escape);
    frame = plain(lastFrame());
    expect(frame).not.toContain('/error');
  });

  it('closes the stream when it leaves (esc) and when it unmounts', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin, unmount, backs } = renderLogs(logs);
    await waitForText(lastFrame, 'live');
    await press(stdin, keys.escape);
    expect(backs()).toBe(1);
    unmount();
    expect(logs.calls[0]!.signal?.aborted).toBe(true);
  });

  it('restarts the stream with the new since and lines choices', async () => {
    const logs = scriptedLogs();
    const { lastFrame, stdin } = renderLogs(logs);
    await waitForText(lastFrame, 'live');
    await press(stdin, 's');
    await waitForText(lastFrame, 'since 5m ago');
    await press(stdin, 'l');
    await waitForText(lastFrame, 'last 1,000 lines each');
    expect(logs.calls.at(-1)!.options).toMatchObject({ since: '5m', tail: 1000 });
    expect(logs.calls.slice(0, -1).every((call) => call.signal?.aborted)).toBe(true);
  });

  it('shows an engine that went away, and reconnects on r', async () => {
    const logs = scriptedLogs({ fail: new OpenmatesError('engine-unreachable', 'The Docker engine at unix:///var/run/docker.sock stopped answering.', 'Check that Docker is running.') });
    const { lastFrame, stdin } = renderLogs(logs);
    await waitForText(lastFrame, 'stopped', 'stopped answering', 'r reconnect');
    await press(stdin, 'r');
    expect(logs.calls.length).toBe(2);
  });
});

describe('search highlighting', () => {
  it('cuts a line into matches (any case) and the text between them', () => {
    expect(splitMatches('Error: an error (ERROR)', searchPattern('error'))).toEqual([
      { text: 'Error', match: true },
      { text: ': an ', match: false },
      { text: 'error', match: true },
      { text: ' (', match: false },
      { text: 'ERROR', match: true },
      { text: ')', match: false },
    ]);
    expect(splitMatches('a.b axb', searchPattern('.'))).toEqual([
      { text: 'a', match: false },
      { text: '.', match: true },
      { text: 'b axb', match: false },
    ]);
    expect(splitMatches('nothing here', searchPattern('zzz'))).toEqual([{ text: 'nothing here', match: false }]);
  });
});
