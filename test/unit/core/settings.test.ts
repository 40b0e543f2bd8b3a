import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSettings, readSettingsFile } from '../../../src/core/settings.js';
import { OpenmatesError } from '../../../src/core/errors.js';

describe('settings', () => {
  const saved = process.env.XDG_CONFIG_HOME;
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'om-settings-'));
    process.env.XDG_CONFIG_HOME = home;
  });
  afterEach(() => {
    process.env.XDG_CONFIG_HOME = saved;
  });

  it('starts with defaults and safety mode unasked, and keeps what is set', async () => {
    const settings = await openSettings();
    expect(settings.path).toBe(join(home, 'openmates', 'config.json'));
    expect(settings.read()).toEqual({ updateCheck: true, updateChannel: 'stable', approvalTimeoutSeconds: 600, undoMaxBytes: 1024 ** 3, undoMaxAgeDays: 7 });
    settings.update({ safetyMode: true });
    expect((await openSettings()).read().safetyMode).toBe(true);
    expect(await readSettingsFile()).toEqual({ safetyMode: true, updateCheck: true, updateChannel: 'stable', approvalTimeoutSeconds: 600, undoMaxBytes: 1024 ** 3, undoMaxAgeDays: 7 });
  });

  it('names a corrupt file instead of resetting it', async () => {
    await mkdir(join(home, 'openmates'), { recursive: true });
    await writeFile(join(home, 'openmates', 'config.json'), '{ not json');
    const error = await openSettings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('invalid-config');
    expect((error as OpenmatesError).message).toContain(join(home, 'openmates', 'config.json'));
    const direct = await readSettingsFile().catch((e: unknown) => e);
    expect((direct as OpenmatesError).kind).toBe('invalid-config');
  });
});
