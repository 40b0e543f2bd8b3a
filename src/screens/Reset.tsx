import { Box, Text, useInput } from 'ink';
import { useEffect, useState } from 'react';
import type { Operations } from '../core/operations.js';
import type { ResetPlan } from '../core/safety/reset.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { Menu } from './components/Menu.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { DestructiveFlow } from './safety/DestructiveFlow.js';

type Choice = 'fresh' | 'stopped' | 'configs';

type Phase = { name: 'choose' } | { name: 'planning'; choice: Choice } | { name: 'plan-failed'; error: unknown } | { name: 'flow'; plan: ResetPlan; choice: Choice };

const CHOICES: { value: Choice; label: string }[] = [
  { value: 'fresh', label: 'Delete the data, then start fresh (empty) now' },
  { value: 'stopped', label: 'Delete the data, and leave it stopped' },
  { value: 'configs', label: 'Delete the data and the configuration with its secrets (back to not installed)' },
];

/** Reset: how far (start fresh, leave stopped, or also the configuration), then the safety flow. */
export function Reset({ operations, installDir, onBack }: { operations: Operations; installDir: string; onBack: () => void }) {
  const [phase, setPhase] = useState<Phase>({ name: 'choose' });

  useEffect(() => {
    if (phase.name !== 'planning') return;
    const controller = new AbortController();
    operations.planReset({ installDir, configs: phase.choice === 'configs' }, controller.signal).then(
      (plan) => !controller.signal.aborted && setPhase({ name: 'flow', plan, choice: phase.choice }),
      (error: unknown) => !controller.signal.aborted && setPhase({ name: 'plan-failed', error }),
    );
    return () => controller.abort();
  }, [operations, installDir, phase]);

  useInput((_input, key) => {
    if (key.escape && phase.name !== 'flow') onBack();
  });

  if (phase.name === 'flow') {
    const { plan, choice } = phase;
    return (
      <DestructiveFlow
        section="Reset"
        plan={plan}
        requiresPhrase
        actionLabel={`reset ${plan.project}`}
        backupNow={(sink, signal) => operations.backup({ installDir }, sink, signal)}
        run={(confirmation, sink, signal) => operations.reset(plan, { confirmation, startFresh: choice === 'fresh' }, sink, signal)}
        onCancel={onBack}
        onDone={onBack}
      />
    );
  }
  return (
    <ScreenFrame section="Reset" hints={phase.name === 'choose' ? [{ keys: 'enter', action: 'choose' }, { keys: 'esc', action: 'cancel' }] : [{ keys: 'esc', action: 'back' }]}>
      {phase.name === 'choose' ? (
        <Box flexDirection="column">
          <Text bold>Reset deletes the data of the instance in {installDir}.</Text>
          <Text dimColor>Next you see exactly what goes and what stays, your backups, and then you confirm with a typed phrase.</Text>
          <Box marginTop={1}>
            <Menu items={CHOICES} onSelect={(choice) => setPhase({ name: 'planning', choice })} />
          </Box>
        </Box>
      ) : null}
      {phase.name === 'planning' ? (
        <Text>
          <Spinner /> Finding what a reset would delete (volumes and their sizes)…
        </Text>
      ) : null}
      {phase.name === 'plan-failed' ? <ErrorPanel error={phase.error} /> : null}
    </ScreenFrame>
  );
}
