/**
 * What each known command does with its arguments: read, change or destructive, with the reason a
 * person would give. Anything not here is a change ("unknown command").
 */
export type CommandRisk = 'read' | 'change' | 'destructive';
export type CommandCategory = 'files' | 'git' | 'docker' | 'processes' | 'network' | 'system' | 'other';

export interface Verdict {
  risk: CommandRisk;
  reason?: string;
}

export interface CommandRule {
  category: CommandCategory;
  check(args: string[], name: string): Verdict;
}

const READ: Verdict = { risk: 'read' };
const change = (reason: string): Verdict => ({ risk: 'change', reason });
const destructive = (reason: string): Verdict => ({ risk: 'destructive', reason });

/** `-x` given alone or inside a group of short flags (`-rf`), or one of the long forms. */
export function hasFlag(args: string[], short: string, ...long: string[]): boolean {
  return args.some((arg) => {
    if (arg === '--') return false;
    if (arg.startsWith('--')) return long.some((form) => arg === form || arg.startsWith(`${form}=`));
    return short !== '' && arg.startsWith('-') && arg.length > 1 && /^-[A-Za-z0-9]+$/.test(arg) && arg.includes(short);
  });
}

function positionals(args: string[]): string[] {
  const out: string[] = [];
  let afterDashes = false;
  for (const arg of args) {
    if (!afterDashes && arg === '--') afterDashes = true;
    else if (afterDashes || !arg.startsWith('-') || arg === '-') out.push(arg);
  }
  return out;
}

const reads = (category: CommandCategory): CommandRule => ({ category, check: () => READ });
const changes = (category: CommandCategory, reason: string): CommandRule => ({ category, check: () => change(reason) });
const destroys = (category: CommandCategory, reason: string): CommandRule => ({ category, check: () => destructive(reason) });

function subcommand(args: string[]): { sub?: string; rest: string[] } {
  const index = args.findIndex((arg) => !arg.startsWith('-'));
  return index === -1 ? { rest: [] } : { sub: args[index], rest: args.slice(index + 1) };
}

const GIT_READ = new Set(['status', 'log', 'diff', 'show', 'blame', 'shortlog', 'describe', 'rev-parse', 'rev-list', 'ls-files', 'ls-tree', 'ls-remote', 'cat-file', 'grep', 'reflog', 'whatchanged', 'version', 'help', 'show-ref', 'for-each-ref', 'merge-base', 'name-rev', 'count-objects', 'check-ignore', 'var']);

function gitVerdict(args: string[]): Verdict {
  // Options before the subcommand can run programs (-c core.pager=..., --exec-path).
  if (args[0]?.startsWith('-') && args[0] !== '--no-pager') return change('git options before the subcommand can change what it runs');
  const { sub, rest } = subcommand(args[0] === '--no-pager' ? args.slice(1) : args);
  if (!sub) return READ;
  if (hasFlag(rest, '', '--output', '--ext-diff')) return change(`git ${sub} with --output or --ext-diff writes files or runs programs`);
  if (GIT_READ.has(sub)) return READ;
  switch (sub) {
    case 'branch':
      if (hasFlag(rest, 'D', '--delete') && (hasFlag(rest, 'f', '--force') || hasFlag(rest, 'D'))) return destructive('git branch -D deletes a branch with unmerged work');
      if (hasFlag(rest, 'd', '--delete') || hasFlag(rest, 'm', '--move') || hasFlag(rest, 'M') || hasFlag(rest, 'c', '--copy') || hasFlag(rest, 'C', '--set-upstream-to', '--unset-upstream', '--edit-description')) return change(`git branch ${rest.join(' ')} changes branches`);
      return positionals(rest).length === 0 || hasFlag(rest, 'l', '--list') ? READ : change('git branch NAME creates a branch');
    case 'tag':
      return positionals(rest).length === 0 || hasFlag(rest, 'l', '--list') ? READ : change('git tag NAME creates or deletes a tag');
    case 'remote':
      return rest.length === 0 || rest.every((arg) => arg === '-v' || arg === '--verbose') || rest[0] === 'show' || rest[0] === 'get-url' ? READ : change('git remote changes the remotes');
    case 'stash':
      if (rest[0] === 'list' || rest[0] === 'show') return READ;
      return rest[0] === 'drop' || rest[0] === 'clear' ? destructive(`git stash ${rest[0]} deletes stashed changes`) : change('git stash changes the working tree');
    case 'config':
      return hasFlag(rest, 'l', '--list', '--get', '--get-all', '--get-regexp') || positionals(rest).length === 1 ? READ : change('git config changes the configuration');
    case 'reset':
      return hasFlag(rest, '', '--hard', '--merge', '--keep') ? destructive('git reset --hard discards uncommitted changes') : change('git reset moves the branch or the index');
    case 'clean':
      return hasFlag(rest, 'n', '--dry-run') ? READ : destructive('git clean deletes untracked files');
    case 'push':
      return hasFlag(rest, 'f', '--force', '--force-with-lease', '--mirror', '--delete') || positionals(rest).some((arg) => arg.startsWith('+') || arg.startsWith(':'))
        ? destructive('git push --force can overwrite what others pushed')
        : change('git push changes a remote repository');
    case 'checkout':
    case 'restore':
      return rest.includes('--') || rest.includes('.') || hasFlag(rest, 'f', '--force') || sub === 'restore'
        ? destructive(`git ${sub} of paths discards uncommitted changes`)
        : change(`git ${sub} changes the working tree`);
    default:
      return change(`git ${sub} changes the repository or working tree`);
  }
}

