/**
 * Is a command line a read, a change or destructive? A conservative allow-list: known read-only
 * commands with read-only flags are reads, and a pipe of reads is a read. Anything unknown,
 * chained (`;` `&&` `||`), in the background, in a subshell, redirected to a file, under sudo, or
 * with a command name computed at run time is at least a change. Command substitutions are
 * classified as commands of their own and count too.
 */
import { ruleFor, type CommandCategory, type CommandRisk } from './command-rules.js';
import { tokenizeShell, type ShellToken } from './shell-tokens.js';

export interface CommandClassification {
  risk: CommandRisk;
  reasons: string[];
  category: CommandCategory;
}

const RANK: Record<CommandRisk, number> = { read: 0, change: 1, destructive: 2 };
const MAX_DEPTH = 8;
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);
const WRITING_REDIRECTS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const SAFE_ASSIGNMENTS = /^(LC_[A-Z]+|LANG|LANGUAGE|TZ|NO_COLOR|COLUMNS|LINES|TERM)=/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', 'select', '{', '}', '!', '[[', ']]', 'coproc', 'time']);
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh']);
const XARGS_VALUE_OPTIONS = new Set(['-I', '-i', '-n', '-P', '-d', '-E', '-e', '-L', '-l', '-s', '-a', '--arg-file', '--delimiter', '--max-args', '--max-procs', '--replace']);
/** Commands that run the rest of their arguments as a command. */
const WRAPPERS = new Set(['nice', 'nohup', 'stdbuf', 'ionice', 'timeout', 'command', 'builtin', 'chrt', 'taskset', 'setsid']);

class Verdicts {
  risk: CommandRisk = 'read';
  category: CommandCategory | undefined;
  private categoryRank = -1;
  readonly reasons: string[] = [];
  readonly readers: string[] = [];

  add(risk: CommandRisk, reason: string | undefined, category?: CommandCategory): void {
    if (RANK[risk] > RANK[this.risk]) this.risk = risk;
    if (category && RANK[risk] > this.categoryRank) {
      this.category = category;
      this.categoryRank = RANK[risk];
    }
    if (reason && risk !== 'read' && !this.reasons.includes(reason)) this.reasons.push(reason);
  }

  merge(other: CommandClassification): void {
    this.add(other.risk, undefined, other.category);
    for (const reason of other.reasons) if (other.risk !== 'read' && !this.reasons.includes(reason)) this.reasons.push(reason);
  }

  result(): CommandClassification {
    const reasons = this.risk === 'read' ? [this.readers.length > 0 ? `only reads (${[...new Set(this.readers)].join(', ')})` : 'an empty command'] : this.reasons;
    return { risk: this.risk, reasons, category: this.category ?? 'other' };
  }
}

type Word = Extract<ShellToken, { type: 'word' }>;

function commandName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** Skips the options of sudo/doas/env/timeout... and returns where the wrapped command starts. */
function skipWrapperOptions(name: string, words: Word[]): { rest: Word[]; assignments: string[]; lookupOnly: boolean } {
  const assignments: string[] = [];
  let i = 0;
  const takesValue: Record<string, string[]> = {
    sudo: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U', '--user', '--group'],
    doas: ['-u', '-C'],
    env: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string'],
    nice: ['-n', '--adjustment'],
    ionice: ['-c', '-n', '-p'],
    timeout: ['-s', '--signal', '-k', '--kill-after'],
    stdbuf: ['-i', '-o', '-e'],
    chrt: [],
    taskset: [],
  };
  while (i < words.length) {
    const value = words[i]!.value;
    if (value === '--') {
      i++;
      break;
    }
    if (name === 'env' && ASSIGNMENT.test(value)) {
      assignments.push(value);
      i++;
      continue;
    }
    if (!value.startsWith('-')) break;
    if ((name === 'command' || name === 'builtin') && (value === '-v' || value === '-V')) return { rest: [], assignments, lookupOnly: true };
    i += takesValue[name]?.includes(value) ? 2 : 1;
  }
  // timeout DURATION, chrt PRIORITY, taskset MASK come before the command.
  if (name === 'timeout' || name === 'chrt' || name === 'taskset') i++;
  return { rest: words.slice(i), assignments, lookupOnly: false };
}

