import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { InstallPlan, InstallResult } from '../core/install/types.js';
import type { Operations } from '../core/operations.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { FailedSteps } from './components/FailedSteps.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { StepList } from './components/StepList.js';
import { ConfirmInstall } from './install/ConfirmInstall.js';
import { InstallProgressView, Warnings } from './install/InstallProgressView.js';
import { checkFromEvent, PreflightChecks } from './install/PreflightChecks.js';
import { useInstallProgress } from './use-install-progress.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows the frame takes from the terminal: header (2), footer (2), body padding (1), spare row (1). */
const FRAME_ROWS = 6;

type Phase =
  | { name: 'planning' }
  | { name: 'plan-failed'; error: unknown }
  | { name: 'confirm'; plan: InstallPlan }
  | { name: 'installing'; plan: InstallPlan }
  | { name: 'failed'; plan: InstallPlan; error: unknown };

export interface InstallProps {
  operations: Operations;
  installDir: string;
  stackFile?: string;
  tag?: string;
  onBack: () => void;
  onInstalled: (result: InstallResult) => void;
}

const HINTS: Record<Phase['name'], KeyHint[]> = {
  planning: [{ keys: 'esc', action: 'back' }],
  'plan-failed': [
    { keys: 'r', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
  confirm: [
    { keys: 'enter', action: 'install' },
    { keys: 'esc', action: 'back' },
  ],
  installing: [{ keys: 'ctrl-c', action: 'cancel' }],
  failed: [
    { keys: 'r', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
};

/** Preflight → confirm → install with live progress → (the result screen, or the error here). */
export function Install({ operations, installDir, stackFile, tag, onBack, onInstalled }: InstallProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'planning' });
  const [attempt, setAttempt] = useState(0);
  const { progress, startRun, flush } = useInstallProgress();
  const { columns, rows } = useTerminalSize();
  /** Aborted when the screen goes away; the install runs under it. */
  const lifetime = useRef<AbortController | null>(null);
  const installStarted = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    const sink = startRun();
    installStarted.current = false;
    setPhase({ name: 'planning' });
    const options = { installDir, ...(stackFile === undefined ? {} : { stackFile }), ...(tag === undefined ? {} : { tag }) };
    operations.planInstall(options, sink, controller.signal).then(
      (plan) => {
        if (controller.signal.aborted) return;
        flush();
        setPhase({ name: 'confirm', plan });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        flush();
        setPhase({ name: 'plan-failed', error });
      },
    );
    return () => controller.abort();
  }, [operations, installDir, stackFile, tag, attempt, startRun, flush]);

  const startInstall = (plan: InstallPlan) => {
    if (installStarted.current || !lifetime.current) return;
    installStarted.current = true;
    const signal = lifetime.current.signal;
    const sink = startRun(plan.steps);
    setPhase({ name: 'installing', plan });
    operations.install(plan, sink, signal).then(
      (result) => {
        if (signal.aborted) return;
        flush();
        onInstalled(result);
      },
      (error: unknown) => {
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'failed', plan, error });
      },
    );
  };

  useInput((input, key) => {
    const back = key.escape || input === 'q';
    switch (phase.name) {
      case 'planning':
        if (back) onBack();
        break;
      case 'confirm':
        if (key.return || input === 'y') startInstall(phase.plan);
        else if (back || input === 'n') onBack();
        break;
      case 'plan-failed':
      case 'failed':
        if (back) onBack();
        else if (input === 'r') setAttempt((count) => count + 1);
        break;
      case 'installing':
        break; // only Ctrl-C (handled by the app) stops a running install
    }
  });

  const width = columns - 2;
  const bodyRows = Math.max(6, rows - FRAME_ROWS);

  return (
    <ScreenFrame section="Install" hints={HINTS[phase.name]}>
      {phase.name === 'planning' ? (
        <Box flexDirection="column">
          {progress.steps.length > 0 ? (
            <StepList steps={progress.steps} />
          ) : (
            <Text>
              <Spinner /> Checking this server…
            </Text>
          )}
          <Box marginTop={1} marginLeft={2}>
            <PreflightChecks checks={progress.checks.map(checkFromEvent)} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'plan-failed' ? (
        <Box flexDirection="column">
          <PreflightChecks checks={progress.checks.map(checkFromEvent)} />
          <Warnings warnings={progress.warnings} />
          <Box marginTop={progress.checks.length > 0 ? 1 : 0}>
            <ErrorPanel error={phase.error} maxDetails={Math.max(3, bodyRows - progress.checks.length - 4)} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'confirm' ? <ConfirmInstall plan={phase.plan} /> : null}

      {phase.name === 'installing' ? (
        <Box flexDirection="column">
          <Text bold wrap="truncate-middle">
            Installing {phase.plan.stack.name} {phase.plan.version} into {phase.plan.installDir}
          </Text>
          <Box marginTop={1}>
            <InstallProgressView progress={progress} width={width} rows={bodyRows - 2} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'failed' ? <FailedSteps headline={`Installing ${phase.plan.stack.name} ${phase.plan.version} failed`} steps={progress.steps} error={phase.error} bodyRows={bodyRows} /> : null}
    </ScreenFrame>
  );
}
