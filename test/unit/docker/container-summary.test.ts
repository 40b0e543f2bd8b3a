import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { summarizeContainer, type InspectedContainer, type ListedContainer } from '../../../src/docker/container-summary.js';
import { encodeFrame } from '../../../src/docker/demux.js';
import { readLogLines } from '../../../src/docker/log-lines.js';

const listed: ListedContainer = {
  Id: 'abc',
  Names: ['/om_web_1'],
  Image: '127.0.0.1:5055/t1:v1',
  State: 'running',
  Labels: { 'com.docker.compose.project': 'om', 'com.docker.compose.service': 'web' },
  Ports: [
    { IP: '127.0.0.1', PrivatePort: 8000, PublicPort: 18740, Type: 'tcp' },
    { PrivatePort: 9000, Type: 'tcp' },
  ],
};

const inspected: InspectedContainer = {
  Id: 'abc',
  Name: '/om_web_1',
  RestartCount: 2,
  State: { Status: 'running', ExitCode: 0, StartedAt: '2026-01-02T03:04:05.6Z', Health: { Status: 'healthy' } },
  Config: { Image: '127.0.0.1:5055/t1:v1', Tty: false, Labels: listed.Labels },
  HostConfig: { RestartPolicy: { Name: 'unless-stopped' } },
};

describe('summarizeContainer', () => {
  it('combines list and inspect', () => {
    expect(summarizeContainer(listed, inspected)).toEqual({
      id: 'abc',
      name: 'om_web_1',
      service: 'web',
      image: '127.0.0.1:5055/t1:v1',
      state: 'running',
      health: 'healthy',
      exitCode: 0,
      startedAt: '2026-01-02T03:04:05.6Z',
      restartCount: 2,
      restartPolicy: 'unless-stopped',
      ports: [{ hostIp: '127.0.0.1', hostPort: 18740, containerPort: 8000 }],
    });
  });

  it('leaves out what a never-started container without healthcheck does not have', () => {
    const summary = summarizeContainer(
      { ...listed, State: 'created', Ports: [] },
      { ...inspected, State: { Status: 'created', ExitCode: 0, StartedAt: '0001-01-01T00:00:00Z' }, HostConfig: { RestartPolicy: { Name: '' } } },
    );
    expect(summary.state).toBe('created');
    expect(summary).not.toHaveProperty('health');
    expect(summary).not.toHaveProperty('startedAt');
    expect(summary.restartPolicy).toBe('no');
  });
});

describe('readLogLines', () => {
  const log = Buffer.concat([encodeFrame('stdout', 'one\ntwo\n'), encodeFrame('stderr', 'three\n'), encodeFrame('stdout', 'four')]);

  it('demultiplexes a stream cut into odd chunks and keeps the last lines', async () => {
    const chunks = [log.subarray(0, 3), log.subarray(3, 13), log.subarray(13, 20), log.subarray(20)];
    expect(await readLogLines(Readable.from(chunks), true, 10)).toEqual(['one', 'two', 'three', 'four']);
    expect(await readLogLines(Readable.from(chunks), true, 2)).toEqual(['three', 'four']);
    expect(await readLogLines(Readable.from(chunks), true, 0)).toEqual([]);
  });

  it('reads TTY output as is', async () => {
    expect(await readLogLines(Readable.from([Buffer.from('a\r\nb\r\n')]), false, 5)).toEqual(['a', 'b']);
  });
});
