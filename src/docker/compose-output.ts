/**
 * Compose's stderr, only for telling the user why it failed: the state of the stack is always
 * read from the engine, never parsed from here.
 */
import { OpenmatesError } from '../core/errors.js';

// CSI sequences (colours, cursor moves) and OSC sequences.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Non-empty lines without colours, carriage-return redraws and trailing spaces. */
export function outputLines(text: string): string[] {
  return stripAnsi(text)
    .split('\n')
    .map((line) => (line.includes('\r') ? (line.split('\r').filter((part) => part.trim() !== '').pop() ?? '') : line).trimEnd())
    .filter((line) => line.trim() !== '');
}

/** Summary lines that say "something failed" without saying what. */
const GENERIC = [/^(ERROR:\s*)?Encountered errors while bringing up the project\.?$/i, /^Error: exit status \d+$/i, /^exit status \d+$/i];
/** Progress lines: "Creating x_web_1 ... error", " Container x-web-1  Error". */
const PROGRESS = [/\.\.\.\s*\w+$/, /^\s*(Container|Network|Volume|Image)\s+\S+\s+\w+$/];
const ERROR_PREFIX = /^(ERROR|Error|error)\b/;
const ERROR_WORDS = /error|failed|denied|not found|invalid|unsupported|cannot|can't|couldn't|no such|conflict|already|refused/i;

/** v1's advice after any schema error, which blames the file's version even when that is not the cause. */
const BOILERPLATE = [/^You might be seeing this error because you're using the wrong Compose file version/i, /^For more on the Compose file format versions/i];
/** v1's "The Compose file './x.yml' is invalid because:", followed by the reasons, one a line. */
const BECAUSE = /\bbecause:$/;

function isGeneric(line: string): boolean {
  return GENERIC.some((pattern) => pattern.test(line.trim()));
}

function isBoilerplate(line: string): boolean {
  return BOILERPLATE.some((pattern) => pattern.test(line.trim()));
}

/** Lines without v1's boilerplate advice. */
export function withoutBoilerplate(lines: readonly string[]): string[] {
  return lines.filter((line) => !isBoilerplate(line));
}

function isProgress(line: string): boolean {
  return PROGRESS.some((pattern) => pattern.test(line));
}

/** Drops "ERROR: ", "ERROR: for web  ", "Error response from daemon: " so the cause reads as a sentence. */
export function withoutErrorPrefix(line: string): string {
  return line
    .trim()
    .replace(/^ERROR:\s+for\s+\S+\s+/, '')
    .replace(/^(ERROR|Error|error):\s*/, '')
    .replace(/^Error response from daemon:\s*/i, '')
    .trim();
}

/** The line that best says why Compose failed, without its "ERROR:" prefix. */
export function meaningfulErrorLine(allLines: readonly string[]): string | undefined {
  const lines = withoutBoilerplate(allLines);
  const header = lines.findIndex((line) => BECAUSE.test(line.trim()));
  if (header >= 0 && header + 1 < lines.length) {
    const reasons = lines.slice(header + 1).map((line) => withoutErrorPrefix(line)).filter(Boolean);
    return `${withoutErrorPrefix(lines[header]!)} ${reasons.join('; ')}`;
  }
  const candidates = lines.filter((line) => !isGeneric(line));
  const reversed = [...candidates].reverse();
  const chosen =
    reversed.find((line) => ERROR_PREFIX.test(line.trim()) && !isProgress(line)) ??
    reversed.find((line) => ERROR_WORDS.test(line) && !isProgress(line)) ??
    reversed[0] ??
    [...lines].reverse()[0];
  return chosen === undefined ? undefined : withoutErrorPrefix(chosen) || chosen.trim();
}

interface ComposeHintRule {
  test: RegExp;
  hint: string;
}

const HINT_RULES: ComposeHintRule[] = [
  {
    test: /'name' does not match any of the regexes/,
    hint: 'This compose file has a top-level `name:`, which only Compose v2 reads: install Compose v2 (`sudo apt install docker-compose-plugin` from Docker\'s apt repository, or Debian 13\'s docker-compose) and try again.',
  },
  {
    test: /port is already allocated|address already in use/i,
    hint: 'Another program or container already uses that port: stop it, or choose another port for OpenMates.',
  },
  {
    test: /Cannot connect to the Docker daemon|Couldn't connect to Docker daemon|docker daemon is not running|error during connect/i,
    hint: 'Compose cannot reach the Docker engine: start Docker (`sudo systemctl start docker`) or check DOCKER_HOST.',
  },
  {
    test: /permission denied.*docker\.sock|docker\.sock.*permission denied/i,
    hint: 'Run openmates as root (sudo), or add your user to the docker group (`sudo usermod -aG docker $USER`).',
  },
  {
    test: /pull access denied|manifest unknown|No such image|not found: manifest|repository does not exist/i,
    hint: 'An image of the stack is missing: check the version and the registry, then run the install again (it pulls images first).',
  },
  {
    test: /The container name .* is already in use|Conflict\. The container name/i,
    hint: 'A container with that name is left over from an earlier install: remove it (`docker rm -f <name>`) and try again.',
  },
  {
    test: /network .* not found|declared as external, but could not be found/i,
    hint: 'A network the stack needs is missing: run the install again to create it.',
  },
  {
    test: /no space left on device/i,
    hint: "The disk holding Docker's data is full: free some space and try again.",
  },
  {
    test: /yaml|Unsupported config option|Invalid (interpolation|top-level|type|service)|is invalid|validating|Additional property|unknown field|Version in .* is unsupported/i,
    hint: 'Compose rejected the compose file: your Compose may be too old for it (update Docker Compose), or the file was edited by hand.',
  },
  {
    test: /Couldn't find env file|env file .* not found|open .*\.env: no such file/i,
    hint: 'Compose could not read the install\'s .env file: check that it exists and is readable.',
  },
];

function composeHint(lines: readonly string[]): string {
  const text = lines.join('\n');
  return HINT_RULES.find(({ test }) => test.test(text))?.hint ?? "Compose's last lines are shown below: fix the cause and try again.";
}

function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Compose gave up because a service it waits for got unhealthy or a one-shot job failed: the stack's health, not Compose, is the cause. */
export function isDependencyFailure(lines: readonly string[]): boolean {
  return lines.some((line) => /is unhealthy|dependency failed to start|didn't complete successfully|exited with code/i.test(line));
}

/** How many stderr lines go into the error's details. */
export const DETAIL_LINES = 15;

/**
 * The error for a Compose run that failed: "Compose could not <action>: <cause>." with the
 * last stderr lines as details.
 */
export function composeFailure(action: string, stderr: string, exitCode: number | undefined): OpenmatesError {
  const lines = withoutBoilerplate(outputLines(stderr));
  const cause = meaningfulErrorLine(lines) ?? (exitCode === undefined ? 'it ended without a message' : `it exited with code ${exitCode} without a message`);
  return new OpenmatesError('operation-failed', asSentence(`Compose could not ${action}: ${cause}`), composeHint(lines), lines.slice(-DETAIL_LINES));
}
