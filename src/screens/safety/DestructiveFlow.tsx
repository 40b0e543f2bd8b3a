import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { EventSink } from '../../core/events.js';
import type { InstallResult } from '../../core/install/types.js';
import type { DeletionResult, DestructivePlan } from '../../core/safety/types.js';
import { ConfirmPhraseInput } from '../components/ConfirmPhraseInput.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { FailedSteps } from '../components/FailedSteps.js';
import type { KeyHint } from '../components/KeyHints.js';
import { ScreenFrame } from '../components/ScreenFrame.js';
import { StepList } from '../components/StepList.js';
import { symbols } from '../components/theme.js';
import { InstallProgressView } from '../install/InstallProgressView.js';
import { plural } from '../../core/plural.js';
import { useInstallProgress } from '../use-install-progress.js';
import { useTerminalSize } from '../use-terminal-size.js';
import { BackupOffer, type BackupChoice } from './BackupOffer.js';
import { ConsequenceList, totalSize } from './ConsequenceList.js';
import { DeletionSummary } from './DeletionSummary.js';

export type FlowResult = DeletionResult & { freshInstall?: InstallResult };

type Phase =
  | { name: 'checklist' }
  | { name: 'backup' }
  | { name: 'backing-up' }
  | { name: 'backup-failed'; error: unknown }
  | { name: 'phrase'; backupFile?: string }
  | { name: 'running' }
  | { name: 'done'; result: FlowResult }
  | { name: 'failed'; error: unknown };

export interface DestructiveFlowProps {
  /** Shown in the header, e.g. "Reset". */
  section: string;
  plan: DestructivePlan;
  /** False for actions that delete nothing of value (a plain uninstall): no backup offer, no phrase, just enter. */
  requiresPhrase: boolean;
  /** What Enter does at the end, e.g. "reset omt-demo": "press enter to reset omt-demo". */
  actionLabel: string;
  backupNow: (sink: EventSink, signal: AbortSignal) => Promise<{ file: string }>;
  /** The action itself; the core checks the phrase again. */
  run: (confirmation: string | undefined, sink: EventSink, signal: AbortSignal) => Promise<FlowResult>;
  onCancel: () => void;
  onDone: () => void;
}

const ESC_CANCELS: KeyHint = { keys: 'esc', action: 'cancel (nothing is deleted)' };

/**
 * The one safety flow every destructive action goes through: the checklist of what goes and what
 * stays → backup advice with the offer to make one now → the typed phrase → only then the action
 * with progress → a summary of what was deleted. Esc cancels at every step before the action.
 */