const DOCKER_READ = new Set(['ps', 'images', 'logs', 'inspect', 'version', 'info', 'top', 'port', 'history', 'events', 'search', 'diff']);
const DOCKER_OBJECTS = new Set(['container', 'image', 'volume', 'network', 'system', 'builder', 'buildx', 'context', 'plugin', 'node', 'service', 'secret', 'config', 'stack']);

function dockerVerdict(args: string[]): Verdict {
  if (args[0]?.startsWith('-')) return change('docker options before the command can point it at another engine');
  const { sub, rest } = subcommand(args);
  if (!sub) return READ;
  if (sub === 'compose') return composeVerdict(rest);
  if (DOCKER_READ.has(sub)) return READ;
  if (sub === 'stats') return READ;
  if (sub === 'rm' || sub === 'rmi' || sub === 'kill') return destructive(`docker ${sub} ${sub === 'rmi' ? 'deletes images' : sub === 'rm' ? 'deletes containers' : 'kills containers'}`);
  if (DOCKER_OBJECTS.has(sub)) {
    const { sub: action } = subcommand(rest);
    if (!action || ['ls', 'list', 'inspect', 'df', 'logs', 'ps', 'top', 'port', 'history', 'events', 'info', 'show'].includes(action)) return READ;
    if (['rm', 'remove', 'prune', 'kill'].includes(action)) return destructive(`docker ${sub} ${action} deletes ${sub === 'system' ? 'containers, images, networks and volumes' : `${sub}s`}`);
    return change(`docker ${sub} ${action} changes ${sub}s`);
  }
  return change(`docker ${sub} changes containers or images`);
}

function composeVerdict(args: string[]): Verdict {
  const { sub, rest } = subcommand(args.filter((arg, i) => !(i > 0 && ['-f', '--file', '-p', '--project-name'].includes(args[i - 1]!))));
  if (!sub || ['ps', 'logs', 'config', 'images', 'top', 'ls', 'version', 'port', 'events'].includes(sub)) return READ;
  if (sub === 'down' && hasFlag(rest, 'v', '--volumes')) return destructive('docker compose down -v deletes the volumes');
  if (sub === 'rm' || sub === 'kill') return destructive(`docker compose ${sub} ${sub === 'rm' ? 'deletes containers' : 'kills containers'}`);
  return change(`docker compose ${sub} changes the stack`);
}

function systemctlVerdict(args: string[]): Verdict {
  const { sub } = subcommand(args);
  if (!sub || ['status', 'is-active', 'is-enabled', 'is-failed', 'list-units', 'list-unit-files', 'list-timers', 'list-sockets', 'show', 'cat', 'list-dependencies', 'help'].includes(sub)) return READ;
  if (['poweroff', 'reboot', 'halt', 'kexec', 'kill'].includes(sub)) return destructive(`systemctl ${sub} ${sub === 'kill' ? 'kills processes' : 'stops the machine'}`);
  return change(`systemctl ${sub} changes a service`);
}

function findVerdict(args: string[]): Verdict {
  if (args.includes('-delete')) return destructive('find -delete deletes files');
  if (args.some((arg) => ['-exec', '-execdir', '-ok', '-okdir'].includes(arg))) return change('find -exec runs commands');
  if (args.some((arg) => ['-fprint', '-fprint0', '-fprintf', '-fls'].includes(arg))) return change('find -fprint writes a file');
  return READ;
}

function sedVerdict(args: string[]): Verdict {
  if (hasFlag(args, 'i', '--in-place') || args.some((arg) => /^-[a-zA-Z]*i/.test(arg) && !arg.startsWith('--'))) return change('sed -i edits files in place');
  const scripts: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-e' || args[i] === '--expression') scripts.push(args[++i] ?? '');
    else if (args[i] === '-f' || args[i] === '--file') return change('sed -f runs a script file that may write files');
  }
  if (scripts.length === 0) {
    const first = positionals(args)[0];
    if (first !== undefined) scripts.push(first);
  }
  // `w file`, `W file`, `e command`, and the s///w and s///e flags.
  if (scripts.some((script) => /(^|[;\n{}]\s*|\d\s*|\/\s*)[wWe](\s|$)/.test(script) || /s(.).*?\1.*?\1[gpiImM0-9]*[we]/.test(script))) return change('the sed script writes a file or runs a command');
  return READ;
}

