import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerSocketGroupId } from '../../../src/docker/socket-group.js';

describe("the Docker socket's group id", () => {
  it('is the group of /var/run/docker.sock when it exists, else of the socket we talk to', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'om-socket-'));
    const ours = join(dir, 'docker.sock');
    await writeFile(ours, '');
    const gid = (await stat(ours)).gid;
    expect(await dockerSocketGroupId(`unix://${ours}`, join(dir, 'missing.sock'))).toBe(gid);
    expect(await dockerSocketGroupId(`unix://${join(dir, 'gone.sock')}`, ours)).toBe(gid);
    expect(await dockerSocketGroupId(`unix://${join(dir, 'gone.sock')}`, join(dir, 'missing.sock'))).toBeUndefined();
  });

  it('is unknown for an engine on another machine', async () => {
    expect(await dockerSocketGroupId('tcp://10.0.0.5:2376')).toBeUndefined();
    expect(await dockerSocketGroupId('ssh://admin@server')).toBeUndefined();
  });
});