function classifySimple(words: Word[], verdicts: Verdicts, depth: number): void {
  let index = 0;
  while (index < words.length && ASSIGNMENT.test(words[index]!.value) && !words[index]!.quoted) {
    const assignment = words[index]!.value;
    if (!SAFE_ASSIGNMENTS.test(assignment)) verdicts.add('change', `setting ${assignment.split('=')[0]} changes what the command does`);
    index++;
  }
  const rest = words.slice(index);
  if (rest.length === 0) {
    if (index > 0) verdicts.add('change', 'an assignment changes shell variables');
    return;
  }
  const first = rest[0]!;
  if (first.expands || first.substituted) {
    verdicts.add('change', 'the command name is computed when it runs');
    return;
  }
  const name = commandName(first.value);
  if (RESERVED.has(name)) {
    verdicts.add('change', `shell control structures (${name}) run several commands`);
    return;
  }
  if (name === 'sudo' || name === 'doas' || name === 'su' || name === 'pkexec' || name === 'runuser') {
    verdicts.add('change', `${name} runs the command as another user`, 'system');
    const { rest: wrapped } = skipWrapperOptions(name, rest.slice(1));
    if (name !== 'su' && wrapped.length > 0) classifySimple(wrapped, verdicts, depth);
    return;
  }
  if (SHELLS.has(name)) {
    // sh -c 'LINE' (also -ec, -lc): the line is classified as the command it is.
    const flag = rest.findIndex((word, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(word.value));
    const line = flag === -1 ? undefined : rest[flag + 1];
    if (line) {
      verdicts.add('change', `${name} -c runs a command line`, 'other');
      verdicts.merge(classifyAt(line.value, depth + 1));
      return;
    }
  }
  if (name === 'env' && rest.some((word) => word.value === '-S' || word.value.startsWith('--split-string'))) {
    verdicts.add('change', 'env -S runs a command from a string', 'other');
    const at = rest.findIndex((word) => word.value === '-S');
    if (at !== -1 && rest[at + 1]) verdicts.merge(classifyAt(rest.slice(at + 1).map((word) => word.value).join(' '), depth + 1));
    return;
  }
  if (name === 'xargs') {
    verdicts.add('change', 'xargs runs commands built from its input', 'other');
    let i = 1;
    while (i < rest.length && rest[i]!.value.startsWith('-')) i += XARGS_VALUE_OPTIONS.has(rest[i]!.value) ? 2 : 1;
    if (i < rest.length) classifySimple(rest.slice(i), verdicts, depth);
    return;
  }
  if (name === 'env' || WRAPPERS.has(name)) {
    const { rest: wrapped, assignments, lookupOnly } = skipWrapperOptions(name, rest.slice(1));
    for (const assignment of assignments) if (!SAFE_ASSIGNMENTS.test(assignment)) verdicts.add('change', `env ${assignment.split('=')[0]}=… changes what the command does`);
    if (lookupOnly || (name === 'env' && wrapped.length === 0)) {
      verdicts.readers.push(name);
      verdicts.add('read', undefined, 'system');
      return;
    }
    if (name === 'setsid' || name === 'nohup') verdicts.add('change', `${name} keeps the command running after this one`);
    if (wrapped.length === 0) {
      verdicts.add('change', `${name} without a command`);
      return;
    }
    classifySimple(wrapped, verdicts, depth);
    return;
  }
  const rule = ruleFor(name);
  if (!rule) {
    verdicts.add('change', `unknown command '${name}'`);
    return;
  }
  const verdict = rule.check(rest.slice(1).map((word) => word.value), name);
  if (verdict.risk === 'read') verdicts.readers.push(name);
  verdicts.add(verdict.risk, verdict.reason, rule.category);
}

function classifyAt(command: string, depth: number): CommandClassification {
  const verdicts = new Verdicts();
  if (depth > MAX_DEPTH) {
    verdicts.add('change', 'command substitutions nested too deep to read');
    return verdicts.result();
  }
  const { tokens, substitutions, problems } = tokenizeShell(command);
  for (const problem of problems) verdicts.add('change', `${problem}: the line cannot be read for certain`);
  for (const inner of substitutions) {
    verdicts.add('change', 'a command substitution $(…) runs another command');
    verdicts.merge(classifyAt(inner, depth + 1));
  }

  let listItems = 0;
  let inList = false;
  let words: Word[] = [];
  const endCommand = () => {
    if (words.length > 0) {
      if (!inList) listItems++;
      inList = true;
      classifySimple(words, verdicts, depth);
    }
    words = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.type === 'word') words.push(token);
    else if (token.type === 'redirect') {
      const target = tokens[i + 1];
      if (target?.type !== 'word') {
        verdicts.add('change', `a redirection ${token.op} without a target`);
        continue;
      }
      i++;
      if (WRITING_REDIRECTS.has(token.op)) {
        if (!HARMLESS_TARGETS.has(target.value) || target.expands || target.substituted) verdicts.add('change', 'redirection writes a file');
      } else if (token.op === '>&' || token.op === '<&') {
        if (!/^(\d+|-)$/.test(target.value)) verdicts.add('change', 'redirection writes a file');
      }
    } else {
      endCommand();
      switch (token.value) {
        case '|':
        case '|&':
          break;
        case '&':
          verdicts.add('change', '& runs a command in the background');
          inList = false;
          break;
        case '(':
        case ')':
          verdicts.add('change', 'a subshell ( … ) runs commands');
          inList = false;
          break;
        default:
          inList = false;
      }
    }
  }
  endCommand();
  if (listItems > 1) verdicts.add('change', 'chaining (;, &&, ||, newlines) runs several commands');
  return verdicts.result();
}

export function classifyCommand(command: string): CommandClassification {
  return classifyAt(command, 0);
}
