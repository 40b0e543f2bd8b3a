import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { LifecycleAction, LifecyclePlan, LifecycleResult } from '../core/lifecycle/types.js';
import type { Operations } from '../core/operations.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import { FailedSteps } from './components/FailedSteps.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { InstallProgressView } from './install/InstallProgressView.js';
import { LifecycleQuestion, type LifecycleChoice } from './lifecycle/LifecycleQuestion.js';
import { LifecycleResultView } from './lifecycle/LifecycleResultView.js';
import { needsExplicitYes, restartDisruption } from '../core/safety/disruption.js';
import { CONFIRM_DISRUPTION_HINTS, ConfirmDisruption } from './safety/ConfirmDisruption.js';
import { useInstallProgress } from './use-install-progress.js';
import { useTerminalSize } from './use-terminal-size.js';

/** Rows the frame takes from the terminal: header (2), footer (2), body padding (1), spare row (1). */
const FRAME_ROWS = 6;

export const LIFECYCLE_TITLES: Record<LifecycleAction, { section: string; running: string; failed: string }> = {
  start: { section: 'Start', running: 'Starting', failed: 'Starting' },
  stop: { section: 'Stop', running: 'Stopping', failed: 'Stopping' },
  restart: { section: 'Restart', running: 'Restarting', failed: 'Restarting' },
};

type Phase =
  | { name: 'planning' }
  | { name: 'plan-failed'; error: unknown }
  | { name: 'confirm'; plan: LifecyclePlan }
  /** Safety mode: what the restart means, and an explicit yes. */
  | { name: 'safety'; plan: LifecyclePlan }
  | { name: 'running'; plan: LifecyclePlan }
  | { name: 'done'; plan: LifecyclePlan; result: LifecycleResult }
  | { name: 'failed'; plan: LifecyclePlan; error: unknown };

/** One planning request: whether to clear the cache, and whether to run as soon as it is planned. */
interface Request {
  attempt: number;
  clearCache: boolean;
  runWhenPlanned: boolean;
}

const HINTS: Record<Phase['name'], KeyHint[]> = {
  planning: [{ keys: 'esc', action: 'back' }],
  'plan-failed': [
    { keys: 'r', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
  confirm: [
    { keys: '↑↓', action: 'move' },
    { keys: 'enter', action: 'select' },
    { keys: 'esc', action: 'back' },
  ],
  safety: CONFIRM_DISRUPTION_HINTS,
  running: [{ keys: 'ctrl-c', action: 'cancel' }],
  done: [{ keys: 'q', action: 'back' }],
  failed: [
    { keys: 'r', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
};

export interface LifecycleProps {
  operations: Operations;
  installDir: string;
  action: LifecycleAction;
  onBack: () => void;
  /** In safety mode a restart first shows what it means and needs a typed y. */
  safetyMode?: boolean;
}

/**
 * Start, stop or restart: plan → (for stop and restart) the question with the plan → live steps
 * and service health, like install → the result or the error. Start runs at once: it takes
 * nothing down.
 */
export function Lifecycle({ operations, installDir, action, onBack, safetyMode }: LifecycleProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'planning' });
  const [request, setRequest] = useState<Request>({ attempt: 0, clearCache: false, runWhenPlanned: action === 'start' });
  const { progress, startRun, flush } = useInstallProgress();
  const { columns, rows } = useTerminalSize();
  const lifetime = useRef<AbortController | null>(null);
  const running = useRef(false);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    return () => controller.abort();
  }, []);

  const run = (plan: LifecyclePlan) => {
    if (running.current || !lifetime.current) return;
    running.current = true;
    const signal = lifetime.current.signal;
    const sink = startRun(plan.steps);
    setPhase({ name: 'running', plan });
    operations.runLifecycle(plan, sink, signal).then(
      (result) => {
        running.current = false;
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'done', plan, result });
      },
      (error: unknown) => {
        running.current = false;
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'failed', plan, error });
      },
    );
  };

  /** Runs the plan, after safety mode's confirm step when it is a restart on a production server. */
  const go = (plan: LifecyclePlan) => {
    if (plan.action === 'restart' && needsExplicitYes(safetyMode)) setPhase({ name: 'safety', plan });
    else run(plan);
  };

  useEffect(() => {
    const controller = new AbortController();
    setPhase({ name: 'planning' });
    operations.planLifecycle({ installDir, action, clearCache: request.clearCache }, controller.signal).then(
      (plan) => {
        if (controller.signal.aborted) return;
        if (request.runWhenPlanned) go(plan);
        else setPhase({ name: 'confirm', plan });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setPhase({ name: 'plan-failed', error });
      },
    );
    return () => controller.abort();
    // run() is left out of the dependencies: it only reads refs and stable callbacks.
  }, [operations, installDir, action, request]);

  const choose = (choice: LifecycleChoice) => {
    if (phase.name !== 'confirm') return;
    if (choice === 'back') onBack();
    else if (choice === 'go') go(phase.plan);
    else setRequest((current) => ({ attempt: current.attempt + 1, clearCache: true, runWhenPlanned: true }));
  };

  const tryAgain = () => setRequest((current) => ({ attempt: current.attempt + 1, clearCache: false, runWhenPlanned: action === 'start' }));

  useInput((input, key) => {
    const back = key.escape || input === 'q';
    switch (phase.name) {
      case 'planning':
      case 'confirm':
        if (back) onBack();
        break;
      case 'plan-failed':
      case 'failed':
        if (back) onBack();
        else if (input === 'r') tryAgain();
        break;
      case 'done':
        if (back || key.return) onBack();
        break;
      case 'safety': // ConfirmDisruption has the keys
      case 'running':
        break; // only Ctrl-C (handled by the app) stops it
    }
  });

  const titles = LIFECYCLE_TITLES[action];
  const width = columns - 2;
  const bodyRows = Math.max(6, rows - FRAME_ROWS);

  return (
    <ScreenFrame section={titles.section} hints={HINTS[phase.name]}>
      {phase.name === 'planning' ? (
        <Text>
          <Spinner /> Looking at the stack…
        </Text>
      ) : null}

      {phase.name === 'plan-failed' ? <ErrorPanel error={phase.error} maxDetails={Math.max(3, bodyRows - 4)} /> : null}

      {phase.name === 'confirm' ? <LifecycleQuestion plan={phase.plan} onChoose={choose} /> : null}

      {phase.name === 'safety' ? <ConfirmDisruption disruption={restartDisruption(phase.plan)} onConfirm={() => run(phase.plan)} onCancel={onBack} /> : null}

      {phase.name === 'running' ? (
        <Box flexDirection="column">
          <Text bold wrap="truncate-middle">
            {titles.running} {phase.plan.project} {phase.plan.version}
            {phase.plan.clearCache ? ' and deleting its cached data' : ''}
          </Text>
          <Box marginTop={1}>
            <InstallProgressView progress={progress} width={width} rows={bodyRows - 2} />
          </Box>
        </Box>
      ) : null}

      {phase.name === 'done' ? <LifecycleResultView result={phase.result} width={width} /> : null}

      {phase.name === 'failed' ? <FailedSteps headline={`${titles.failed} ${phase.plan.project} ${phase.plan.version} failed`} steps={progress.steps} error={phase.error} bodyRows={bodyRows} /> : null}
    </ScreenFrame>
  );
}
