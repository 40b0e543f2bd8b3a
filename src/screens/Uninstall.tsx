import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { Operations } from '../core/operations.js';
import type { UninstallPlan } from '../core/safety/uninstall.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { Menu } from './components/Menu.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { DestructiveFlow } from './safety/DestructiveFlow.js';

type Phase = { name: 'choose' } | { name: 'planning'; deleteData: boolean } | { name: 'plan-failed'; error: unknown } | { name: 'flow'; plan: UninstallPlan };

const CHOICES = [
  { value: 'keep' as const, label: 'Uninstall, keep the data and the secrets (a reinstall brings them back)' },
  { value: 'delete' as const, label: 'Uninstall and delete all the data' },
];

/**
 * Uninstall: keep the data (just a yes after the list) or delete it (the full safety flow). With
 * `deleteData` set it starts at the list, e.g. for "delete the kept data" after an earlier uninstall.
 */
export function Uninstall({ operations, installDir, deleteData, onBack }: { operations: Operations; installDir: string; deleteData?: boolean; onBack: () => void }) {
  const [phase, setPhase] = useState<Phase>(deleteData === undefined ? { name: 'choose' } : { name: 'planning', deleteData });

  useEffect(() => {
    if (phase.name !== 'planning') return;
    const controller = new AbortController();
    operations.planUninstall({ installDir, deleteData: phase.deleteData }, controller.signal).then(
      (plan) => !controller.signal.aborted && setPhase({ name: 'flow', plan }),
      (error: unknown) => !controller.signal.aborted && setPhase({ name: 'plan-failed', error }),
    );
    return () => controller.abort();
  }, [operations, installDir, phase]);

  useInput((_input, key) => {
    if (key.escape && phase.name !== 'flow') onBack();
  });

  if (phase.name === 'flow') {
    const { plan } = phase;
    return (
      <DestructiveFlow
        section="Uninstall"
        plan={plan}
        requiresPhrase={plan.requiresPhrase}
        actionLabel={plan.deleteData ? `uninstall ${plan.project} and delete its data` : `uninstall ${plan.project}`}
        backupNow={(sink, signal) => operations.backup({ installDir }, sink, signal)}
        run={(confirmation, sink, signal) => operations.uninstall(plan, confirmation === undefined ? {} : { confirmation }, sink, signal)}
        onCancel={onBack}
        onDone={onBack}
      />
    );
  }
  return (
    <ScreenFrame section="Uninstall" hints={phase.name === 'choose' ? [{ keys: 'enter', action: 'choose' }, { keys: 'esc', action: 'cancel' }] : [{ keys: 'esc', action: 'back' }]}>
      {phase.name === 'choose' ? (
        <Box flexDirection="column">
          <Text bold>Uninstall the instance in {installDir}.</Text>
          <Text dimColor>Next you see exactly what is removed and what stays.</Text>
          <Box marginTop={1}>
            <Menu items={CHOICES} onSelect={(choice) => setPhase({ name: 'planning', deleteData: choice === 'delete' })} />
          </Box>
        </Box>
      ) : null}
      {phase.name === 'planning' ? (
        <Text>
          <Spinner /> Finding what an uninstall would remove…
        </Text>
      ) : null}
      {phase.name === 'plan-failed' ? <ErrorPanel error={phase.error} /> : null}
    </ScreenFrame>
  );
}
