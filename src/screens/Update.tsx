import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { BackupInfo } from '../core/backup/types.js';
import type { Operations } from '../core/operations.js';
import { phaseText, recoveryChoices } from '../core/update/recovery.js';
import type { RecoveryChoice, UpdatePlan, UpdateResult } from '../core/update/types.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { symbols } from './components/theme.js';
import { InstallProgressView } from './install/InstallProgressView.js';
import { UpdateDone, UpdateFailed } from './update/UpdateOutcome.js';
import { UpdatePlanView } from './update/UpdatePlanView.js';
import { useInstallProgress } from './use-install-progress.js';
import { useTerminalSize } from './use-terminal-size.js';
import { upToDateText } from '../core/update/plan-text.js';
import { needsExplicitYes, updateDisruption } from '../core/safety/disruption.js';
import { CONFIRM_DISRUPTION_HINTS, ConfirmDisruption } from './safety/ConfirmDisruption.js';

const FRAME_ROWS = 6;

type Phase =
  | { name: 'planning' }
  | { name: 'plan-failed'; error: unknown }
  | { name: 'up-to-date'; plan: UpdatePlan }
  | { name: 'confirm'; plan: UpdatePlan }
  | { name: 'safety'; plan: UpdatePlan }
  | { name: 'interrupted'; plan: UpdatePlan }
  | { name: 'running'; plan: UpdatePlan }
  | { name: 'done'; result: UpdateResult }
  | { name: 'failed'; plan: UpdatePlan; error: unknown };

export interface UpdateProps {
  operations: Operations;
  installDir: string;
  /** Back home; `changed` when an update (or rollback) ran, so the app checks again. */
  onBack: (changed: boolean) => void;
  /** In safety mode an update first shows what it means and needs a typed y. */
  safetyMode?: boolean;
}

const back: KeyHint = { keys: 'esc', action: 'back' };
const HINTS: Record<Exclude<Phase['name'], 'interrupted'>, KeyHint[]> = {
  planning: [back],
  'plan-failed': [{ keys: 'r', action: 'try again' }, back],
  'up-to-date': [back],
  confirm: [{ keys: 'enter', action: 'update' }, back],
  safety: CONFIRM_DISRUPTION_HINTS,
  running: [{ keys: 'ctrl-c', action: 'stop (the next run finishes or rolls back)' }],
  done: [{ keys: 'q', action: 'back' }],
  failed: [{ keys: 'r', action: 'check again' }, back],
};

