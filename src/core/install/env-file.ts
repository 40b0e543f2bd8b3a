import { chmod, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * A .env file as lines, so rewriting it keeps the user's comments, order and extra variables.
 * Values are written unquoted when safe, double-quoted otherwise (both Compose v1 and v2 read that).
 */
export class EnvFile {
  private constructor(private readonly lines: string[]) {}

  static parse(text: string): EnvFile {
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    return new EnvFile(lines);
  }

  static empty(): EnvFile {
    return new EnvFile([]);
  }

  get(name: string): string | undefined {
    const index = this.indexOf(name);
    return index === -1 ? undefined : unquote(this.lines[index]!.slice(this.lines[index]!.indexOf('=') + 1));
  }

  /** True when the variable is missing or set to an empty value. */
  isEmpty(name: string): boolean {
    return (this.get(name) ?? '') === '';
  }

  set(name: string, value: string): void {
    const line = `${name}=${quote(value)}`;
    const index = this.indexOf(name);
    if (index === -1) this.lines.push(line);
    else this.lines[index] = line;
  }

  toRecord(): Record<string, string> {
    return Object.fromEntries(this.names().map((name) => [name, this.get(name) ?? '']));
  }

  names(): string[] {
    return this.lines.map(variableName).filter((name): name is string => name !== undefined);
  }

  toString(): string {
    return this.lines.length === 0 ? '' : `${this.lines.join('\n')}\n`;
  }

  private indexOf(name: string): number {
    return this.lines.findIndex((line) => variableName(line) === name);
  }
}

function variableName(line: string): string | undefined {
  return /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
}

function quote(value: string): string {
  return /^[A-Za-z0-9_./:@,+-]*$/.test(value) ? value : `"${value.replace(/(["\\$])/g, '\\$1')}"`;
}

function unquote(raw: string): string {
  const value = raw.trim();
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1).replace(/\\(["\\$])/g, '$1');
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value.replace(/\s+#.*$/, '');
}

export async function readEnvFile(path: string): Promise<EnvFile | undefined> {
  try {
    return EnvFile.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a file holding secrets: created 0600 from the first byte (never world-readable, even
 * briefly), fsynced, then renamed over the old one so a crash leaves the old or the new file.
 */
export async function writeSecretFile(path: string, text: string): Promise<void> {
  // Unique per call: two writes in the same millisecond (the agent's state files) must not share a temp file.
  // node:crypto loads here, not with the module: status reads .env through it and never writes.
  const { randomBytes } = await import('node:crypto');
  const temporary = join(dirname(path), `.${Date.now()}-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}
