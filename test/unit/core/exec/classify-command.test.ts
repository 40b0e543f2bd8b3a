import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../../../../src/core/exec/classify-command.js';
import { tokenizeShell } from '../../../../src/core/exec/shell-tokens.js';

const risk = (command: string) => classifyCommand(command).risk;

describe('shell tokenizer', () => {
  it('keeps quoted operators inside words', () => {
    const { tokens } = tokenizeShell(`echo 'a;b' "c && d" e\\|f`);
    expect(tokens.map((token) => (token.type === 'word' ? token.value : token.type))).toEqual(['echo', 'a;b', 'c && d', 'e|f']);
  });

  it('reads operators, redirections with fds and substitutions', () => {
    const { tokens, substitutions } = tokenizeShell('a 2>&1 >>out | b && c $(d "e") `f` <(g)');
    expect(tokens.filter((token) => token.type !== 'word')).toEqual([
      { type: 'redirect', op: '>&', fd: 2 },
      { type: 'redirect', op: '>>' },
      { type: 'operator', value: '|' },
      { type: 'operator', value: '&&' },
    ]);
    expect(substitutions).toEqual(['d "e"', 'f', 'g']);
  });

  it('finds a substitution inside double quotes but not inside single quotes', () => {
    expect(tokenizeShell(`echo "$(rm x)"`).substitutions).toEqual(['rm x']);
    expect(tokenizeShell(`echo '$(rm x)'`).substitutions).toEqual([]);
  });

  it('reports unbalanced quotes', () => {
    expect(tokenizeShell(`echo "open`).problems).toEqual(['an unbalanced double quote']);
    expect(tokenizeShell(`echo 'open`).problems).toEqual(['an unbalanced single quote']);
  });
});

describe('classifyCommand: reads', () => {
  it.each([
    'ls -la /var/log',
    'cat README.md',
    'head -n 20 file',
    'tail -f /var/log/syslog',
    'grep -rn "TODO" src',
    'grep ">" file',
    'rg -i foo',
    "echo 'a;b'",
    'echo "x > y"',
    'find . -name "*.ts" -type f',
    'stat x',
    'du -sh .',
    'df -h',
    'ps aux',
    'top -b -n 1',
    'free -m',
    'uptime',
    'whoami',
    'id',
    'pwd',
    'env',
    'printenv HOME',
    'which node',
    'command -v node',
    'git status',
    'git log --oneline -n 5',
    'git diff HEAD~1',
    'git show HEAD',
    'git branch -a',
    'docker ps -a',
    'docker images',
    'docker logs api --tail 50',
    'docker inspect api',
    'docker compose ps',
    'docker volume ls',
    'systemctl status docker',
    'journalctl -u docker -n 100',
    'wc -l file',
    'sort file | uniq -c | sort -rn | head',
    'cut -d: -f1 /etc/passwd',
    'cat x | tr a-z A-Z',
    'jq .name package.json',
    'date +%s',
    'uname -a',
    'hostname',
    'ip addr',
    'ip route show',
    'ss -tlnp',
    'netstat -tlnp',
    'ls 2>/dev/null',
    'ls > /dev/null 2>&1',
    'grep foo < input.txt',
    'sed -n 1,10p file',
    "sed 's/a/b/g' file",
    'LANG=C ls',
    'curl -fsSL http://127.0.0.1:8080/health',
    'kill -l',
    'ls # ; rm -rf /',
    'ls;',
  ])('%s is a read', (command) => {
    expect(classifyCommand(command)).toMatchObject({ risk: 'read' });
  });

  it('says which commands only read', () => {
    expect(classifyCommand('ps aux | grep node').reasons).toEqual(['only reads (ps, grep)']);
  });
});

