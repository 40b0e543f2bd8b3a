import { describe, expect, it } from 'vitest';
import { coalescedWriter, writePieces } from '../../../src/web/app/views/terminal-input.js';
import { arrowSequence, controlCode, stickyCtrl } from '../../../src/web/app/views/terminal-key-codes.js';

describe('the Terminal view’s keys', () => {
  it('Ctrl and a key: the control code of a letter (either case) and of @[\\]^_, NUL for Space, DEL for ?, anything else as it is', () => {
    expect(controlCode('c')).toBe('\x03');
    expect(controlCode('C')).toBe('\x03');
    expect(controlCode('a')).toBe('\x01');
    expect(controlCode('z')).toBe('\x1a');
    expect(controlCode('[')).toBe('\x1b');
    expect(controlCode('\\')).toBe('\x1c');
    expect(controlCode('@')).toBe('\x00');
    expect(controlCode(' ')).toBe('\x00');
    expect(controlCode('?')).toBe('\x7f');
    expect(controlCode('1')).toBe('1');
    expect(controlCode('|')).toBe('|');
    expect(controlCode('\x1b[A')).toBe('\x1b[A');
  });

  it('the sticky Ctrl applies to the next key only, then lets go', () => {
    const heard: boolean[] = [];
    const ctrl = stickyCtrl((armed) => heard.push(armed));
    expect(ctrl.apply('c')).toBe('c');
    ctrl.toggle();
    expect(ctrl.armed).toBe(true);
    expect(ctrl.apply('c')).toBe('\x03');
    expect(ctrl.armed).toBe(false);
    expect(ctrl.apply('c')).toBe('c');
    ctrl.toggle();
    ctrl.toggle();
    expect(ctrl.apply('d')).toBe('d');
    expect(heard).toEqual([true, false, true, false]);
  });

  it('arrows: CSI normally, SS3 in application cursor mode, the Ctrl-modified CSI with Ctrl', () => {
    expect(arrowSequence('up', false)).toBe('\x1b[A');
    expect(arrowSequence('down', false)).toBe('\x1b[B');
    expect(arrowSequence('right', true)).toBe('\x1bOC');
    expect(arrowSequence('left', true)).toBe('\x1bOD');
    expect(arrowSequence('left', true, true)).toBe('\x1b[1;5D');
  });
});

describe('the Terminal view’s input', () => {
  it('what is typed within one frame goes as one write, in order, one write at a time', async () => {
    const frames: (() => void)[] = [];
    const writes: string[] = [];
    let inFlight = 0;
    let most = 0;
    const writer = coalescedWriter(
      async (data) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        writes.push(data);
        inFlight--;
      },
      (error) => {
        throw error;
      },
      (run) => frames.push(run),
    );
    writer.push('e');
    writer.push('c');
    writer.push('ho');
    expect(frames).toHaveLength(1);
    frames.shift()!();
    writer.push(' hi\r');
    frames.shift()!();
    await writer.drained();
    expect(writes).toEqual(['echo', ' hi\r']);
    expect(most).toBe(1);
  });

  it('a long paste goes in pieces the wire takes, never splitting a character made of two UTF-16 units', () => {
    expect(writePieces('abcdefg', 3)).toEqual(['abc', 'def', 'g']);
    expect(writePieces('ab😀cd', 3)).toEqual(['ab', '😀c', 'd']);
    expect(writePieces('', 3)).toEqual([]);
    expect(writePieces('x'.repeat(40_000)).map((piece) => piece.length)).toEqual([16_384, 16_384, 7232]);
  });
});
