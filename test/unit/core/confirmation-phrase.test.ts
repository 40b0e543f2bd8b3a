import { describe, expect, it } from 'vitest';
import { OpenmatesError } from '../../../src/core/errors.js';
import { confirmationPhrase, phraseMatches, requireConfirmation } from '../../../src/core/safety/confirmation-phrase.js';
import { exitCodeFor } from '../../../src/cli/exit-codes.js';

const phrase = confirmationPhrase('reset', 'openmates-core', 'box-7');

function refusal(given: string | undefined): OpenmatesError {
  try {
    requireConfirmation(given, phrase, 'the reset');
  } catch (error) {
    return error as OpenmatesError;
  }
  throw new Error('requireConfirmation let it through');
}

describe('the confirmation phrase', () => {
  it('names the action, the instance and the machine', () => {
    expect(phrase).toBe('reset openmates-core on box-7');
    expect(confirmationPhrase('uninstall', 'openmates-core', 'box-7')).toBe('uninstall openmates-core on box-7');
    expect(confirmationPhrase('restore', 'openmates-core', 'box-7')).toBe('restore openmates-core on box-7');
  });

  it('matches only exactly: case, spaces, the host and the verb all count', () => {
    expect(phraseMatches('reset openmates-core on box-7', phrase)).toBe(true);
    for (const wrong of [
      'Reset openmates-core on box-7',
      'RESET OPENMATES-CORE ON BOX-7',
      'reset openmates-core on box-7 ',
      ' reset openmates-core on box-7',
      'reset  openmates-core on box-7',
      'reset openmates-core on box-7\n',
      'reset\topenmates-core on box-7',
      'reset openmates-core on box-8',
      'reset openmates-core on prod-1',
      'uninstall openmates-core on box-7',
      'reset openmates-core',
      '',
    ]) {
      expect(phraseMatches(wrong, phrase), JSON.stringify(wrong)).toBe(false);
    }
    expect(phraseMatches(undefined, phrase)).toBe(false);
  });

  it('a missing phrase is refused with exit 14 and the phrase to pass', () => {
    const error = refusal(undefined);
    expect(error.kind).toBe('confirmation-required');
    expect(exitCodeFor(error.kind)).toBe(14);
    expect(error.message).toContain('nothing was deleted');
    expect(error.hint).toContain('--confirm "reset openmates-core on box-7"');
    expect(error.hint).toContain('--yes never deletes data');
  });

  it('a wrong phrase (another host\'s) is refused, naming the right one', () => {
    const error = refusal('reset openmates-core on prod-1');
    expect(error.kind).toBe('confirmation-required');
    expect(error.message).toContain('does not match');
    expect(error.hint).toContain('reset openmates-core on box-7');
    expect(error.details.join('\n')).toContain('"reset openmates-core on prod-1"');
  });

  it('lets the exact phrase through', () => {
    expect(() => requireConfirmation(phrase, phrase, 'the reset')).not.toThrow();
  });
});
