import { Text } from 'ink';
import type { ApprovalLine, ApprovalLineStyle } from '../../remote/protocol/approval-text.js';

const COLORS: Partial<Record<ApprovalLineStyle, string>> = { added: 'green', removed: 'red', hunk: 'cyan', warning: 'yellow', danger: 'red', ok: 'green' };

/** One line of an approval's text, one terminal row (cut at the edge), coloured by its style. */
export function StyledLine({ line, labelWidth = 0, indent = 0 }: { line: ApprovalLine; labelWidth?: number; indent?: number }) {
  return (
    <Text wrap="truncate-end">
      {' '.repeat(indent)}
      {line.label !== undefined ? <Text dimColor>{line.label.padEnd(labelWidth)} </Text> : null}
      <Text {...(COLORS[line.style] ? { color: COLORS[line.style] } : {})} bold={line.style === 'bold'} dimColor={line.style === 'dim'}>
        {line.text}
      </Text>
    </Text>
  );
}
