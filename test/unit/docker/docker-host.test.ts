import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEndpoint, parseDockerHost } from '../../../src/docker/docker-host.js';

describe('describeEndpoint', () => {
  it.each([
    [{}, 'unix:///var/run/docker.sock'],
    [{ DOCKER_HOST: '' }, 'unix:///var/run/docker.sock'],
    [{ DOCKER_HOST: 'unix:///tmp/om-engine/docker.sock' }, 'unix:///tmp/om-engine/docker.sock'],
    [{ DOCKER_HOST: 'unix://' }, 'unix:///var/run/docker.sock'],
    [{ DOCKER_HOST: 'tcp://10.0.0.2:2375' }, 'tcp://10.0.0.2:2375'],
    [{ DOCKER_HOST: 'tcp://docker.example.org' }, 'tcp://docker.example.org:2375'],
    [{ DOCKER_HOST: 'tcp://docker.example.org', DOCKER_TLS_VERIFY: '1' }, 'tcp://docker.example.org:2376'],
    [{ DOCKER_HOST: '127.0.0.1:2375' }, 'tcp://127.0.0.1:2375'],
    [{ DOCKER_HOST: 'tcp://[::1]:2375' }, 'tcp://[::1]:2375'],
    [{ DOCKER_HOST: 'ssh://deploy@server.example.org' }, 'ssh://deploy@server.example.org'],
    [{ DOCKER_HOST: 'ssh://deploy:secret@server.example.org:2222' }, 'ssh://deploy@server.example.org:2222'],
    [{ DOCKER_HOST: 'npipe:////./pipe/docker_engine' }, 'npipe:////./pipe/docker_engine'],
  ])('%o is %s', (env, expected) => {
    expect(describeEndpoint(env)).toBe(expected);
  });

  it('never shows an SSH password', () => {
    expect(describeEndpoint({ DOCKER_HOST: 'ssh://me:hunter2@host' })).not.toContain('hunter2');
  });

  it('shows an unusable DOCKER_HOST as written', () => {
    expect(describeEndpoint({ DOCKER_HOST: 'fd://' })).toBe('fd://');
  });
});

describe('parseDockerHost', () => {
  it('uses TLS with the certificates in DOCKER_CERT_PATH', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' })).toEqual({
      ok: true,
      host: { kind: 'tcp', host: 'h', port: 2376, tls: true, certPath: '/certs' },
    });
  });

  it('looks for certificates in ~/.docker when only DOCKER_TLS_VERIFY is set', () => {
    const parsed = parseDockerHost({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' });
    expect(parsed).toEqual({ ok: true, host: { kind: 'tcp', host: 'h', port: 2376, tls: true, certPath: join(homedir(), '.docker') } });
  });

  it('speaks https to port 2376 like docker-modem, plain http to 2375', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2376' })).toMatchObject({ host: { tls: true } });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2375' })).toMatchObject({ host: { tls: false } });
    expect(parseDockerHost({ DOCKER_HOST: 'tcp://h:2375', DOCKER_TLS_VERIFY: '0' })).toMatchObject({ host: { tls: false } });
  });

  it('reads the SSH user and port', () => {
    expect(parseDockerHost({ DOCKER_HOST: 'ssh://deploy@server:2222' })).toEqual({
      ok: true,
      host: { kind: 'ssh', host: 'server', port: 2222, username: 'deploy' },
    });
  });

  it('refuses schemes Docker does not have', () => {
    const parsed = parseDockerHost({ DOCKER_HOST: 'fd://' });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toMatch(/unix:\/\/, tcp:\/\/ or ssh:\/\//);
  });
});
