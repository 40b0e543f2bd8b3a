import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../../src/core/errors.js';
import { createFileOps, maskEnvText, sensitivityOfPath } from '../../../../src/core/files/index.js';
import { collect, failure, useTempFolders } from './temp-tree.js';

const newTemp = useTempFolders();

const PEM = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n';

describe('.env masking', () => {
  it('shows names and the last 4 characters of long values; comments and blank lines stay', () => {
    const text = '# keys\nOPENAI_API_KEY=sk-abcdefghijklmnop39d9\n\nexport QUOTED="a long quoted value 1234"\nSHORT=abc\nEMPTY=\nnot an assignment\n';
    expect(maskEnvText(text)).toBe('# keys\nOPENAI_API_KEY=…39d9\n\nexport QUOTED=…1234\nSHORT=…\nEMPTY=\n…\n');
  });

  it('masks a quoted value that spans lines as one value', () => {
    const masked = maskEnvText('CERT="line one\nline two secret\nend 9876"\nNEXT=v\n');
    expect(masked).toBe('CERT=…9876\nNEXT=…\n');
    expect(masked).not.toContain('secret');
  });
});

describe('sensitive paths', () => {
  it.each([
    ['/home/u/.ssh/config', 'secret'],
    ['/home/u/.ssh/authorized_keys', 'secret'],
    ['/srv/id_rsa', 'secret'],
    ['/srv/id_ed25519', 'secret'],
    ['/srv/tls/server.key', 'secret'],
    ['/srv/tls/cert.PEM', 'secret'],
    ['/home/u/.aws/credentials', 'secret'],
    ['/home/u/.config/gcloud/application_default_credentials.json', 'secret'],
    ['/home/u/.azure/accessTokens.json', 'secret'],
    ['/home/u/.docker/config.json', 'secret'],
    ['/home/u/.git-credentials', 'secret'],
    ['/home/u/.netrc', 'secret'],
    ['/home/u/.pypirc', 'secret'],
    ['/home/u/.password-store/web/site.gpg', 'secret'],
    ['/home/u/vault.kdbx', 'secret'],
    ['/srv/app/.env', 'env'],
    ['/srv/app/.env.production', 'env'],
  ])('%s is %s', (path, kind) => {
    expect(sensitivityOfPath(path)?.kind).toBe(kind);
  });

  it.each(['/srv/id_rsa.pub', '/srv/app/config.json', '/srv/app/environment.ts', '/srv/keys.md'])('%s is not sensitive', (path) => {
    expect(sensitivityOfPath(path)).toBeUndefined();
  });
});

describe('reading sensitive files', () => {
  it('a .env file reads masked, with redactedEnv and the masked size', async () => {
    const root = await newTemp();
    await writeFile(join(root, '.env'), 'DATABASE_PASSWORD=supersecretvalue42x1\n# note\n');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const result = await files.read('.env');
    const text = (await collect(result.chunks)).toString();
    expect(text).toBe('DATABASE_PASSWORD=…42x1\n# note\n');
    expect(result).toMatchObject({ redactedEnv: true, size: Buffer.byteLength(text) });
  });

  it('a symlink with an innocent name to a .env file still reads masked', async () => {
    const root = await newTemp();
    await writeFile(join(root, '.env'), 'TOKEN=abcdefghijklmnopqrstu\n');
    await symlink('.env', join(root, 'settings.txt'));
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect((await collect((await files.read('settings.txt')).chunks)).toString()).toBe('TOKEN=…rstu\n');
  });

  it('private keys are refused by name and by content, with the reason', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'id_ed25519'), PEM);
    await writeFile(join(root, 'notes.txt'), `my key:\n${PEM}`);
    await mkdir(join(root, '.ssh'));
    await writeFile(join(root, '.ssh', 'known_hosts'), 'host ssh-ed25519 AAAA');
    const files = createFileOps({ roots: [root], fullAccess: false });
    const byName = await failure(files.read('id_ed25519'));
    expect(byName.kind).toBe('refused');
    expect(byName.message).toContain('private key');
    const byContent = await failure(files.read('notes.txt'));
    expect(byContent.kind).toBe('refused');
    expect(byContent.message).toContain('contains a private key');
    await expect(files.read('.ssh/known_hosts')).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('SSH') });
  });

  it('.npmrc is refused only when it holds a token', async () => {
    const root = await newTemp();
    await mkdir(join(root, 'a'));
    await mkdir(join(root, 'b'));
    await writeFile(join(root, 'a', '.npmrc'), 'registry=https://registry.example/\n');
    await writeFile(join(root, 'b', '.npmrc'), '//registry.example/:_authToken=npm_abcdef\n');
    const files = createFileOps({ roots: [root], fullAccess: false });
    expect((await collect((await files.read('a/.npmrc')).chunks)).toString()).toContain('registry=');
    await expect(files.read('b/.npmrc')).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('npm') });
  });

  it('a secret cannot be copied or moved out to an innocent name; a .env can be copied to another .env name', async () => {
    const root = await newTemp();
    await writeFile(join(root, 'server.key'), PEM);
    await writeFile(join(root, 'hidden.txt'), PEM);
    await writeFile(join(root, '.env'), 'A=abcdefghijklmnopq\n');
    await mkdir(join(root, '.ssh'));
    await writeFile(join(root, '.ssh', 'config'), 'Host x');
    const files = createFileOps({ roots: [root], fullAccess: false });
    await expect(files.copy('server.key', 'server.txt')).rejects.toMatchObject({ kind: 'refused' });
    await expect(files.copy('hidden.txt', 'other.txt')).rejects.toMatchObject({ kind: 'refused' });
    await expect(files.move('server.key', 'plain')).rejects.toMatchObject({ kind: 'refused' });
    await expect(files.copy('.ssh', 'backup-of-ssh')).rejects.toMatchObject({ kind: 'refused' });
    await expect(files.copy('.env', 'env.txt')).rejects.toMatchObject({ kind: 'refused', message: expect.stringContaining('.env') });
    expect((await files.copy('.env', '.env.backup')).dst).toBe(join(root, '.env.backup'));
  });
});
