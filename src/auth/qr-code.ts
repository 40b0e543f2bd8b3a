import { create } from 'qrcode/lib/core/qrcode.js';

/**
 * A link as a QR code in text, two modules per character row, error level L, a one-module quiet
 * zone: (modules + 2) columns by (modules + 3) / 2 rows, e.g. 39x20 for a version 5 code (a short
 * device link). The encoder picks the densest mode per run of characters, so an upper-case base32
 * fragment costs 5.5 bits a character instead of 8. Light modules are drawn with blocks, so it
 * reads as a normal code when the blocks are light on a dark background (the faces set those
 * colours).
 */
export function qrCodeLines(link: string): string[] {
  const { modules } = create(link, { errorCorrectionLevel: 'L' });
  const size = modules.size;
  // Inside the code a light module is a 0; the quiet zone around it is light; below it, the terminal.
  const light = (row: number, column: number) => row <= size && (row < 0 || column < 0 || column >= size || row === size || modules.get(row, column) === 0);
  const lines: string[] = [];
  for (let row = -1; row <= size; row += 2) {
    let line = '';
    for (let column = -1; column <= size; column++) {
      const top = light(row, column);
      const bottom = light(row + 1, column);
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return lines;
}

/** Columns and rows `qrCodeLines(link)` takes. */
export function qrCodeSize(lines: readonly string[]): { columns: number; rows: number } {
  return { columns: Math.max(0, ...lines.map((line) => [...line].length)), rows: lines.length };
}
