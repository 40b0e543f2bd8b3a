import type { Approval, ApprovalDetails } from './approvals.js';

const TAB_STOP = 8;
// C0 controls but tab and newline, DEL, C1 controls, and the bidi overrides that can make a line read other than it runs.
const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function expandTabs(line: string): string {
  if (!line.includes('\t')) return line;
  let out = '';
  for (const char of line) out += char === '\t' ? ' '.repeat(TAB_STOP - (out.length % TAB_STOP)) : char;
  return out;
}

function escape(char: string): string {
  const code = char.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
}

/**
 * One line of text from a remote request made safe to put on a terminal: an escape sequence in
 * a path or a command cannot move the cursor, recolour or clear the screen the person decides
 * on; it shows as `\x1b`. A newline (legal in a file name) shows as `\x0a`, so a line stays one
 * row; tabs become spaces (the app measures widths).
 */
export function printableLine(text: string): string {
  return expandTabs(text).replace(UNPRINTABLE, escape).replace(/\n/g, escape);
}

/** Lines of text (a diff): each line as `printableLine`, the newlines kept. */
export function printable(text: string): string {
  return text.split('\n').map(printableLine).join('\n');
}

function printableDetails(details: ApprovalDetails): ApprovalDetails {
  switch (details.kind) {
    case 'write':
      return { ...details, path: printableLine(details.path), ...(details.diff === undefined ? {} : { diff: printable(details.diff) }) };
    case 'delete':
      return { ...details, path: printableLine(details.path), sample: details.sample.map(printableLine) };
    case 'move':
    case 'copy':
      return { ...details, src: printableLine(details.src), dst: printableLine(details.dst) };
    case 'mkdir':
      return { ...details, path: printableLine(details.path) };
    case 'command':
      return { ...details, command: printableLine(details.command), cwd: printableLine(details.cwd), reasons: details.reasons.map(printableLine), category: printableLine(details.category), mayTouch: details.mayTouch.map(printableLine) };
    case 'service':
      return { ...details, headline: printableLine(details.headline), downtime: printableLine(details.downtime), services: details.services.map(printableLine), consequences: details.consequences.map(printableLine) };
    case 'terminal':
      return { ...details, shell: printableLine(details.shell), cwd: printableLine(details.cwd), warning: printableLine(details.warning) };
    case 'other':
      return { ...details, description: printableLine(details.description) };
  }
}

/** The approval with every text a face shows made printable; ids and the hash stay as they are. */
export function printableApproval(approval: Approval): Approval {
  return {
    ...approval,
    headline: printableLine(approval.headline),
    targets: approval.targets.map(printableLine),
    device: { ...approval.device, name: printableLine(approval.device.name) },
    details: printableDetails(approval.details),
    undo: { ...approval.undo, how: printableLine(approval.undo.how) },
    ...(approval.decidedBy ? { decidedBy: { ...approval.decidedBy, name: printableLine(approval.decidedBy.name) } } : {}),
    ...(approval.reason === undefined ? {} : { reason: printableLine(approval.reason) }),
  };
}
