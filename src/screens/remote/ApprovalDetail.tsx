import { Box } from 'ink';
import type { Approval } from '../../remote/protocol/approvals.js';
import { approvalDiff, approvalFacts, detailLines, forSessionLine, outcomeStyle, undoLine, type ApprovalLine } from '../../remote/protocol/approval-text.js';
import { StyledLine } from './StyledLine.js';

/** The diff rows that fit, from `scroll`, and what is left out above and below. */
export function clipDiff(diff: readonly ApprovalLine[], rows: number, scroll: number): { shown: ApprovalLine[]; above: number; below: number } {
  if (diff.length <= rows) return { shown: [...diff], above: 0, below: 0 };
  const room = Math.max(1, rows - 1); // one row says what is left out
  const start = Math.min(Math.max(0, scroll), diff.length - room);
  return { shown: diff.slice(start, start + room), above: start, below: diff.length - start - room };
}

/**
 * One approval in full: headline, device, targets, time, what changes by kind (a write's diff
 * coloured, clipped to `rows` with "… N more lines"), and whether it can be undone.
 */
export function ApprovalDetail({ approval, rows, scroll, now }: { approval: Approval; rows: number; scroll: number; now: number }) {
  const facts: ApprovalLine[] = approvalFacts(approval, now, 'app').map((fact) => ({ label: fact.label, text: fact.value, style: fact.label === 'Outcome' ? outcomeStyle(approval) : 'plain' }));
  const details = detailLines(approval.details);
  const undo = undoLine(approval);
  const session = forSessionLine(approval);
  const tail = session ? [undo, session] : [undo];
  const head: ApprovalLine[] = [{ text: approval.headline, style: 'bold' }, ...facts, ...details];
  const labelWidth = Math.max(0, ...[...head, ...tail].map((line) => line.label?.length ?? 0));
  const diff = approvalDiff(approval.details);
  const { shown, above, below } = clipDiff(diff, Math.max(3, rows - head.length - tail.length), scroll);
  const more = above + below;
  return (
    <Box flexDirection="column">
      {head.map((line, index) => (
        <StyledLine key={`h${index}`} line={line} labelWidth={labelWidth} />
      ))}
      {shown.map((line, index) => (
        <StyledLine key={`d${index}`} line={line} indent={2} />
      ))}
      {more > 0 ? (
        <StyledLine
          line={{ text: `… ${more} more line${more === 1 ? '' : 's'}${above > 0 ? ` (${above} above)` : ''} · pgdn/pgup scroll`, style: 'dim' }}
          indent={2}
        />
      ) : null}
      {tail.map((line) => (
        <StyledLine key={line.label} line={line} labelWidth={labelWidth} />
      ))}
    </Box>
  );
}
