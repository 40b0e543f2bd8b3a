// A CommonJS package: its default import is module.exports, whose `default` is the decoder.
import jsQR from 'jsqr';

const PIXELS_PER_MODULE = 4;
/** Terminal background around the drawn code, in modules: as a camera sees a code on a dark terminal. */
const SURROUNDING = 4;

/**
 * Reads a QR code drawn with half blocks (qrCodeLines, or a capture of a terminal showing one)
 * back into its text, as a phone's camera would: a block's halves are light modules (light on a
 * dark terminal), a space is two dark ones, and the terminal around the drawing is dark.
 * undefined when no code can be read.
 */
export function decodeQrText(lines: readonly string[]): string | undefined {
  const rows = lines.map((line) => [...line]);
  const columns = Math.max(...rows.map((row) => row.length));
  const width = (columns + 2 * SURROUNDING) * PIXELS_PER_MODULE;
  const height = (rows.length * 2 + 2 * SURROUNDING) * PIXELS_PER_MODULE;
  const image = new Uint8ClampedArray(width * height * 4);
  for (let index = 3; index < image.length; index += 4) image[index] = 255; // opaque black
  const paint = (moduleRow: number, moduleColumn: number) => {
    for (let y = 0; y < PIXELS_PER_MODULE; y++) {
      for (let x = 0; x < PIXELS_PER_MODULE; x++) {
        const offset = (((moduleRow + SURROUNDING) * PIXELS_PER_MODULE + y) * width + (moduleColumn + SURROUNDING) * PIXELS_PER_MODULE + x) * 4;
        image.fill(255, offset, offset + 3);
      }
    }
  };
  for (const [row, chars] of rows.entries()) {
    for (const [column, char] of chars.entries()) {
      if (char === '█' || char === '▀') paint(row * 2, column);
      if (char === '█' || char === '▄') paint(row * 2 + 1, column);
    }
  }
  return jsQR.default(image, width, height, { inversionAttempts: 'dontInvert' })?.data;
}