describe('classifyCommand: changes, with the reason', () => {
  it.each([
    ['cat x > y', 'redirection writes a file'],
    ['echo hi >> log.txt', 'redirection writes a file'],
    ['ls &> out', 'redirection writes a file'],
    ['ls 2> errors.txt', 'redirection writes a file'],
    ['echo x >& file', 'redirection writes a file'],
    ['sed -i s/a/b/ file', 'sed -i edits files in place'],
    ['sed -ie s/a/b/ file', 'sed -i edits files in place'],
    ["sed 's/a/b/w out' file", 'the sed script writes a file or runs a command'],
    ['cat x | tee y', 'tee writes files'],
    ['find . -exec cat {} \\;', 'find -exec runs commands'],
    ['find . | xargs cat', 'xargs runs commands built from its input'],
    ['ls; pwd', 'chaining (;, &&, ||, newlines) runs several commands'],
    ['ls && pwd', 'chaining (;, &&, ||, newlines) runs several commands'],
    ['ls || pwd', 'chaining (;, &&, ||, newlines) runs several commands'],
    ['ls\npwd', 'chaining (;, &&, ||, newlines) runs several commands'],
    ['sleep 10 &', '& runs a command in the background'],
    ['(ls)', 'a subshell ( … ) runs commands'],
    ['sudo ls', 'sudo runs the command as another user'],
    ['doas cat /etc/shadow', 'doas runs the command as another user'],
    ['foo --bar', "unknown command 'foo'"],
    ['npm install', "unknown command 'npm'"],
    ['ls | sh', 'sh runs a script'],
    ['curl -s http://x | bash', 'bash runs a script'],
    ['$CMD file', 'the command name is computed when it runs'],
    ['$(echo rm) x', 'the command name is computed when it runs'],
    ['echo $(ls)', 'a command substitution $(…) runs another command'],
    ['LD_PRELOAD=/tmp/x.so ls', 'setting LD_PRELOAD changes what the command does'],
    ['env PATH=/tmp ls', 'env PATH=… changes what the command does'],
    ['mv a b', 'mv moves or renames files'],
    ['cp a b', 'cp copies files (and can overwrite)'],
    ['touch x', 'touch creates or updates files'],
    ['mkdir -p x', 'mkdir creates folders'],
    ['chmod 600 x', 'chmod changes permissions'],
    ['git commit -m x', 'git commit changes the repository or working tree'],
    ['git branch new-feature', 'git branch NAME creates a branch'],
    ['git -c core.pager=evil log', 'git options before the subcommand can change what it runs'],
    ['docker run busybox', 'docker run changes containers or images'],
    ['docker compose up -d', 'docker compose up changes the stack'],
    ['systemctl restart nginx', 'systemctl restart changes a service'],
    ['sort -o out in', 'sort -o writes a file'],
    ['uniq in out', 'uniq INPUT OUTPUT writes the output file'],
    ['date -s "2020-01-01"', 'date with a time sets the clock'],
    ['hostname newname', 'hostname NAME renames the machine'],
    ['top', 'top without -b is interactive: run top -b -n 1'],
    ['awk \'{print > "x"}\' f', 'awk can write files and run commands'],
    ['ip addr add 10.0.0.1/24 dev eth0', 'ip addr add 10.0.0.1/24 dev eth0 changes the network configuration'],
    ['curl -o file http://x', 'curl -o may write files or send data'],
    ['echo "unterminated', 'an unbalanced double quote: the line cannot be read for certain'],
    ['if true; then ls; fi', 'shell control structures (if) run several commands'],
    ['export A=1', 'export changes the environment'],
    ['A=1', 'an assignment changes shell variables'],
  ])('%j is a change: %s', (command, reason) => {
    const result = classifyCommand(command);
    expect(result.risk).toBe('change');
    expect(result.reasons).toContain(reason);
  });
});

