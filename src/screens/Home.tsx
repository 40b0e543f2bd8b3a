import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { LifecycleAction } from '../core/lifecycle/types.js';
import type { Operations } from '../core/operations.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { Facts } from './components/Facts.js';
import type { KeyHint } from './components/KeyHints.js';
import { Menu } from './components/Menu.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { StateBadge } from './components/StateBadge.js';
import { symbols } from './components/theme.js';
import { Dashboard } from './dashboard/Dashboard.js';
import { dashboardFacts } from './dashboard/host-facts.js';
import { needsAttention } from './dashboard/service-rows.js';
import { homeMenuItems, moreMenuItems, summarizeInstance, type HomeAction } from './instance-summary.js';
import { UpdateNotice } from './components/UpdateNotice.js';
import { updateMenuItem } from './update-menu.js';
import { updateKeyActive, updateNoticeLines, type UpdateCheckView } from './update-notice.js';
import { useDashboard } from './use-dashboard.js';
import type { ApprovalsSource } from '../remote/agent/control-approvals.js';
import { pendingCount, useApprovals, type ApprovalsPolling } from './remote/use-approvals.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows the frame takes from the terminal: header (2), footer (2), body padding (1), spare row (1). */
const FRAME_ROWS = 6;
const MENU_WIDTH = 27;

export interface HomeProps {
  operations: Operations;
  installDir: string;
  /** Install and "Reinstall / repair" both open the install flow. */
  onInstall: () => void;
  /** Start, Stop and Restart open the screen for that action. */
  onLifecycle: (action: LifecycleAction) => void;
  /** `l`: the logs of the service the hint names, or of all services when none needs attention. */
  onOpenLogs?: (service?: string) => void;
  onQuit: () => void;
  /** Screens the app routes to from the menu. */
  onOpen?: (screen: HomeScreen) => void;
  /** The start-up update check (run by the app after its first frame). */
  updates?: UpdateCheckView;
  /** Opens the Update screen (u, or the menu when an update was interrupted). */
  onUpdate?: () => void;
  /** This machine's safety mode; undefined while unknown. */
  safetyMode?: boolean;
  /** The remote-access agent's approvals: a line with the count when some wait, and `a` opens Remote access. */
  approvals?: ApprovalsSource;
  approvalsPolling?: ApprovalsPolling;
}

/**
 * The start screen, a live dashboard: every service's state, health, uptime, restarts, CPU and
 * memory, the host, version and URLs, kept current from the engine; services that need attention
 * stand out with a hint; and the menu of what you can do.
 */
export type HomeScreen = 'reset' | 'uninstall' | 'delete-kept' | 'settings' | 'backups' | 'login' | 'runs' | 'remote';

