import qrcodeTerminal from 'qrcode-terminal';

/**
 * A link as a QR code in text, two modules per character row (qrcode-terminal's small mode, error
 * level L): about (modules + 2) columns by (modules + 1) / 2 + 1 rows, e.g. 31x16 for a link of up
 * to 53 characters. Light modules are drawn with blocks, so it reads as a normal code when the
 * blocks are light on a dark background (the faces set those colours).
 */
export function qrCodeLines(link: string): string[] {
  let text = '';
  qrcodeTerminal.generate(link, { small: true }, (output) => {
    text = output;
  });
  return text.split('\n').filter((line) => line.length > 0);
}

/** Columns and rows `qrCodeLines(link)` takes. */
export function qrCodeSize(lines: readonly string[]): { columns: number; rows: number } {
  return { columns: Math.max(0, ...lines.map((line) => [...line].length)), rows: lines.length };
}
