import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** A private sshd on a loopback port: its own host key, one authorized key, never the system's config. */
export interface PrivateSshd {
  /** ssh arguments that reach it through a ControlMaster connection (opened by `warm()`). */
  sshArgs: string[];
  warm(): Promise<void>;
  close(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

async function ensureOpensshServer(): Promise<void> {
  if (existsSync(SSHD)) return;
  console.log('installing openssh-server for the benchmark (apt-get)…');
  // The package must not start a system sshd: while it installs, policy-rc.d (Debian's switch for
  // maintainer scripts) answers "not now" to every service start; it is removed again afterwards.
  const policy = '/usr/sbin/policy-rc.d';
  const ownPolicy = !existsSync(policy);
  if (ownPolicy) await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    await execa('apt-get', ['install', '-y', '--no-install-recommends', 'openssh-server'], { env: { DEBIAN_FRONTEND: 'noninteractive' }, stdio: 'inherit' });
  } finally {
    if (ownPolicy) await rm(policy, { force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startPrivateSshd(): Promise<PrivateSshd> {
  await ensureOpensshServer();
  const dir = await mkdtemp(join(tmpdir(), 'omt-bench-sshd-'));
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'client_key')]);
  await execa('cp', [join(dir, 'client_key.pub'), join(dir, 'authorized_keys')]);
  const port = await freePort();
  await writeFile(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  await execa('mkdir', ['-p', '/run/sshd']);
  const daemon: ResultPromise = execa(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { reject: false, stdin: 'ignore' });
  const control = join(dir, 'control.sock');
  const sshArgs = [
    '-p', String(port),
    '-i', join(dir, 'client_key'),
    '-o', 'StrictHostKeyChecking=no',
    '-o', `UserKnownHostsFile=${join(dir, 'known_hosts')}`,
    '-o', 'BatchMode=yes',
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${control}`,
    '-o', 'ControlPersist=120',
    '127.0.0.1',
  ];
  return {
    sshArgs,
    async warm() {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const result = await execa('ssh', [...sshArgs, 'true'], { reject: false });
        if (result.exitCode === 0) return;
        if (Date.now() > deadline) throw new Error(`the private sshd did not answer: ${result.stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
    async close() {
      await execa('ssh', [...sshArgs.slice(0, -1), '-O', 'exit', '127.0.0.1'], { reject: false });
      daemon.kill('SIGTERM');
      await daemon;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
