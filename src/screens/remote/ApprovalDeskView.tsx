import { Box, Text } from 'ink';
import { isOpenmatesError, messageOf } from '../../core/errors.js';
import type { Approval } from '../../remote/protocol/approvals.js';
import { deviceText, expiryText, outcomeStyle, outcomeText } from '../../remote/protocol/approval-text.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { symbols, toneColor } from '../components/theme.js';
import { ApprovalDetail } from './ApprovalDetail.js';
import { StyledLine } from './StyledLine.js';
import type { ApprovalDesk } from './use-approval-desk.js';

const LIST_ROWS = 5;
const DECIDED_ROWS = 3;

export const START_AGENT_COMMAND = 'openmates remote-access start';

/** A window of at most `size` items that keeps `index` in view. */
function windowAround<T>(items: readonly T[], index: number, size: number): { items: T[]; start: number } {
  const start = Math.max(0, Math.min(index - Math.floor(size / 2), items.length - size));
  return { items: items.slice(start, start + size), start };
}

function PendingList({ pending, selected, now }: { pending: Approval[]; selected: Approval | undefined; now: number }) {
  const index = selected ? pending.indexOf(selected) : 0;
  const { items, start } = windowAround(pending, index, LIST_ROWS);
  const hidden = pending.length - items.length;
  return (
    <Box flexDirection="column">
      {items.map((approval, offset) => {
        const isSelected = start + offset === index;
        return (
          <Text key={approval.id} wrap="truncate-end">
            <Text color={toneColor.accent}>{isSelected ? `${symbols.pointer} ` : '  '}</Text>
            <Text bold={isSelected} color={isSelected ? toneColor.accent : undefined}>
              {approval.headline}
            </Text>
            <Text dimColor>
              {' '}
              · {deviceText(approval)} · {expiryText(approval, now)}
            </Text>
          </Text>
        );
      })}
      {hidden > 0 ? <Text dimColor>  … {hidden} more (↑↓)</Text> : null}
    </Box>
  );
}

/** The line under the request: the reason prompt, "Approving…", how the last decision went, or a note. */
function StatusLines({ desk }: { desk: ApprovalDesk }) {
  const { mode, outcome, notice } = desk;
  if (mode.name === 'reason') {
    return (
      <Box flexDirection="column">
        <Text wrap="truncate-end">
          <Text bold>Deny: {mode.approval.headline}</Text>
        </Text>
        <Text wrap="truncate-end">
          <Text color={toneColor.accent}>{symbols.pointer} </Text>
          <Text dimColor>Reason (optional): </Text>
          {mode.text}
          <Text inverse> </Text>
        </Text>
      </Box>
    );
  }
  if (mode.name === 'sending') {
    const verb = mode.decision === 'approve' ? (mode.forSession ? 'Approving for the session' : 'Approving') : 'Denying';
    return <Text wrap="truncate-end">{verb}…</Text>;
  }
  const lines = [];
  if (outcome && 'approval' in outcome) {
    const style = outcomeStyle(outcome.approval);
    lines.push(<StyledLine key="outcome" line={{ text: `${style === 'ok' ? symbols.ok : symbols.error} ${outcome.approval.headline} — ${outcomeText(outcome.approval, 'app')}`, style }} />);
  } else if (outcome) {
    const now = desk.decided.find((approval) => approval.id === outcome.id);
    lines.push(
      <Box key="error" flexDirection="column">
        <Text wrap="truncate-end">
          <Text color="red">{symbols.error}</Text> <Text bold>{messageOf(outcome.error)}</Text>
        </Text>
        {now ? (
          <Text wrap="truncate-end">
            {'  '}
            <Text color={toneColor.accent}>{symbols.hint}</Text> {outcomeText(now, 'app')}
          </Text>
        ) : isOpenmatesError(outcome.error) && outcome.error.hint ? (
          <Text wrap="truncate-end">
            {'  '}
            <Text color={toneColor.accent}>{symbols.hint}</Text> {outcome.error.hint}
          </Text>
        ) : null}
      </Box>,
    );
  }
  if (notice) lines.push(<StyledLine key="notice" line={{ text: notice, style: 'warning' }} />);
  return lines.length > 0 ? <Box flexDirection="column">{lines}</Box> : null;
}

function statusRows(desk: ApprovalDesk): number {
  if (desk.mode.name === 'reason') return 2;
  if (desk.mode.name === 'sending') return 1;
  return (desk.outcome ? ('approval' in desk.outcome ? 1 : 2) : 0) + (desk.notice ? 1 : 0);
}

/** Named as the agent names the decider: a decision from another window of this app is not "you". */
function DecidedList({ decided }: { decided: Approval[] }) {
  return (
    <Box flexDirection="column">
      <Text dimColor>Recently decided</Text>
      {decided.slice(0, DECIDED_ROWS).map((approval) => {
        const style = outcomeStyle(approval);
        return (
          <Text key={approval.id} wrap="truncate-end">
            <StyledLine line={{ text: `${style === 'ok' ? symbols.ok : style === 'danger' ? symbols.error : symbols.skipped} ${outcomeText(approval)}`, style }} />
            <Text dimColor> · {approval.headline}</Text>
          </Text>
        );
      })}
    </Box>
  );
}

/**
 * The approvals a person on this server decides: the pending ones to pick from, the picked one in
 * full, how the last decision went, and the recently decided ones; or why there is nothing (no
 * agent runs: how to start one). Fits in `rows`.
 */
export function ApprovalDeskView({ desk, rows, showIdle = true }: { desk: ApprovalDesk; rows: number; showIdle?: boolean }) {
  const { view } = desk;
  if (view.state === 'loading') return showIdle ? <Text dimColor>Asking the remote-access agent…</Text> : null;
  if (view.state === 'no-agent') {
    if (!showIdle) return null;
    return (
      <Box flexDirection="column">
        <Text>No remote-access agent runs on this machine, so no request waits for approval.</Text>
        <Text wrap="wrap">
          <Text color={toneColor.accent}>{symbols.hint}</Text> Start one in another terminal: <Text bold>{START_AGENT_COMMAND}</Text>
          <Text dimColor> (it runs until Ctrl-C; this screen finds it by itself)</Text>
        </Text>
      </Box>
    );
  }
  if (view.state === 'failed') return <ErrorPanel error={view.error} />;
  const { pending, decided, selected } = desk;
  if (!showIdle && pending.length === 0 && !desk.outcome) return null;
  const listRows = Math.min(pending.length, LIST_ROWS) + (pending.length > LIST_ROWS ? 1 : 0);
  const decidedRows = decided.length > 0 ? 2 + Math.min(decided.length, DECIDED_ROWS) : 0;
  const status = statusRows(desk);
  const detailRows = rows - 1 - listRows - 1 - (status > 0 ? status + 1 : 0) - decidedRows;
  return (
    <Box flexDirection="column">
      {pending.length === 0 ? (
        <Text>Nothing waits for your approval.</Text>
      ) : (
        <Text bold color="yellow">
          {symbols.badge} Waiting for your approval ({pending.length})
        </Text>
      )}
      <PendingList pending={pending} selected={selected} now={desk.now} />
      {selected ? (
        <Box marginTop={1}>
          <ApprovalDetail approval={selected} rows={detailRows} scroll={desk.scroll} now={desk.now} />
        </Box>
      ) : null}
      {status > 0 ? (
        <Box marginTop={1}>
          <StatusLines desk={desk} />
        </Box>
      ) : null}
      {decidedRows > 0 ? (
        <Box marginTop={1}>
          <DecidedList decided={decided} />
        </Box>
      ) : null}
    </Box>
  );
}
