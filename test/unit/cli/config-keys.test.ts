import { describe, expect, it } from 'vitest';
import { checkValue, configKey, parseDuration, parseSize } from '../../../src/cli/commands/config-keys.js';
import { settingsSchema } from '../../../src/core/settings-schema.js';

describe('config keys', () => {
  it('reads durations and sizes as people write them', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('10m')).toBe(600);
    expect(parseDuration('7d')).toBe(604_800);
    expect(parseDuration('10')).toBeUndefined();
    expect(parseSize('1GiB')).toBe(1024 ** 3);
    expect(parseSize('512MiB')).toBe(512 * 1024 ** 2);
    expect(parseSize('2GB')).toBe(2e9);
    expect(parseSize('1 GiB')).toBeUndefined();
  });

  it('shows the remote-access defaults in the units they are set in', () => {
    const defaults = settingsSchema.parse({});
    expect(configKey('approval-timeout').show(defaults)).toBe('10m');
    expect(configKey('undo-max-size').show(defaults)).toBe('1GiB');
    expect(configKey('undo-max-age').show(defaults)).toBe('7d');
  });

  it('turns a value into the setting, and refuses one out of range with an example', () => {
    const key = configKey('approval-timeout');
    expect(key.patch(checkValue(key, '30m'))).toEqual({ approvalTimeoutSeconds: 1800 });
    expect(() => checkValue(key, '2s')).toThrow(/approval-timeout takes a value like 10m, 30m, 1h, not "2s"/);
    expect(() => checkValue(configKey('undo-max-size'), 'lots')).toThrow(/undo-max-size takes a value like 1GiB/);
    expect(configKey('undo-max-age').patch('24h')).toEqual({ undoMaxAgeDays: 1 });
    expect(() => checkValue(configKey('safety-mode'), 'maybe')).toThrow(/safety-mode takes on or off, not "maybe"/);
  });
});
