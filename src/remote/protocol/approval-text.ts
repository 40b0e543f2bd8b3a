import { formatBytes } from '../../core/format-bytes.js';
import { plural } from '../../core/plural.js';
import type { Approval, ApprovalDetails } from './approvals.js';

/**
 * The words every face shows for an approval (the CLI's lines, the full-screen app, the agent's
 * own screen), as styled lines without any terminal codes, so the texts match everywhere.
 */
export type ApprovalLineStyle = 'plain' | 'bold' | 'dim' | 'added' | 'removed' | 'hunk' | 'warning' | 'danger' | 'ok';

export interface ApprovalLine {
  text: string;
  style: ApprovalLineStyle;
  /** A quiet label before the text ("Device", "Downtime"). */
  label?: string;
}

export interface ApprovalFact {
  label: string;
  value: string;
}

export function deviceText(approval: Approval): string {
  return `${approval.device.name} (${approval.device.role})`;
}

/** "4m 05s", "12s", "1h 02m" for a number of milliseconds (never negative). */
export function durationText(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h ${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** "asked 2m 10s ago" */
export function ageText(approval: Approval, now: number): string {
  return `asked ${durationText(now - Date.parse(approval.requestedAt))} ago`;
}

/** "expires in 7m 50s", or "expired" once the time is up. */
export function expiryText(approval: Approval, now: number): string {
  const left = Date.parse(approval.expiresAt) - now;
  return left > 0 ? `expires in ${durationText(left)}` : 'expired';
}

/** Pending and still inside its time: what a person can still decide. */
export function isDecidable(approval: Approval, now: number): boolean {
  return approval.state === 'pending' && Date.parse(approval.expiresAt) > now;
}

/**
 * Who decided, in words: "you" when `self` (the face asking) made the decision, "phone (device)"
 * for a device, else the name the agent gave ("root on this server (openmates remote-access)").
 */
export function deciderText(approval: Approval, self?: 'cli' | 'app'): string | undefined {
  const by = approval.decidedBy;
  if (!by) return undefined;
  if (self !== undefined && by.via === self) return 'you';
  return by.via === 'device' ? `${by.name} (device)` : by.name;
}

/** "Approved by you", "Denied by phone (device): not now", "Expired: nobody answered in time". */
export function outcomeText(approval: Approval, self?: 'cli' | 'app'): string {
  const by = deciderText(approval, self);
  const reason = approval.reason ? `: ${approval.reason}` : '';
  switch (approval.state) {
    case 'pending':
      return 'Waiting for a decision';
    case 'approved':
      return `Approved${approval.forSession ? ' for the session' : ''}${by ? ` by ${by}` : ''}`;
    case 'denied':
      return `Denied${by ? ` by ${by}` : ''}${reason}`;
    case 'expired':
      return 'Expired: nobody answered in time';
    case 'cancelled':
      return `Cancelled${by ? ` by ${by}` : ' by the caller'}${reason}`;
  }
}

export function outcomeStyle(approval: Approval): ApprovalLineStyle {
  return approval.state === 'approved' ? 'ok' : approval.state === 'denied' ? 'danger' : approval.state === 'pending' ? 'plain' : 'dim';
}

/** Device, targets, when it was asked and when it expires (or how it ended). */
export function approvalFacts(approval: Approval, now: number, self?: 'cli' | 'app'): ApprovalFact[] {
  const facts: ApprovalFact[] = [
    { label: 'Device', value: deviceText(approval) },
    { label: approval.targets.length === 1 ? 'Target' : 'Targets', value: approval.targets.join(', ') || '-' },
  ];
  if (approval.state === 'pending') facts.push({ label: 'Time', value: `${ageText(approval, now)}, ${expiryText(approval, now)}` });
  else facts.push({ label: 'Outcome', value: outcomeText(approval, self) });
  facts.push({ label: 'Id', value: approval.id });
  return facts;
}

/** The style of one unified-diff line: + added, - removed, @@ hunk, headers and context quiet. */
export function diffLineStyle(line: string): ApprovalLineStyle {
  if (line.startsWith('+++') || line.startsWith('---')) return 'dim';
  if (line.startsWith('+')) return 'added';
  if (line.startsWith('-')) return 'removed';
  if (line.startsWith('@@')) return 'hunk';
  return 'plain';
}

export function diffLines(diff: string): ApprovalLine[] {
  const lines = diff.replace(/\n$/, '').split('\n');
  return lines.map((text) => ({ text, style: diffLineStyle(text) }));
}


/** What changes, by kind, without the diff (see `approvalDiff`). */
export function detailLines(details: ApprovalDetails): ApprovalLine[] {
  switch (details.kind) {
    case 'write': {
      const size = details.before ? `${formatBytes(details.before.size)} → ${formatBytes(details.after.size)}` : `new file, ${formatBytes(details.after.size)}`;
      const lines: ApprovalLine[] = [{ label: details.before ? 'Writes' : 'Creates', text: `${details.path} (${size})`, style: 'plain' }];
      if (details.binary) lines.push({ text: 'Binary file: no diff shown, only the sizes.', style: 'dim' });
      else if (details.diff === undefined || details.diff === '') lines.push({ text: 'The content stays the same.', style: 'dim' });
      return lines;
    }
    case 'delete': {
      const lines: ApprovalLine[] = [
        { label: 'Deletes', text: `${details.path}: ${plural(details.files, 'file')}, ${plural(details.folders, 'folder')}, ${formatBytes(details.bytes)}`, style: 'danger' },
        ...details.sample.map((name) => ({ text: `✗ ${name}`, style: 'danger' as const })),
      ];
      const more = details.files + details.folders - details.sample.length;
      if (details.sample.length > 0 && more > 0) lines.push({ text: `… and ${more} more`, style: 'dim' });
      return lines;
    }
    case 'move':
    case 'copy': {
      const lines: ApprovalLine[] = [{ label: details.kind === 'move' ? 'Moves' : 'Copies', text: `${details.src} → ${details.dst} (${formatBytes(details.bytes)})`, style: 'plain' }];
      if (details.overwrites) lines.push({ text: `! Overwrites the existing ${details.dst}`, style: 'warning' });
      return lines;
    }
    case 'mkdir':
      return [{ label: 'Creates', text: `the folder ${details.path}${details.parents ? ' (and any missing parents)' : ''}`, style: 'plain' }];
    case 'command': {
      const lines: ApprovalLine[] = [
        { label: 'Command', text: details.command, style: 'bold' },
        { label: 'In', text: details.cwd, style: 'plain' },
        { label: 'Why asked', text: details.reasons.join('; ') || details.category, style: 'plain' },
      ];
      if (details.mayTouch.length > 0) lines.push({ label: 'May touch', text: details.mayTouch.join(', '), style: 'plain' });
      if (details.destructive) lines.push({ text: '! Destructive: it may delete or overwrite data', style: 'danger' });
      return lines;
    }
    case 'service': {
      const lines: ApprovalLine[] = [{ text: details.headline, style: 'bold' }, { label: 'Downtime', text: details.downtime, style: 'plain' }];
      if (details.services.length > 0) lines.push({ label: 'Services', text: details.services.join(', '), style: 'plain' });
      lines.push(...details.consequences.map((text) => ({ text: `! ${text}`, style: 'warning' as const })));
      return lines;
    }
    case 'terminal':
      return [
        { label: 'Shell', text: details.shell, style: 'bold' },
        { label: 'In', text: details.cwd, style: 'plain' },
        { text: `! ${details.warning}`, style: 'warning' },
      ];
    case 'other':
      return [{ text: details.description, style: 'plain' }];
  }
}

/** The write's unified diff as styled lines, and a last line when the agent cut it. Empty for other kinds. */
export function approvalDiff(details: ApprovalDetails): ApprovalLine[] {
  if (details.kind !== 'write' || details.binary || !details.diff) return [];
  const lines = diffLines(details.diff);
  if (details.diffTruncated) lines.push({ text: '… the diff is longer; the agent left the rest out', style: 'dim' });
  return lines;
}

export function undoLine(approval: Approval): ApprovalLine {
  return approval.undo.possible ? { label: 'Undo', text: approval.undo.how, style: 'plain' } : { label: 'Undo', text: `not possible${approval.undo.how ? `: ${approval.undo.how}` : ''}`, style: 'warning' };
}

/** Why `s` is not offered, or undefined when it is. */
export function forSessionRefusal(approval: Approval): string | undefined {
  return approval.forSessionAllowed ? undefined : 'This request cannot be approved for the session: it is destructive, so each one is asked on its own.';
}

/** What approving "for the session" would also allow, while it can still be decided and is allowed. */
export function forSessionLine(approval: Approval): ApprovalLine | undefined {
  if (approval.state !== 'pending' || !approval.forSessionAllowed) return undefined;
  return { label: 'Session', text: `approving for the session also allows ${approval.op} on the same path (or command) from ${approval.device.name} until it disconnects`, style: 'dim' };
}
