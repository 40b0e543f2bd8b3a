/** Columns from which the QR code goes beside the instructions instead of below them. */
export const SIDE_BY_SIDE_COLUMNS = 80;
const GAP = 2;

/**
 * What `devices add` prints on a terminal: the QR code with the instructions beside it (a
 * terminal ≥ 80 columns: a short link's 39-column, 20-row code and a 39-column text fit 80, the
 * link's 2 rows below them, and the command and the prompt, in 24 rows), else the instructions and
 * the code below them; then the link as text on its own line, so a terminal copies it whole.
 * `instructions` are paragraphs, wrapped here. Plain text only: colours are the caller's.
 */
export function pairingLines(options: { qr: string[]; instructions: string[]; link: string; columns: number | undefined }): string[] {
  const qrWidth = Math.max(0, ...options.qr.map((line) => [...line].length));
  const columns = options.columns ?? SIDE_BY_SIDE_COLUMNS;
  const textWidth = columns - qrWidth - GAP;
  const link = [options.link];
  if (columns >= SIDE_BY_SIDE_COLUMNS && textWidth >= 24) {
    const text = options.instructions.flatMap((paragraph, index) => [...(index > 0 ? [''] : []), ...wrapWords(paragraph, textWidth)]);
    const rows = Math.max(options.qr.length, text.length);
    const block = Array.from({ length: rows }, (_, row) => {
      const left = options.qr[row] ?? '';
      const right = text[row];
      return right === undefined ? left : `${left}${' '.repeat(qrWidth - [...left].length + GAP)}${right}`;
    });
    return [...block, ...link];
  }
  const width = Math.max(20, columns);
  return [...options.instructions.flatMap((paragraph) => [...wrapWords(paragraph, width), '']), ...options.qr, ...link];
}

/** Words into lines of at most `width` characters; a longer word (a command, a path) is cut. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let rest = word;
    while ([...rest].length > width) {
      if (line) lines.push(line);
      line = '';
      lines.push([...rest].slice(0, width).join(''));
      rest = [...rest].slice(width).join('');
    }
    if (!line) line = rest;
    else if ([...line].length + 1 + [...rest].length <= width) line += ` ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  if (line) lines.push(line);
  return lines;
}
