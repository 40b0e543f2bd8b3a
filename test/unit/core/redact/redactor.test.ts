import { describe, expect, it } from 'vitest';
import { createStaticRedactor, type KnownSecret } from '../../../../src/core/secrets/index.js';

const PASSWORD = 'c0rrect-h0rse-battery-staple';
const secrets: KnownSecret[] = [
  { source: 'install-env', name: 'DATABASE_PASSWORD', value: PASSWORD },
  { source: 'agent-env', name: 'OPENAI_API_KEY', value: 'key with "quotes" & spaces/slashes' },
];
const redactor = createStaticRedactor(secrets);
const TOKEN = '<SECRET:install-env:DATABASE_PASSWORD:c0…le>';

describe('the redactor: known secrets', () => {
  it('replaces a plain value with its token naming source, name and the ends of the value', () => {
    expect(redactor.redact(`password=${PASSWORD}\n`)).toBe(`password=${TOKEN}\n`);
  });

  it('catches the JSON-escaped and URL-encoded forms', () => {
    const value = secrets[1]!.value;
    const json = JSON.stringify({ key: value });
    expect(redactor.redact(json)).not.toContain('quotes');
    expect(redactor.redact(json)).toMatch(/^\{"key":"<SECRET:agent-env:OPENAI_API_KEY(?:\.[a-z0-9]+)?:[^>]+>"\}$/);
    expect(redactor.redact(JSON.stringify(value).replace(/\//g, '\\/'))).toMatch(/^"<SECRET:agent-env:OPENAI_API_KEY(?:\.[a-z0-9]+)?:[^>]+>"$/);
    expect(redactor.redact(`q=${encodeURIComponent(value).replace(/%20/g, '+')}`)).toMatch(/^q=<SECRET:agent-env:OPENAI_API_KEY(?:\.[a-z0-9]+)?:[^>]+>$/);
    const url = `https://x.test/?k=${encodeURIComponent(value)}&a=1`;
    expect(redactor.redact(url)).toMatch(/^https:\/\/x\.test\/\?k=<SECRET:agent-env:OPENAI_API_KEY(?:\.[a-z0-9]+)?:[^>]+>&a=1$/);
  });

  it('catches base64 of the value, standard and url-safe, alone and inside a longer blob at every offset', () => {
    for (const prefix of ['', 'a', 'ab', 'abc', 'abcd']) {
      for (const suffix of ['', '\n', 'x', 'xy']) {
        const blob = Buffer.from(`${prefix}${PASSWORD}${suffix}`);
        for (const encoded of [blob.toString('base64'), blob.toString('base64url')]) {
          const out = redactor.redact(`data: ${encoded} end`);
          expect(out, `${prefix}|${suffix}`).toContain('<SECRET:install-env:DATABASE_PASSWORD:');
          expect(out).not.toContain(Buffer.from(PASSWORD).toString('base64').slice(4, 20));
        }
      }
    }
  });

  it('leaves text without secrets alone, and restore puts known tokens back', () => {
    expect(redactor.redact('nothing to see here')).toBe('nothing to see here');
    expect(redactor.restore(`DB=${TOKEN} other=<SECRET:install-env:NOPE:ab…cd> <POSSIBLE_SECRET:jwt:ey…9x>`)).toBe(
      `DB=${PASSWORD} other=<SECRET:install-env:NOPE:ab…cd> <POSSIBLE_SECRET:jwt:ey…9x>`,
    );
    // A restored base64 form is the base64 text it replaced.
    const encoded = Buffer.from(PASSWORD).toString('base64');
    expect(redactor.restore(redactor.redact(encoded))).toBe(encoded);
  });

  it('gives two forms with the same ends their own tokens, so each restores to what it replaced', () => {
    const quoted = createStaticRedactor([{ source: 'root-env', name: 'PW', value: 'pa"ss/wo\\rd' }]);
    const json = JSON.stringify({ pw: 'pa"ss/wo\\rd' });
    const plain = 'pw=pa"ss/wo\\rd';
    expect(quoted.redact(plain)).toBe('pw=<SECRET:root-env:PW:pa…rd>');
    expect(quoted.redact(json)).toBe('{"pw":"<SECRET:root-env:PW.json:pa…rd>"}');
    expect(quoted.restore(quoted.redact(json))).toBe(json);
    expect(quoted.restore(quoted.redact(plain))).toBe(plain);
  });

  it('skips values shorter than 8 characters', () => {
    const short = createStaticRedactor([{ source: 'agent-env', name: 'X_TOKEN', value: 'abc123' }]);
    expect(short.redact('abc123')).toBe('abc123');
  });

  it('prefers the longest of two secrets that start at the same place', () => {
    const both = createStaticRedactor([
      { source: 'root-env', name: 'SHORT', value: 'prefix-secret' },
      { source: 'root-env', name: 'LONG', value: 'prefix-secret-and-more' },
    ]);
    expect(both.redact('prefix-secret-and-more!')).toBe('<SECRET:root-env:LONG:pr…re>!');
  });
});

describe('the redactor: likely secrets it does not know', () => {
  const cases: [string, string][] = [
    ['api-key', `sk-proj-${'A1b2C3d4'.repeat(4)}`],
    ['github-token', `ghp_${'a1B2c3D4e5'.repeat(4)}`],
    ['github-token', `github_pat_${'11ABCDEFG0'.repeat(3)}`],
    ['aws-access-key', 'AKIAIOSFODNN7EXAMPLE'],
    ['slack-token', 'xoxb-123456789012-abcdefghij'],
    ['gitlab-token', `glpat-${'x1y2z3'.repeat(4)}`],
    ['jwt', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ];
  for (const [kind, value] of cases) {
    it(`finds a ${kind}`, () => {
      const out = redactor.redact(`token: ${value} ok`);
      expect(out).toBe(`token: <POSSIBLE_SECRET:${kind}:${value.slice(0, 2)}…${value.slice(-2)}> ok`);
      expect(redactor.restore(out)).toBe(out);
    });
  }

  it('finds a PEM private key block whole', () => {
    const pem = `-----BEGIN RSA PRIVATE KEY-----\n${'MIIEowIBAAKCAQEA'.repeat(8)}\n-----END RSA PRIVATE KEY-----`;
    expect(redactor.redact(`key:\n${pem}\nafter`)).toBe('key:\n<POSSIBLE_SECRET:private-key:--…-->\nafter');
  });

  it('leaves ordinary words with similar prefixes alone', () => {
    const text = 'task-runner disk-usage sk-short eyJ notAKIAIOSFODNN7EXAMPLEX ghp_short';
    expect(redactor.redact(text)).toBe(text);
  });
});

describe('the stream: a secret split across pieces', () => {
  const text = `before ${PASSWORD} middle ${Buffer.from(`x${PASSWORD}`).toString('base64')} ghp_${'a1B2c3D4e5'.repeat(4)} after`;
  const whole = redactor.redact(text);

  it('gives the same output as redacting the whole text, wherever the text is cut in two', () => {
    for (let cut = 0; cut <= text.length; cut++) {
      const stream = redactor.stream();
      const out = stream.push(text.slice(0, cut)) + stream.push(text.slice(cut)) + stream.end();
      expect(out, `cut at ${cut}`).toBe(whole);
    }
  });

  it('gives the same output when the text comes one character at a time, and holds back no more than it must', () => {
    const stream = redactor.stream();
    let out = '';
    for (const char of text) out += stream.push(char);
    expect(out + stream.end()).toBe(whole);
    const long = redactor.stream();
    expect(long.push('x'.repeat(10_000)).length).toBeGreaterThan(9_000);
  });

  it('holds an unfinished PEM block back until its end arrives', () => {
    const stream = redactor.stream();
    const body = 'MIIEowIBAAKCAQEA'.repeat(40);
    const first = stream.push(`log\n-----BEGIN PRIVATE KEY-----\n${body.slice(0, 300)}`);
    expect(first).not.toContain('MIIE');
    const rest = stream.push(`${body.slice(300)}\n-----END PRIVATE KEY-----\ndone\n`) + stream.end();
    expect(first + rest).toBe('log\n<POSSIBLE_SECRET:private-key:--…-->\ndone\n');
  });
});
