import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type * as z from 'zod';
import { OpenmatesError, messageOf } from '../errors.js';
import { stackSchema, type Stack } from './schema.js';

export interface LoadedStack {
  stack: Stack;
  /** The file's text, copied verbatim into the install dir. */
  source: string;
  /** Where it came from, for messages ("built-in OpenMates stack" or a path). */
  origin: string;
  /** The directory relative compose paths are resolved against; undefined for the built-in one. */
  baseDir?: string;
}

export async function loadStackFile(path: string): Promise<LoadedStack> {
  const absolute = resolve(path);
  let source: string;
  try {
    source = await readFile(absolute, 'utf8');
  } catch (error) {
    throw new OpenmatesError('invalid-stack', `Cannot read the stack file ${absolute}: ${messageOf(error)}.`, 'Check the path passed to --stack.');
  }
  return { stack: parseStack(source, absolute), source, origin: absolute, baseDir: dirname(absolute) };
}

/** Parses and validates a stack file's text; every problem names the file, the field and what was expected. */
export function parseStack(source: string, origin: string): Stack {
  const document = parseDocument(source, { prettyErrors: true });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const line = first.linePos?.[0].line;
    throw new OpenmatesError(
      'invalid-stack',
      `The stack file ${origin} is not valid YAML${line ? ` (line ${line})` : ''}: ${first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}.`,
      'Fix the YAML syntax; the format is described in README.md ("The stack file").',
    );
  }
  const result = stackSchema.safeParse(document.toJS({ maxAliasCount: 100 }), { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map(describeIssue);
  throw new OpenmatesError(
    'invalid-stack',
    `The stack file ${origin} is not valid: ${problems[0]}.`,
    'The format is described in README.md ("The stack file").',
    problems.slice(1),
  );
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'the file' : `field "${formatPath(issue.path)}"`;
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${field} has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_type':
      return issue.input === undefined ? `${field} is missing (expected ${issue.expected})` : `${field}: expected ${issue.expected}`;
    default:
      return `${field}: ${issue.message.replace(/^Invalid input: /, '')}`;
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('');
}
