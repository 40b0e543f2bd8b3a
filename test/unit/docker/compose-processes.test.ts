import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { composeProcessesOf, isComposeFor, waitForComposeRuns } from '../../../src/docker/compose-processes.js';

describe('Compose runs another process left behind', () => {
  it('recognises Compose v1 and v2 working on the project, and nothing else', () => {
    expect(isComposeFor(['/usr/bin/python3', '/usr/bin/docker-compose', '-p', 'demo', '-f', '/x.yml', 'up', '-d'], 'demo')).toBe(true);
    expect(isComposeFor(['docker', 'compose', '-p', 'demo', 'up', '-d'], 'demo')).toBe(true);
    expect(isComposeFor(['/usr/libexec/docker/cli-plugins/docker-compose', 'compose', '--project-name', 'demo', 'up'], 'demo')).toBe(true);
    expect(isComposeFor(['docker-compose', '-p', 'demo-2', 'up'], 'demo')).toBe(false);
    expect(isComposeFor(['vim', '-p', 'demo'], 'demo')).toBe(false);
  });

  it('finds a live one in /proc, waits for it, and stops it at the deadline', async () => {
    // A stand-in whose command line looks like Compose working on a unique project.
    const project = `omt-unit-${process.pid}`;
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'docker-compose', '-p', project, 'up'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await composeProcessesOf(project)).toEqual([child.pid]);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const started = Date.now();
      expect(await waitForComposeRuns(project, 300)).toEqual([child.pid]);
      await exited;
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(await composeProcessesOf(project)).toEqual([]);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
