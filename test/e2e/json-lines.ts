/** Reads the CLI's --json output: one object per line, the last one the result or the error. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function finalObject(stdout: string): Record<string, unknown> {
  const lines = jsonLines(stdout);
  const last = lines.at(-1);
  if (!last) throw new Error('the CLI printed no JSON');
  return last;
}
