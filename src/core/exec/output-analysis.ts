/** A short description of a command's output, so a client (or an AI) knows what it got back. */
export type OutputKind = 'json' | 'table' | 'errors' | 'text' | 'empty';

export interface OutputAnalysis {
  lines: number;
  looksLike: OutputKind;
}

const ERROR_WORDS = /\b(error|failed|failure|fatal|denied|not found|no such|exception|traceback|panic)\b/i;

function countLines(text: string): number {
  if (text.length === 0) return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

function isJson(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    // JSON lines: every line an object or array.
    const lines = trimmed.split('\n').filter((line) => line.trim() !== '');
    return lines.length > 1 && lines.every((line) => {
      try {
        return typeof JSON.parse(line) === 'object';
      } catch {
        return false;
      }
    });
  }
}

/** At least two lines that split into the same number (2+) of columns at runs of spaces or tabs. */
function isTable(text: string): boolean {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  const columns = lines.map((line) => line.trim().split(/\t|\s{2,}/).length);
  const counts = new Map<number, number>();
  for (const count of columns) counts.set(count, (counts.get(count) ?? 0) + 1);
  const [common, times] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  return common >= 2 && times / lines.length >= 0.8;
}

export function analyseOutput(stdout: string, stderr: string, exitCode: number | null): OutputAnalysis {
  const lines = countLines(stdout);
  if (stdout.trim() === '' && stderr.trim() === '') return { lines, looksLike: 'empty' };
  if (isJson(stdout)) return { lines, looksLike: 'json' };
  const failed = exitCode !== 0 && stderr.trim() !== '';
  if (failed || (stdout.trim() === '' && ERROR_WORDS.test(stderr))) return { lines, looksLike: 'errors' };
  if (isTable(stdout)) return { lines, looksLike: 'table' };
  return { lines, looksLike: 'text' };
}
