import type { Approval } from '../../remote/protocol/approvals.js';
import { printableApproval } from '../../remote/protocol/approval-printable.js';
import { approvalDiff, approvalFacts, detailLines, forSessionLine, forSessionRefusal, outcomeStyle, undoLine, type ApprovalLine, type ApprovalLineStyle } from '../../remote/protocol/approval-text.js';

export interface ApprovalLinesOptions {
  /** ANSI colours (a terminal); plain text otherwise. */
  color: boolean;
  /** The clock for the age and the countdown. */
  now?: number;
  /** The face printing it, so its own decisions read "by you". */
  self?: 'cli' | 'app';
}

const CODES: Record<ApprovalLineStyle, number | undefined> = { plain: undefined, bold: 1, dim: 2, added: 32, removed: 31, hunk: 36, warning: 33, danger: 31, ok: 32 };

function paint(text: string, style: ApprovalLineStyle, color: boolean): string {
  const code = CODES[style];
  return color && code !== undefined ? `\x1b[${code}m${text}\x1b[0m` : text;
}

function lineText(line: ApprovalLine, color: boolean, labelWidth: number): string {
  const label = line.label === undefined ? '' : paint(line.label.padEnd(labelWidth), 'dim', color) + ' ';
  return `${label}${paint(line.text, line.style, color)}`;
}

/**
 * One approval as plain lines, for `openmates remote-access approvals` and anything else that
 * prints: "ID  PENDING  headline", device, targets, time, what changes (with the diff), undo, and either the
 * keys to decide or how it ended. The same words as the full-screen app (src/remote/protocol/approval-text.ts).
 */
export function approvalLines(request: Approval, options: ApprovalLinesOptions = { color: false }): string[] {
  const approval = printableApproval(request);
  const { color } = options;
  const now = options.now ?? Date.now();
  const details = detailLines(approval.details);
  const undo = undoLine(approval);
  const session = forSessionLine(approval);
  // The id leads the first line (it is what `approve ID` takes), so it is not repeated as a fact.
  const facts = approvalFacts(approval, now, options.self).filter((fact) => fact.label !== 'Id');
  const labelWidth = Math.max(...facts.map((fact) => fact.label.length), ...[...details, undo, ...(session ? [session] : [])].map((line) => line.label?.length ?? 0));
  const state = approval.state === 'pending' ? paint('PENDING', 'warning', color) : approval.state;
  const lines = [`${approval.id}  ${state}  ${paint(approval.headline, 'bold', color)}`];
  for (const fact of facts) {
    const style = fact.label === 'Outcome' ? outcomeStyle(approval) : 'plain';
    lines.push(`  ${paint(fact.label.padEnd(labelWidth), 'dim', color)} ${paint(fact.value, style, color)}`);
  }
  lines.push(...details.map((line) => `  ${lineText(line, color, labelWidth)}`));
  lines.push(...approvalDiff(approval.details).map((line) => `    ${paint(line.text, line.style, color)}`));
  lines.push(`  ${lineText(undo, color, labelWidth)}`);
  if (session) lines.push(`  ${lineText(session, color, labelWidth)}`);
  if (approval.state === 'pending') {
    const refusal = forSessionRefusal(approval);
    lines.push(paint(`  openmates remote-access approve ${approval.id}${refusal ? '' : ' [--for-session]'} · openmates remote-access deny ${approval.id} [--reason TEXT]`, 'dim', color));
    if (refusal) lines.push(paint(`  ${refusal}`, 'dim', color));
  }
  return lines;
}
