import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSecretRedactor } from '../../../../src/core/secrets/index.js';

let home: string;
let installDir: string;
let root: string;
let sessionFile: string;
let clock: number;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'omt-secrets-'));
  installDir = join(home, 'install');
  root = join(home, 'root');
  sessionFile = join(home, 'state', 'session.json');
  await mkdir(installDir, { recursive: true });
  await mkdir(join(root, 'app', 'config'), { recursive: true });
  await mkdir(join(home, 'state'), { recursive: true });
  clock = 1_000_000;
});

const redactor = (env: NodeJS.ProcessEnv = {}) => createSecretRedactor({ installDir, roots: [root], env, sessionFile, now: () => clock });

describe('where the known secrets come from', () => {
  it("the install's .env: the stack's declared secrets and secret-named values, not its configuration", async () => {
    await writeFile(join(installDir, 'openmates-stack.yml'), 'name: omt\nsecrets:\n  - name: SELF_HOST_FIRST_INVITE_CODE\n    digits: [4, 4, 4]\n');
    await writeFile(join(installDir, '.env'), 'DATABASE_PASSWORD=5f2b9c0e7d1a4b3c8e6f\nSELF_HOST_FIRST_INVITE_CODE=1234-5678-9012\nOPENMATES_IMAGE_REGISTRY=127.0.0.1:5000/openmates\nSTACK_ID=omt-abcdef12\n');
    const secrets = redactor();
    expect(secrets.redact('pw 5f2b9c0e7d1a4b3c8e6f code 1234-5678-9012 from 127.0.0.1:5000/openmates omt-abcdef12')).toBe(
      'pw <SECRET:install-env:DATABASE_PASSWORD:5f…6f> code <SECRET:install-env:SELF_HOST_FIRST_INVITE_CODE:12…12> from 127.0.0.1:5000/openmates omt-abcdef12',
    );
  });

  it("the agent's environment: *_KEY, *_SECRET, *_TOKEN, *_PASSWORD, *_PAT of 8+ characters", () => {
    const secrets = redactor({ OPENAI_API_KEY: 'sk-not-shaped-1', CI_JOB_TOKEN: 'tok-abcdefgh', GH_PAT: 'pat-12345678', SHORT_TOKEN: 'abc', HOME: '/home/someone-long', APP_SECRET: 'shh-very-secret' });
    expect(secrets.redact('sk-not-shaped-1 tok-abcdefgh pat-12345678 abc /home/someone-long shh-very-secret')).toBe(
      '<SECRET:agent-env:OPENAI_API_KEY:sk…-1> <SECRET:agent-env:CI_JOB_TOKEN:to…gh> <SECRET:agent-env:GH_PAT:pa…78> abc /home/someone-long <SECRET:agent-env:APP_SECRET:sh…et>',
    );
  });

  it('.env files in the roots, found below the top and read again when they change or appear', async () => {
    await writeFile(join(root, 'app', 'config', '.env.local'), 'STRIPE_KEY=rk_abcdefghijklmnop\nNODE_ENV=production\nPORT=8080\nDB_URL=postgres://u:pa55word@db/x\n');
    await writeFile(join(root, '.env.example'), 'STRIPE_KEY=put-your-key-here\n');
    const secrets = redactor();
    expect(secrets.redact('rk_abcdefghijklmnop production 8080 put-your-key-here')).toBe('<SECRET:root-env:STRIPE_KEY:rk…op> production 8080 put-your-key-here');
    expect(secrets.redact('postgres://u:pa55word@db/x')).toBe('<SECRET:root-env:DB_URL:po…/x>');

    await writeFile(join(root, 'app', 'config', '.env.local'), 'STRIPE_KEY=rk_changed-value-42\n');
    clock += 1000;
    expect(secrets.redact('rk_changed-value-42 rk_abcdefghijklmnop')).toBe('<SECRET:root-env:STRIPE_KEY:rk…42> rk_abcdefghijklmnop');

    await writeFile(join(root, '.env'), 'NEW_TOKEN=brand-new-value\n');
    clock += 1000;
    expect(secrets.redact('brand-new-value'), 'before the roots are walked again').toBe('brand-new-value');
    await secrets.rootsChanged();
    expect(secrets.redact('brand-new-value')).toBe('<SECRET:root-env:NEW_TOKEN:br…ue>');

    await mkdir(join(root, 'later'), { recursive: true });
    await writeFile(join(root, 'later', '.env'), 'LATER_KEY=written-by-the-agent\n');
    secrets.fileWritten(join(root, 'later', '.env'));
    expect(secrets.redact('written-by-the-agent')).toBe('<SECRET:root-env:LATER_KEY:wr…nt>');
    await writeFile(join(home, '.env'), 'OUTSIDE_KEY=outside-the-roots\n');
    secrets.fileWritten(join(home, '.env'));
    expect(secrets.redact('outside-the-roots')).toBe('outside-the-roots');
  });

  it("the login session's secrets, and the install's .env read again after a change without a restart", async () => {
    await writeFile(sessionFile, JSON.stringify({ version: 1, sessionId: 'session-id-0123456789', wsToken: 'ws-token-abcdefgh', masterKey: 'bWFzdGVyLWtleS1iYXNlNjQ=', cookies: { auth_refresh: 'cookie-value-xyz123' }, account: { username: 'me' } }));
    const secrets = redactor();
    expect(secrets.redact('session-id-0123456789 ws-token-abcdefgh bWFzdGVyLWtleS1iYXNlNjQ= cookie-value-xyz123 me')).toBe(
      '<SECRET:login:sessionId:se…89> <SECRET:login:wsToken:ws…gh> <SECRET:login:masterKey:bW…Q=> <SECRET:login:cookie.auth_refresh:co…23> me',
    );
    await writeFile(join(installDir, '.env'), 'DATABASE_PASSWORD=added-after-start\n');
    expect(secrets.redact('added-after-start'), 'checked at most every 250 ms').toBe('added-after-start');
    clock += 300;
    expect(secrets.redact('added-after-start')).toBe('<SECRET:install-env:DATABASE_PASSWORD:ad…rt>');
    expect(secrets.restore('<SECRET:install-env:DATABASE_PASSWORD:ad…rt>')).toBe('added-after-start');
  });
});