export function Home({ operations, installDir, onInstall, onLifecycle, onOpenLogs, onQuit, onOpen, safetyMode, updates, onUpdate, approvals, approvalsPolling }: HomeProps) {
  const [round, setRound] = useState(0);
  const view = useDashboard(operations, installDir, round);
  const { columns, rows } = useTerminalSize();
  const [focus, setFocus] = useState(0);

  const snapshot = view.state === 'ready' && view.snapshot.installed ? view.snapshot : undefined;
  const attention = snapshot ? snapshot.services.filter(needsAttention) : [];
  const focused = attention.length > 0 ? attention[focus % attention.length] : undefined;
  useEffect(() => {
    if (focus >= attention.length && focus !== 0) setFocus(0);
  }, [attention.length, focus]);

  // Only a change redraws: on the idle dashboard a poll with the same answer would be a full redraw for nothing.
  const { view: approvalsView } = useApprovals(approvals, approvalsPolling, true);
  const waiting = pendingCount(approvalsView, Date.now());
  const canOpenRemote = approvals !== undefined && onOpen !== undefined;

  const [showMore, setShowMore] = useState(false);
  const canUpdate = onUpdate !== undefined && updateKeyActive(snapshot, updates);
  const checkAgain = () => setRound((value) => value + 1);
  useInput((input, key) => {
    if (showMore && key.escape) setShowMore(false);
    else if (input === 'q') onQuit();
    else if (input === 'u' && canUpdate) onUpdate();
    else if (input === 'r') checkAgain();
    else if (input === 'a' && canOpenRemote) onOpen('remote');
    else if (input === 'l' && snapshot && onOpenLogs) onOpenLogs(focused?.service);
    else if (key.tab && attention.length > 1) setFocus((value) => (value + 1) % attention.length);
  });

  const onSelect = (action: HomeAction) => {
    if (action === 'install' || action === 'repair') onInstall();
    else if (action === 'start' || action === 'stop' || action === 'restart') onLifecycle(action);
    else if (action === 'check-again') checkAgain();
    else if (action === 'quit') onQuit();
    else if (action === 'more') setShowMore(true);
    else if (action === 'back') setShowMore(false);
    else if (action === 'logs') onOpenLogs?.();
    else if (action === 'update') onUpdate?.();
    else onOpen?.(action);
  };

  const items = showMore && snapshot ? moreMenuItems(canOpenRemote ? waiting : undefined) : homeMenuItems(view, updateMenuItem(snapshot));
  const notice = updateNoticeLines(snapshot, updates);
  const summary = summarizeInstance(view);
  const hints: KeyHint[] = [
    { keys: '↑↓', action: 'move' },
    { keys: 'enter', action: 'select' },
    ...(snapshot && onOpenLogs ? [{ keys: 'l', action: 'logs' }] : []),
    ...(canUpdate ? [{ keys: 'u', action: 'update' }] : []),
    ...(canOpenRemote ? [{ keys: 'a', action: waiting > 0 ? 'approve' : 'remote access' }] : []),
    { keys: 'r', action: 'refresh' },
    { keys: 'q', action: 'quit' },
  ];

  const width = columns - 2;
  const bodyRows = Math.max(8, rows - FRAME_ROWS);
  const blockRows = items.length;
  // The notice wraps and has a blank line above it: count the rows it really takes.
  const noticeRows = notice.length === 0 ? 0 : 1 + notice.reduce((total, line) => total + Math.max(1, Math.ceil((line.text.length + 2) / Math.max(1, width))), 0);
  const dashboardRows = bodyRows - 2 - 1 - blockRows - (safetyMode === undefined ? 0 : 1) - (waiting > 0 ? 1 : 0) - noticeRows;
  const menu = <Menu key={items.map((item) => item.value).join(' ')} items={items} onSelect={onSelect} />;

  return (
    <ScreenFrame hints={hints}>
      <StateBadge label={summary.label} tone={summary.tone} busy={summary.busy} />
      <SafetyModeLine safetyMode={safetyMode} />
      {waiting > 0 ? <ApprovalsWaitingLine count={waiting} openable={canOpenRemote} /> : null}
      <UpdateNotice lines={notice} />
      <Box flexDirection="column" marginTop={1}>
        {snapshot ? (
          <Dashboard
            snapshot={snapshot}
            width={width}
            rows={dashboardRows}
            {...(focused ? { focused } : {})}
            attentionCount={attention.length}
            logsAvailable={onOpenLogs !== undefined}
            now={Date.now()}
          />
        ) : null}
        {view.state === 'failed' ? <ErrorPanel error={view.error} /> : null}
        {view.state === 'ready' && !view.snapshot.installed && !view.snapshot.keptData ? <Text dimColor>Nothing is installed in {view.snapshot.installDir} yet.</Text> : null}
        {view.state === 'ready' && view.snapshot.keptData ? (
          <Text wrap="wrap">
            {view.snapshot.keptData.project} was uninstalled here; its data and secrets are kept ({view.snapshot.keptData.volumes.join(', ')}, .env).
          </Text>
        ) : null}
      </Box>
      <Box marginTop={1}>
        {snapshot ? (
          <>
            <Box width={MENU_WIDTH} flexShrink={0}>
              {menu}
            </Box>
            <Box flexGrow={1} flexShrink={1} overflow="hidden">
              <Facts facts={dashboardFacts(snapshot, blockRows)} />
            </Box>
          </>
        ) : (
          menu
        )}
      </Box>
    </ScreenFrame>
  );
}

/** Which mode this machine is in, under the badge. */
function SafetyModeLine({ safetyMode }: { safetyMode: boolean | undefined }) {
  if (safetyMode === undefined) return null;
  return safetyMode ? (
    <Text wrap="truncate-end">
      <Text color="yellow">{symbols.badge}</Text> Safety mode on <Text dimColor>· production server: restart and update ask first</Text>
    </Text>
  ) : (
    <Text dimColor wrap="truncate-end">
      {symbols.badge} Safety mode off
    </Text>
  );
}

/** Remote requests waiting for a person's yes: they hold a caller, so the line draws the eye. */
function ApprovalsWaitingLine({ count, openable }: { count: number; openable: boolean }) {
  return (
    <Text wrap="truncate-end" color="yellow" bold>
      {symbols.warning} {count === 1 ? '1 remote request waits' : `${count} remote requests wait`} for your approval
      {openable ? <Text bold={false}> · press a</Text> : null}
    </Text>
  );
}
