import { describe, expect, it } from 'vitest';
import { runContainerName, runInfo, runLabels } from '../../../../src/core/runs/run-labels.js';
import type { RunContainer } from '../../../../src/core/runs/run-engine.js';
import { chooseRunUser } from '../../../../src/core/runs/run-user.js';
import { displayRepo } from '../../../../src/core/runs/git-source.js';

const request = { command: ['make', 'test'], repo: '/srv/repo.git', branch: 'main', image: 'node:20', env: { CI: '1', API_KEY: 'not-in-labels' }, timeoutSeconds: 60, cpus: 1, memoryBytes: 1024 ** 3, network: 'none' as const };

function container(overrides: Partial<RunContainer>): RunContainer {
  return { id: 'c1', name: runContainerName('ab12cd34'), labels: runLabels('ab12cd34', request, new Date('2026-12-02T10:01:00Z')), state: 'running', exitCode: 0, createdAt: '2026-12-02T10:00:00Z', startedAt: '2026-12-02T10:00:01Z', finishedAt: '0001-01-01T00:00:00Z', ...overrides };
}

describe('a run as the engine keeps it', () => {
  it('labels carry the request but only the names of its variables', () => {
    const labels = runLabels('ab12cd34', request, new Date());
    expect(JSON.stringify(labels)).not.toContain('not-in-labels');
    expect(runInfo(container({})).envNames).toEqual(['CI', 'API_KEY']);
  });

  it('reads its status from the container state and the mark in its name', () => {
    expect(runInfo(container({})).status).toBe('running');
    expect(runInfo(container({ state: 'exited', exitCode: 0, finishedAt: '2026-12-02T10:00:05Z' }))).toMatchObject({ status: 'succeeded', exitCode: 0, durationMs: 4000 });
    expect(runInfo(container({ state: 'exited', exitCode: 3 }))).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(runInfo(container({ state: 'exited', exitCode: 137, name: runContainerName('ab12cd34', 'timed-out') }))).toMatchObject({ status: 'timed out', exitCode: 124 });
    expect(runInfo(container({ state: 'exited', exitCode: 137, name: runContainerName('ab12cd34', 'cancelled') }))).toMatchObject({ status: 'cancelled', exitCode: 130 });
    expect(runInfo(container({ state: 'created', startedAt: '0001-01-01T00:00:00Z' }))).toMatchObject({ status: 'created' });
  });
});

describe('who a run runs as', () => {
  const passwd = 'root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\nnode:x:1000:1000::/home/node:/bin/sh\n';
  it('the image USER when it sets one, else the first ordinary user, else root', () => {
    expect(chooseRunUser({ configured: 'app', passwd: `${passwd}app:x:1001:1002::/:/bin/sh\n` })).toEqual({ user: 'app', uid: 1001, gid: 1002 });
    expect(chooseRunUser({ configured: '', passwd })).toEqual({ user: '1000:1000', uid: 1000, gid: 1000 });
    expect(chooseRunUser({ configured: '', passwd: 'root:x:0:0::/root:/bin/sh\n' })).toEqual({ user: '', uid: 0, gid: 0 });
    expect(chooseRunUser({ configured: '', passwd: '' })).toEqual({ user: '', uid: 0, gid: 0 });
  });
});

describe('the repository as runs show it', () => {
  it('never shows credentials in a URL', () => {
    expect(displayRepo('https://user:s3cret@git.example.com/team/app.git', '/')).toBe('https://git.example.com/team/app.git');
    expect(displayRepo('git@github.com:team/app.git', '/')).toBe('git@github.com:team/app.git');
    expect(displayRepo('../app', '/srv/work')).toBe('/srv/app');
  });
});