export function DestructiveFlow({ section, plan, requiresPhrase, actionLabel, backupNow, run, onCancel, onDone }: DestructiveFlowProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'checklist' });
  const { progress, startRun, flush } = useInstallProgress();
  const { columns, rows } = useTerminalSize();
  const lifetime = useRef<AbortController | null>(null);
  const backupAbort = useRef<AbortController | null>(null);
  const started = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  const startBackup = () => {
    const controller = new AbortController();
    backupAbort.current = controller;
    const sink = startRun();
    setPhase({ name: 'backing-up' });
    backupNow(sink, controller.signal).then(
      (backup) => {
        if (controller.signal.aborted) return;
        flush();
        setPhase({ name: 'phrase', backupFile: backup.file });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        flush();
        setPhase({ name: 'backup-failed', error });
      },
    );
  };

  const startAction = (confirmation: string | undefined) => {
    if (started.current || !lifetime.current) return;
    started.current = true;
    const signal = lifetime.current.signal;
    const sink = startRun(plan.steps);
    setPhase({ name: 'running' });
    run(confirmation, sink, signal).then(
      (result) => {
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'done', result });
      },
      (error: unknown) => {
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'failed', error });
      },
    );
  };

  const cancel = () => {
    backupAbort.current?.abort();
    onCancel();
  };

  useInput((input, key) => {
    switch (phase.name) {
      case 'checklist':
        if (key.escape) cancel();
        else if (key.return) {
          if (requiresPhrase) setPhase({ name: 'backup' });
          else startAction(undefined);
        }
        break;
      case 'backup':
      case 'backing-up':
        if (key.escape) cancel();
        break;
      case 'backup-failed':
        if (key.escape) cancel();
        else if (input === 'r') startBackup();
        else if (input === 'n') setPhase({ name: 'phrase' });
        break;
      case 'done':
      case 'failed':
        if (key.escape || key.return || input === 'q') onDone();
        break;
      case 'phrase': // ConfirmPhraseInput has the keys
      case 'running': // only Ctrl-C (handled by the app) stops a running action
        break;
    }
  });

  const onBackupChoice = (choice: BackupChoice) => (choice === 'backup' ? startBackup() : setPhase({ name: 'phrase' }));
  const width = columns - 2;
  const bodyRows = Math.max(6, rows - 6);
  const lossLine = `${plural(plan.volumes.length, 'volume')} (${totalSize(plan.volumes)})${plan.files.length > 0 ? ` and ${plural(plan.files.length, 'file')}` : ''} of ${plan.project} on ${plan.hostName}`;

  return (
    <ScreenFrame section={section} hints={hintsFor(phase, requiresPhrase)}>
      {phase.name === 'checklist' ? (
        <Box flexDirection="column">
          <ConsequenceList plan={plan} width={width} />
          <Box marginTop={1}>
            <Text dimColor>{requiresPhrase ? 'Press enter to see your backups, then confirm with a typed phrase.' : `Press enter to ${actionLabel}.`}</Text>
          </Box>
        </Box>
      ) : null}

      {phase.name === 'backup' ? <BackupOffer plan={plan} onChoose={onBackupChoice} isActive /> : null}

      {phase.name === 'backing-up' ? (
        <Box flexDirection="column">
          <Text bold>Making a backup of {plan.project} before anything is deleted</Text>
          <Box marginTop={1}>
            <StepList steps={progress.steps} maxVisible={Math.max(3, bodyRows - 3)} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'backup-failed' ? (
        <Box flexDirection="column">
          <Text bold color="red">
            The backup failed; nothing was deleted.
          </Text>
          <Box marginTop={1}>
            <ErrorPanel error={phase.error} maxDetails={Math.max(2, bodyRows - 6)} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'phrase' ? (
        <Box flexDirection="column">
          <Text wrap="truncate-end">
            <Text color="red">{symbols.error}</Text> Deletes {lossLine}.
          </Text>
          {phase.backupFile ? (
            <Text wrap="truncate-middle">
              <Text color="green">{symbols.ok}</Text> Backup made: {phase.backupFile}
            </Text>
          ) : null}
          <Box marginTop={1}>
            <ConfirmPhraseInput phrase={plan.phrase} actionLabel={actionLabel} onConfirm={startAction} onCancel={cancel} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'running' ? (
        <Box flexDirection="column">
          <Text bold wrap="truncate-end">
            {plan.headline}
          </Text>
          <Box marginTop={1}>
            <InstallProgressView progress={progress} width={width} rows={bodyRows - 2} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'done' ? <DeletionSummary result={phase.result} width={width} /> : null}

      {phase.name === 'failed' ? <FailedSteps headline={`${section} of ${plan.project} did not finish`} steps={progress.steps} error={phase.error} bodyRows={bodyRows} minDetails={2} /> : null}
    </ScreenFrame>
  );
}

function hintsFor(phase: Phase, requiresPhrase: boolean): KeyHint[] {
  switch (phase.name) {
    case 'checklist':
      return [{ keys: 'enter', action: requiresPhrase ? 'next' : 'go on' }, ESC_CANCELS];
    case 'backup':
      return [
        { keys: '↑↓', action: 'move' },
        { keys: 'enter', action: 'choose' },
        ESC_CANCELS,
      ];
    case 'backing-up':
      return [ESC_CANCELS];
    case 'backup-failed':
      return [
        { keys: 'r', action: 'try again' },
        { keys: 'n', action: 'go on without' },
        ESC_CANCELS,
      ];
    case 'phrase':
      return [{ keys: 'enter', action: 'confirm (only once it matches)' }, ESC_CANCELS];
    case 'running':
      return [{ keys: 'ctrl-c', action: 'stop' }];
    case 'done':
    case 'failed':
      return [{ keys: 'enter', action: 'back' }];
  }
}