function killVerdict(args: string[]): Verdict {
  if (args.length === 0 || hasFlag(args, 'l', '--list') || args[0] === '-0' || args[0] === '-s' && args[1] === '0') return READ;
  return destructive('kill stops processes');
}

function curlVerdict(args: string[]): Verdict {
  const harmless = new Set(['-s', '-S', '-L', '-I', '-i', '-f', '-v', '-k', '-sS', '-sL', '-fsSL', '-fsS', '-sSL', '-Ls', '-sI', '--silent', '--show-error', '--location', '--head', '--include', '--fail', '--verbose', '--insecure', '--compressed']);
  const withValue = new Set(['-m', '--max-time', '--connect-timeout', '-H', '--header', '-A', '--user-agent', '-w', '--write-out']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (withValue.has(arg)) i++;
    else if (arg.startsWith('-') && !harmless.has(arg)) return change(`curl ${arg} may write files or send data`);
  }
  return READ;
}

const onlyWithout = (category: CommandCategory, flags: { short: string; long: string[]; reason: string }[]): CommandRule => ({
  category,
  check: (args) => {
    const found = flags.find((flag) => hasFlag(args, flag.short, ...flag.long));
    return found ? change(found.reason) : READ;
  },
});

const maxPositionals = (category: CommandCategory, max: number, reason: string): CommandRule => ({
  category,
  check: (args) => (positionals(args).length > max ? change(reason) : READ),
});

