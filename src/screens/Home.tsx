import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { Operations } from '../core/operations.js';
import type { InstanceStatus } from '../core/status/types.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { Facts } from './components/Facts.js';
import type { KeyHint } from './components/KeyHints.js';
import { Menu } from './components/Menu.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { StateBadge } from './components/StateBadge.js';
import { HealthMark } from './components/ServiceStates.js';
import { isServiceOk, symbols } from './components/theme.js';
import { homeMenuItems, summarizeInstance, type HomeAction, type StatusView } from './instance-summary.js';

export interface HomeProps {
  operations: Operations;
  installDir: string;
  /** Install and "Reinstall / repair" both open the install flow. */
  onInstall: () => void;
  /** Opens the Logs screen. */
  onLogs?: () => void;
  onQuit: () => void;
}

/** The start screen: what is installed here and how it is doing, and what you can do about it. */
export function Home({ operations, installDir, onInstall, onLogs, onQuit }: HomeProps) {
  const [view, setView] = useState<StatusView>({ state: 'checking' });
  const [checkRound, setCheckRound] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setView({ state: 'checking' });
    operations.status({ installDir }, controller.signal).then(
      (status) => {
        if (!controller.signal.aborted) setView({ state: 'ready', status });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setView({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [operations, installDir, checkRound]);

  const checkAgain = () => setCheckRound((round) => round + 1);
  useInput((input) => {
    if (input === 'q') onQuit();
    else if (input === 'r') checkAgain();
  });

  const onSelect = (action: HomeAction) => {
    if (action === 'install' || action === 'repair') onInstall();
    else if (action === 'logs') onLogs?.();
    else if (action === 'check-again') checkAgain();
    else if (action === 'quit') onQuit();
  };

  const items = homeMenuItems(view);
  const summary = summarizeInstance(view);
  const hints: KeyHint[] = [
    { keys: '↑↓', action: 'move' },
    { keys: 'enter', action: 'select' },
    { keys: 'r', action: 'refresh' },
    { keys: 'q', action: 'quit' },
  ];

  return (
    <ScreenFrame hints={hints}>
      <StateBadge label={summary.label} tone={summary.tone} busy={summary.busy} />
      <Box flexDirection="column" marginTop={1} marginLeft={2}>
        {view.state === 'ready' ? <InstanceDetails status={view.status} /> : null}
        {view.state === 'failed' ? <ErrorPanel error={view.error} /> : null}
        {view.state === 'ready' && !view.status.installed ? (
          <Text dimColor>Nothing is installed in {view.status.installDir} yet.</Text>
        ) : null}
      </Box>
      <Box marginTop={1}>
        <Menu key={items.map((item) => item.value).join(' ')} items={items} onSelect={onSelect} />
      </Box>
    </ScreenFrame>
  );
}

/** The install dir, the URLs, and only the services and checks that are not fine. */
function InstanceDetails({ status }: { status: InstanceStatus }) {
  if (!status.installed) return null;
  const facts = [{ label: 'Directory', value: status.installDir }, ...status.urls.map((url) => ({ label: url.name, value: url.url }))];
  const troubled = status.services.filter((service) => !isServiceOk(service.state));
  const failingChecks = status.checks.filter((check) => !check.ok);
  return (
    <Box flexDirection="column">
      <Facts facts={facts} />
      {troubled.length > 0 || failingChecks.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          {troubled.map((service) => (
            <Text key={service.service} wrap="truncate-end">
              <HealthMark state={service.state} /> {service.service} <Text dimColor>{service.state}</Text>
            </Text>
          ))}
          {failingChecks.map((check) => (
            <Text key={check.name} wrap="truncate-end">
              <Text color="red">{symbols.error}</Text> {check.name} <Text dimColor>{check.detail}</Text>
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}
