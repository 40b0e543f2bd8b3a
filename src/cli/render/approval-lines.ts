import type { Approval } from '../../remote/protocol/approvals.js';

/**
 * An approval as plain lines (`openmates remote-access approvals` without --json): the headline,
 * who asks, the targets, what it changes, whether it can be undone, until when it waits.
 */
export function approvalLines(approval: Approval, now = Date.now()): string[] {
  const lines = [`${approval.id}  ${approval.state === 'pending' ? 'PENDING' : approval.state}  ${approval.headline}`];
  lines.push(`  from: ${approval.device.name} (${approval.device.role}), ${approval.requestedAt.slice(0, 19).replace('T', ' ')} UTC`);
  if (approval.targets.length > 0) lines.push(`  targets: ${approval.targets.join(', ')}`);
  lines.push(...detailLines(approval.details).map((line) => `  ${line}`));
  lines.push(`  undo: ${approval.undo.how}`);
  if (approval.state === 'pending') {
    const left = Math.max(0, Math.round((Date.parse(approval.expiresAt) - now) / 1000));
    lines.push(`  waits until ${approval.expiresAt.slice(11, 19)} UTC (${left >= 60 ? `${Math.round(left / 60)} min` : `${left} s`} left); denied by itself then`);
    lines.push(`  decide: openmates remote-access approve ${approval.id}${approval.forSessionAllowed ? ' [--for-session]' : ''} | deny ${approval.id} [--reason TEXT]`);
  } else if (approval.decidedBy) {
    lines.push(`  ${approval.state}${approval.forSession ? ' for the session' : ''} by ${approval.decidedBy.name}${approval.decidedAt ? ` at ${approval.decidedAt.slice(11, 19)} UTC` : ''}${approval.reason ? `: ${approval.reason}` : ''}`);
  }
  return lines;
}

function detailLines(details: Approval['details']): string[] {
  switch (details.kind) {
    case 'write': {
      const sizes = `${details.before ? `${details.before.size} bytes now` : 'a new file'}, ${details.after.size} bytes after`;
      if (details.binary) return [`write: binary, ${sizes}`];
      if (details.diff === undefined) return [`write: ${sizes} (no diff: too large, or a secret file)`];
      return [`write: ${sizes}`, ...details.diff.replace(/\n$/, '').split('\n').map((line) => `  ${line}`), ...(details.diffTruncated ? ['  … (the diff goes on; lines were left out)'] : [])];
    }
    case 'delete':
      return [`deletes: ${details.files} files, ${details.folders} folders, ${details.bytes} bytes`, ...(details.sample.length > 0 ? [`  e.g. ${details.sample.join(', ')}`] : [])];
    case 'move':
    case 'copy':
      return [`${details.kind}: ${details.src} -> ${details.dst} (${details.bytes} bytes)${details.overwrites ? ', replacing what is there' : ''}`];
    case 'mkdir':
      return [`creates the folder ${details.path}${details.parents ? ' and its parents' : ''}`];
    case 'command':
      return [
        `command: ${details.command}`,
        `  in: ${details.cwd}`,
        `  why it counts as a change: ${details.reasons.join('; ') || details.category}`,
        `  may touch: ${details.mayTouch.join('; ')}`,
        ...(details.destructive ? ['  DESTRUCTIVE: approve it only once, never for the session'] : []),
      ];
    case 'service':
      return [`downtime: ${details.downtime}`, `services: ${details.services.join(', ') || '(none running)'}`, ...details.consequences.map((line) => `  - ${line}`)];
    case 'other':
      return [details.description];
  }
}