export const COMMAND_RULES: Record<string, CommandRule> = {
  // Files, read-only.
  ...Object.fromEntries(
    ['ls', 'dir', 'cat', 'tac', 'nl', 'head', 'tail', 'less', 'more', 'wc', 'stat', 'file', 'du', 'df', 'tree', 'realpath', 'readlink', 'basename', 'dirname', 'pwd', 'cd', 'diff', 'cmp', 'comm', 'md5sum', 'sha1sum', 'sha256sum', 'sha512sum', 'b2sum', 'cksum', 'base64', 'od', 'hexdump', 'column', 'strings', 'grep', 'egrep', 'fgrep', 'zgrep', 'zcat', 'jq', 'cut', 'tr', 'paste', 'fold', 'fmt', 'expand', 'unexpand', 'rev', 'test', '[', 'true', 'false', 'echo', 'printf', 'seq', 'sleep', 'yes', 'lsblk', 'lsof', 'findmnt', 'ag', 'fd', 'fdfind'].map((name) => [name, reads('files')]),
  ),
  find: { category: 'files', check: findVerdict },
  rg: onlyWithout('files', [{ short: '', long: ['--pre'], reason: 'rg --pre runs a program on each file' }]),
  sed: { category: 'files', check: sedVerdict },
  sort: onlyWithout('files', [{ short: 'o', long: ['--output'], reason: 'sort -o writes a file' }]),
  uniq: maxPositionals('files', 1, 'uniq INPUT OUTPUT writes the output file'),
  shuf: onlyWithout('files', [{ short: 'o', long: ['--output'], reason: 'shuf -o writes a file' }]),
  xxd: onlyWithout('files', [{ short: 'r', long: ['--revert'], reason: 'xxd -r writes binary files' }]),
  tar: { category: 'files', check: (args) => (hasFlag(args, 't', '--list') && !hasFlag(args, 'x', '--extract') && !hasFlag(args, 'c', '--create') ? READ : change('tar creates or extracts files')) },
  unzip: { category: 'files', check: (args) => (hasFlag(args, 'l') ? READ : change('unzip extracts files')) },
  awk: changes('files', 'awk can write files and run commands'),
  gawk: changes('files', 'awk can write files and run commands'),
  tee: changes('files', 'tee writes files'),
  xargs: changes('other', 'xargs runs commands built from its input'),
  cp: changes('files', 'cp copies files (and can overwrite)'),
  mv: changes('files', 'mv moves or renames files'),
  mkdir: changes('files', 'mkdir creates folders'),
  touch: changes('files', 'touch creates or updates files'),
  ln: changes('files', 'ln creates links'),
  install: changes('files', 'install copies files'),
  gzip: changes('files', 'gzip replaces files with compressed ones'),
  gunzip: changes('files', 'gunzip replaces files with uncompressed ones'),
  chmod: { category: 'files', check: (args) => (hasFlag(args, 'R', '--recursive') ? destructive('chmod -R changes permissions of a whole tree') : change('chmod changes permissions')) },
  chown: { category: 'files', check: (args) => (hasFlag(args, 'R', '--recursive') ? destructive('chown -R changes owners of a whole tree') : change('chown changes owners')) },
  chgrp: { category: 'files', check: (args) => (hasFlag(args, 'R', '--recursive') ? destructive('chgrp -R changes groups of a whole tree') : change('chgrp changes groups')) },
  rm: destroys('files', 'rm deletes files'),
  rmdir: destroys('files', 'rmdir deletes folders'),
  unlink: destroys('files', 'unlink deletes a file'),
  shred: destroys('files', 'shred destroys file contents'),
  truncate: destroys('files', 'truncate cuts files short'),
  dd: destroys('files', 'dd writes raw data to files or devices'),
  mkfs: destroys('system', 'mkfs formats a file system'),
  wipefs: destroys('system', 'wipefs erases file system signatures'),
  fdisk: destroys('system', 'fdisk changes partition tables'),
  sfdisk: destroys('system', 'sfdisk changes partition tables'),
  parted: destroys('system', 'parted changes partition tables'),
  // Git and Docker.
  git: { category: 'git', check: gitVerdict },
  docker: { category: 'docker', check: dockerVerdict },
  'docker-compose': { category: 'docker', check: composeVerdict },
  // Processes.
  ps: reads('processes'),
  pgrep: reads('processes'),
  pidof: reads('processes'),
  top: { category: 'processes', check: (args) => (hasFlag(args, 'b', '--batch') ? READ : change('top without -b is interactive: run top -b -n 1')) },
  kill: { category: 'processes', check: killVerdict },
  killall: destroys('processes', 'killall stops processes'),
  pkill: destroys('processes', 'pkill stops processes'),
  // System.
  ...Object.fromEntries(['uptime', 'free', 'vmstat', 'iostat', 'mpstat', 'nproc', 'arch', 'lscpu', 'lsmod', 'uname', 'whoami', 'id', 'groups', 'users', 'who', 'w', 'env', 'printenv', 'which', 'whereis', 'type', 'getent', 'locale', 'tty'].map((name) => [name, reads('system')])),
  date: { category: 'system', check: (args) => (hasFlag(args, 's', '--set') || positionals(args).some((arg) => !arg.startsWith('+')) ? change('date with a time sets the clock') : READ) },
  hostname: { category: 'system', check: (args) => (positionals(args).length > 0 || hasFlag(args, 'F', '--file') ? change('hostname NAME renames the machine') : READ) },
  systemctl: { category: 'system', check: systemctlVerdict },
  journalctl: onlyWithout('system', [{ short: '', long: ['--vacuum-size', '--vacuum-time', '--vacuum-files', '--rotate', '--flush', '--relinquish-var', '--setup-keys', '--update-catalog'], reason: 'journalctl --vacuum/--rotate changes the journal' }]),
  dmesg: onlyWithout('system', [{ short: 'c', long: ['--clear', '--read-clear', '--console-off', '--console-on', '--console-level'], reason: 'dmesg -c clears the kernel log' }]),
  crontab: { category: 'system', check: (args) => (hasFlag(args, 'r') ? destructive('crontab -r deletes the crontab') : args.length === 1 && args[0] === '-l' ? READ : change('crontab changes scheduled jobs')) },
  timedatectl: maxPositionals('system', 1, 'timedatectl set-… changes the clock'),
  shutdown: destroys('system', 'shutdown stops the machine'),
  reboot: destroys('system', 'reboot restarts the machine'),
  poweroff: destroys('system', 'poweroff stops the machine'),
  halt: destroys('system', 'halt stops the machine'),
  // Network.
  ss: reads('network'),
  netstat: reads('network'),
  ping: reads('network'),
  dig: reads('network'),
  nslookup: reads('network'),
  host: reads('network'),
  curl: { category: 'network', check: curlVerdict },
  ip: { category: 'network', check: (args) => { const { rest } = subcommand(args); return rest.length === 0 || ['show', 'list', 'ls', 'get'].includes(rest[0]!) ? READ : change(`ip ${args.join(' ')} changes the network configuration`); } },
  // Shells and interpreters run whatever they are given.
  ...Object.fromEntries(['sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'eval', 'source', '.', 'exec', 'python', 'python3', 'node', 'perl', 'ruby', 'php'].map((name) => [name, changes('other', `${name} runs a script`)])),
  export: changes('other', 'export changes the environment'),
  unset: changes('other', 'unset changes the environment'),
  alias: changes('other', 'alias changes what commands mean'),
};

/** `mkfs.ext4` and friends. */
export function ruleFor(name: string): CommandRule | undefined {
  return COMMAND_RULES[name] ?? (name.startsWith('mkfs.') ? COMMAND_RULES.mkfs : undefined);
}