/** Plan → confirm (or: finish / roll back an interrupted update) → live progress → outcome. */
export function Update({ operations, installDir, onBack, safetyMode }: UpdateProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'planning' });
  const [attempt, setAttempt] = useState(0);
  const [lastBackup, setLastBackup] = useState<BackupInfo | undefined>();
  const { progress, startRun, flush } = useInstallProgress();
  const { columns, rows } = useTerminalSize();
  const lifetime = useRef<AbortController | null>(null);
  const ran = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const sink = startRun();
    setPhase({ name: 'planning' });
    operations.planUpdate({ installDir }, sink, controller.signal).then(
      (plan) => {
        if (controller.signal.aborted) return;
        flush();
        setPhase(plan.interrupted ? { name: 'interrupted', plan } : plan.upToDate ? { name: 'up-to-date', plan } : { name: 'confirm', plan });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        flush();
        setPhase({ name: 'plan-failed', error });
      },
    );
    operations.listBackups({ installDir }).then(
      (backups) => {
        if (!controller.signal.aborted) setLastBackup(backups[0]);
      },
      () => undefined,
    );
    return () => controller.abort();
  }, [operations, installDir, attempt, startRun, flush]);

  const start = (plan: UpdatePlan, resume?: RecoveryChoice) => {
    if (!lifetime.current || phase.name === 'running') return;
    const chosen = resume ? { ...plan, resume } : plan;
    const signal = lifetime.current.signal;
    ran.current = true;
    const sink = startRun(resume && resume !== plan.resume ? [] : chosen.steps);
    setPhase({ name: 'running', plan: chosen });
    operations.update(chosen, sink, signal).then(
      (result) => {
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'done', result });
      },
      (error: unknown) => {
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'failed', plan: chosen, error });
      },
    );
  };

  useInput((input, key) => {
    const leave = key.escape || input === 'q';
    switch (phase.name) {
      case 'planning':
      case 'up-to-date':
        if (leave || key.return) onBack(false);
        break;
      case 'plan-failed':
      case 'failed':
        if (leave) onBack(ran.current);
        else if (input === 'r') setAttempt((count) => count + 1);
        break;
      case 'confirm':
        if (key.return || input === 'y') {
          if (needsExplicitYes(safetyMode)) setPhase({ name: 'safety', plan: phase.plan });
          else start(phase.plan);
        } else if (leave || input === 'n') onBack(false);
        break;
      case 'safety': // ConfirmDisruption has the keys
        break;
      case 'interrupted': {
        const choices = recoveryChoices(phase.plan.interrupted!);
        if (input === 'f' && choices.includes('finish')) start(phase.plan, 'finish');
        else if (input === 'b' && choices.includes('roll-back')) start(phase.plan, 'roll-back');
        else if (leave) onBack(false);
        break;
      }
      case 'done':
        if (leave || key.return) onBack(true);
        break;
      case 'running':
        break; // only Ctrl-C (the app's) stops it; the state on disk lets the next run resolve it
    }
  });

  const width = columns - 2;
  const bodyRows = Math.max(6, rows - FRAME_ROWS);
  const hints = phase.name === 'interrupted' ? interruptedHints(phase.plan) : HINTS[phase.name];

  return (
    <ScreenFrame section="Update" hints={hints}>
      {phase.name === 'planning' ? (
        <Text>
          <Spinner /> {progress.lastInfo ?? 'Looking for the newest version…'}
        </Text>
      ) : null}
      {phase.name === 'plan-failed' ? <ErrorPanel error={phase.error} maxDetails={bodyRows - 4} /> : null}
      {phase.name === 'up-to-date' ? (
        <Text wrap="truncate-end">
          <Text color="green">{symbols.ok}</Text> {phase.plan.project} {upToDateText(phase.plan)}.
        </Text>
      ) : null}
      {phase.name === 'confirm' ? (
        <Box flexDirection="column">
          <UpdatePlanView plan={phase.plan} lastBackup={lastBackup} />
          <Box marginTop={1}>
            <Text>
              Press <Text bold>enter</Text> to update (the backup is taken first), <Text bold>esc</Text> to go back.
            </Text>
          </Box>
        </Box>
      ) : null}
      {phase.name === 'safety' ? <ConfirmDisruption disruption={updateDisruption(phase.plan)} onConfirm={() => start(phase.plan)} onCancel={() => onBack(false)} /> : null}
      {phase.name === 'interrupted' ? <InterruptedChoice plan={phase.plan} /> : null}
      {phase.name === 'running' ? (
        <Box flexDirection="column">
          <Text bold wrap="truncate-middle">
            {phase.plan.interrupted
              ? `${phase.plan.resume === 'finish' ? 'Finishing' : 'Rolling back'} the update of ${phase.plan.project} ${phase.plan.current} → ${phase.plan.target}`
              : `Updating ${phase.plan.project} ${phase.plan.current} → ${phase.plan.target}`}
          </Text>
          <Box marginTop={1}>
            <InstallProgressView progress={progress} width={width} rows={bodyRows - 2} />
          </Box>
        </Box>
      ) : null}
      {phase.name === 'done' ? <UpdateDone result={phase.result} width={width} /> : null}
      {phase.name === 'failed' ? <UpdateFailed error={phase.error} target={phase.plan.target} maxDetails={Math.max(3, bodyRows - 6)} /> : null}
    </ScreenFrame>
  );
}

function interruptedHints(plan: UpdatePlan): KeyHint[] {
  const choices = recoveryChoices(plan.interrupted!);
  return [
    ...(choices.includes('finish') ? [{ keys: 'f', action: `finish (→ ${plan.target})` }] : []),
    { keys: 'b', action: `roll back (→ ${plan.current})` },
    back,
  ];
}

function InterruptedChoice({ plan }: { plan: UpdatePlan }) {
  const state = plan.interrupted!;
  const choices = recoveryChoices(state);
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color="yellow">{symbols.warning}</Text>{' '}
        <Text bold>
          An update from {state.from} to {state.to} was interrupted {phaseText(state)}.
        </Text>
      </Text>
      <Box flexDirection="column" marginTop={1} marginLeft={2}>
        {choices.includes('finish') ? (
          <Text>
            <Text bold>f</Text> finish it: go on to {state.to}; if it does not come up healthy, {state.from} is put back by itself
          </Text>
        ) : null}
        <Text>
          <Text bold>b</Text> roll back to {state.from}
          {state.newVersionStarted && state.backupFile ? ', restoring the data volumes from the pre-update backup' : ''}
        </Text>
      </Box>
      {plan.warnings.map((warning) => (
        <Text key={warning} wrap="truncate-end">
          <Text color="yellow">{symbols.warning}</Text> {warning}
        </Text>
      ))}
    </Box>
  );
}
