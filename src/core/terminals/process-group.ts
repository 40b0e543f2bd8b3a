import { readFileSync } from 'node:fs';
import { constants } from 'node:os';

/**
 * The process group in the terminal's foreground (what Ctrl-C reaches in a local terminal): on
 * Linux, field tpgid of /proc/PID/stat; elsewhere, or when unreadable, the shell's own group
 * (the PTY made the shell a session leader, so its group id is its pid).
 */
export function foregroundGroup(shellPid: number): number {
  try {
    const stat = readFileSync(`/proc/${shellPid}/stat`, 'utf8');
    // After "pid (comm) ": state ppid pgrp session tty_nr tpgid …; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Only once the shell leads its own session (node-pty's child calls setsid just after the fork):
    // before that its terminal is the agent's, whose foreground group must never be signalled.
    if (Number(fields[3]) !== shellPid) return shellPid;
    const tpgid = Number(fields[5]);
    if (Number.isSafeInteger(tpgid) && tpgid > 0) return tpgid;
  } catch {
    // not Linux, or the shell is gone
  }
  return shellPid;
}

/** Sends `signal` to one process; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Sends `signal` to a whole process group; false when the group is gone. */
export function signalGroup(group: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-group, signal);
    return true;
  } catch {
    return false;
  }
}

export function signalName(number: number | undefined): string | undefined {
  if (!number) return undefined;
  return Object.entries(constants.signals).find(([, value]) => value === number)?.[0];
}
