import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../src/core/errors.js';
import { formatLink, parseLink, webSocketUrl } from '../../../src/remote/link.js';

const agentId = 'A'.repeat(42) + 'Q';
const deviceId = 'b'.repeat(21) + 'w';
const deviceSeed = 'k_-' + 'x'.repeat(39) + 'A';
const good = { url: 'http://127.0.0.1:7420/', agentId, deviceId, deviceSeed };

function usageError(text: string): OpenmatesError {
  try {
    parseLink(text);
  } catch (error) {
    expect(error).toBeInstanceOf(OpenmatesError);
    expect((error as OpenmatesError).kind).toBe('usage');
    return error as OpenmatesError;
  }
  throw new Error(`parseLink accepted ${text}`);
}

describe('device links', () => {
  it('formats and parses back the same link', () => {
    const text = formatLink(good);
    expect(text).toBe(`http://127.0.0.1:7420/#v=1&a=${agentId}&d=${deviceId}&k=${deviceSeed}`);
    expect(parseLink(`  ${text}\n`)).toEqual(good);
    expect(webSocketUrl(parseLink(text))).toBe(`ws://127.0.0.1:7420/v1/connect/${agentId}`);
    expect(webSocketUrl({ url: 'https://relay.example/agent/', agentId })).toBe(`wss://relay.example/agent/v1/connect/${agentId}`);
    expect(webSocketUrl({ url: 'https://relay.example', agentId })).toBe(`wss://relay.example/v1/connect/${agentId}`);
  });

  it.each([
    ['not a URL', 'hello', /not a URL/],
    ['another scheme', `ftp://host/#v=1&a=${agentId}&d=${deviceId}&k=${deviceSeed}`, /ftp:/],
    ['no fragment', 'http://127.0.0.1:7420/', /after #/],
    ['no version', `http://h/#a=${agentId}&d=${deviceId}&k=${deviceSeed}`, /no version/],
    ['another version', `http://h/#v=2&a=${agentId}&d=${deviceId}&k=${deviceSeed}`, /version 2; this openmates speaks version 1/],
    ['no agent id', `http://h/#v=1&d=${deviceId}&k=${deviceSeed}`, /agent id \(a=\) is missing/],
    ['a short agent id', `http://h/#v=1&a=${agentId.slice(1)}&d=${deviceId}&k=${deviceSeed}`, /agent id \(a=\) is not 43/],
    ['a device id with padding', `http://h/#v=1&a=${agentId}&d=${deviceId.slice(2)}==&k=${deviceSeed}`, /device id/],
    ['a key with a space', `http://h/#v=1&a=${agentId}&d=${deviceId}&k=${deviceSeed.slice(1)}%20`, /device key/],
    ['a key twice', `http://h/#v=1&a=${agentId}&d=${deviceId}&k=${deviceSeed}&k=${deviceSeed}`, /appears 2 times/],
    ['a cut link', `http://h/#v=1&a=${agentId}&d=${deviceId}&k=${deviceSeed.slice(0, 20)}`, /device key/],
  ])('refuses %s with a usage error that names the part', (_name, text, pattern) => {
    const error = usageError(text);
    expect(error.message).toMatch(pattern);
    expect(error.hint).toBeTruthy();
  });

  it('never repeats the secret key in its errors', () => {
    const error = usageError(`http://h/#v=1&a=${agentId.slice(3)}&d=${deviceId}&k=${deviceSeed}`);
    expect(`${error.message} ${error.hint}`).not.toContain(deviceSeed);
  });
});