describe('classifyCommand: destructive, with the reason', () => {
  it.each([
    ['rm file', 'rm deletes files'],
    ['rm -rf /', 'rm deletes files'],
    ['/bin/rm x', 'rm deletes files'],
    ['\\rm x', 'rm deletes files'],
    ['rmdir d', 'rmdir deletes folders'],
    ['dd if=/dev/zero of=/dev/sda', 'dd writes raw data to files or devices'],
    ['mkfs.ext4 /dev/sdb1', 'mkfs formats a file system'],
    ['shred -u secret', 'shred destroys file contents'],
    ['truncate -s 0 log', 'truncate cuts files short'],
    ['docker rm -f api', 'docker rm deletes containers'],
    ['docker rmi busybox', 'docker rmi deletes images'],
    ['docker volume rm data', 'docker volume rm deletes volumes'],
    ['docker system prune -af', 'docker system prune deletes containers, images, networks and volumes'],
    ['docker compose down -v', 'docker compose down -v deletes the volumes'],
    ['git reset --hard HEAD~3', 'git reset --hard discards uncommitted changes'],
    ['git clean -fdx', 'git clean deletes untracked files'],
    ['git push --force origin main', 'git push --force can overwrite what others pushed'],
    ['git push -f', 'git push --force can overwrite what others pushed'],
    ['git branch -D feature', 'git branch -D deletes a branch with unmerged work'],
    ['chmod -R 777 /', 'chmod -R changes permissions of a whole tree'],
    ['chown -R nobody /srv', 'chown -R changes owners of a whole tree'],
    ['kill 1234', 'kill stops processes'],
    ['kill -9 1234', 'kill stops processes'],
    ['killall node', 'killall stops processes'],
    ['pkill -f server', 'pkill stops processes'],
    ['shutdown -h now', 'shutdown stops the machine'],
    ['reboot', 'reboot restarts the machine'],
    ['find . -name "*.log" -delete', 'find -delete deletes files'],
  ])('%j is destructive: %s', (command, reason) => {
    const result = classifyCommand(command);
    expect(result.risk).toBe('destructive');
    expect(result.reasons).toContain(reason);
  });
});

describe('classifyCommand: adversarial', () => {
  it.each([
    ['ls; rm -rf /', 'destructive'],
    ['ls && rm x', 'destructive'],
    ['echo $(rm x)', 'destructive'],
    ['echo "$(rm x)"', 'destructive'],
    ['echo `rm x`', 'destructive'],
    ['cat <(rm x)', 'destructive'],
    ['echo ${X:-$(rm x)}', 'destructive'],
    ['sudo rm -rf /', 'destructive'],
    ['nohup rm -rf / &', 'destructive'],
    ['timeout 5 rm x', 'destructive'],
    ['env rm x', 'destructive'],
    ['command rm x', 'destructive'],
    ['ls | xargs rm', 'destructive'],
    ['ls | xargs -I{} cat {}', 'change'],
    ["sh -c 'rm -rf /'", 'destructive'],
    ["bash -ec 'ls'", 'change'],
    ["env -S 'rm -rf /'", 'destructive'],
    ["timeout 5 sh -c 'kill 1'", 'destructive'],
    ['ls | sh', 'change'],
    ['cat x > y', 'change'],
    ["echo 'a;b'", 'read'],
    ['grep ">" file', 'read'],
    ['echo "rm -rf /"', 'read'],
    ["echo '$(rm x)'", 'read'],
    ['echo \\$\\(rm x\\)', 'read'],
  ])('%j is %s', (command, expected) => {
    expect(risk(command)).toBe(expected);
  });
});

describe('classifyCommand: category', () => {
  it.each([
    ['ls', 'files'],
    ['git status', 'git'],
    ['docker ps', 'docker'],
    ['ps aux', 'processes'],
    ['ss -tlnp', 'network'],
    ['uptime', 'system'],
    ['foo', 'other'],
    ['ls | grep x; docker rm api', 'docker'],
  ])('%j is in %s', (command, category) => {
    expect(classifyCommand(command).category).toBe(category);
  });
});
