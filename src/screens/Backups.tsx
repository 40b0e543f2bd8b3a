import { basename, dirname } from 'node:path';
import { Box, Text, useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import type { BackupInfo } from '../core/backup/types.js';
import type { Operations } from '../core/operations.js';
import { ErrorPanel } from './components/ErrorPanel.js';
import type { KeyHint } from './components/KeyHints.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Spinner } from './components/Spinner.js';
import { StepList } from './components/StepList.js';
import { symbols } from './components/theme.js';
import { formatBytes } from './format.js';
import { useInstallProgress } from './use-install-progress.js';

type Phase =
  | { name: 'loading' }
  | { name: 'list'; backups: BackupInfo[]; made?: BackupInfo }
  | { name: 'load-failed'; error: unknown }
  | { name: 'backing-up' }
  | { name: 'failed'; error: unknown };

export interface BackupsProps {
  operations: Operations;
  installDir: string;
  onBack: () => void;
}

const HINTS: Record<Phase['name'], KeyHint[]> = {
  loading: [{ keys: 'esc', action: 'back' }],
  list: [
    { keys: 'b', action: 'back up now' },
    { keys: 'r', action: 'refresh' },
    { keys: 'esc', action: 'back' },
  ],
  'load-failed': [
    { keys: 'r', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
  'backing-up': [{ keys: 'ctrl-c', action: 'cancel' }],
  failed: [
    { keys: 'b', action: 'try again' },
    { keys: 'esc', action: 'back' },
  ],
};

/** The install's backups, newest first, and "back up now" with live steps. Restore is a command for now (shown here with its phrase). */
export function Backups({ operations, installDir, onBack }: BackupsProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const [round, setRound] = useState(0);
  const [phrase, setPhrase] = useState<string | undefined>();
  const { progress, startRun, flush } = useInstallProgress();
  const lifetime = useRef<AbortController | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    operations.restorePhrase({ installDir }).then(
      (text) => !controller.signal.aborted && setPhrase(text),
      () => {},
    );
    return () => controller.abort();
  }, [operations, installDir]);

  const load = (made?: BackupInfo) => {
    setPhase({ name: 'loading' });
    operations.listBackups({ installDir }).then(
      (backups) => !lifetime.current?.signal.aborted && setPhase({ name: 'list', backups, ...(made ? { made } : {}) }),
      (error: unknown) => !lifetime.current?.signal.aborted && setPhase({ name: 'load-failed', error }),
    );
  };
  // `round` changes to ask for a reload.
  useEffect(() => load(), [operations, installDir, round]);

  const backUp = () => {
    const signal = lifetime.current?.signal;
    if (!signal) return;
    const sink = startRun();
    setPhase({ name: 'backing-up' });
    operations.backup({ installDir }, sink, signal).then(
      (made) => {
        if (signal.aborted) return;
        flush();
        load(made);
      },
      (error: unknown) => {
        if (signal.aborted) return;
        flush();
        setPhase({ name: 'failed', error });
      },
    );
  };

  useInput((input, key) => {
    const back = key.escape || input === 'q';
    if (phase.name === 'backing-up') return; // only Ctrl-C (the app's) stops a running backup
    if (back) onBack();
    else if (input === 'b' && (phase.name === 'list' || phase.name === 'failed')) backUp();
    else if (input === 'r' && (phase.name === 'list' || phase.name === 'load-failed')) setRound((count) => count + 1);
  });

  return (
    <ScreenFrame section="Backups" hints={HINTS[phase.name]}>
      {phase.name === 'loading' ? (
        <Text>
          <Spinner /> Reading the backups…
        </Text>
      ) : null}
      {phase.name === 'load-failed' ? <ErrorPanel error={phase.error} /> : null}
      {phase.name === 'list' ? <BackupList backups={phase.backups} made={phase.made} phrase={phrase} /> : null}
      {phase.name === 'backing-up' || phase.name === 'failed' ? (
        <Box flexDirection="column">
          <Text bold>{phase.name === 'failed' ? 'The backup failed' : 'Backing up (services that write to the data volumes pause meanwhile)'}</Text>
          <Box marginTop={1}>
            <StepList steps={progress.steps} maxVisible={8} />
          </Box>
          {progress.warnings.map((warning) => (
            <Text key={warning.message} color="yellow" wrap="truncate-end">
              {symbols.warning} {warning.message}
            </Text>
          ))}
          {phase.name === 'failed' ? (
            <Box marginTop={1}>
              <ErrorPanel error={phase.error} />
            </Box>
          ) : null}
        </Box>
      ) : null}
    </ScreenFrame>
  );
}

const COLUMNS = [
  { title: 'TIME (UTC)', width: 21 },
  { title: 'VERSION', width: 11 },
  { title: 'REASON', width: 12 },
  { title: 'SIZE', width: 10 },
] as const;

function Row({ cells, file, bold = false, dim = false }: { cells: string[]; file: string; bold?: boolean; dim?: boolean }) {
  return (
    <Box>
      {COLUMNS.map((column, index) => (
        <Box key={column.title} width={column.width} flexShrink={0}>
          <Text bold={bold} dimColor={dim} wrap="truncate-end">
            {cells[index]}
          </Text>
        </Box>
      ))}
      <Text bold={bold} dimColor={dim} wrap="truncate-middle">
        {file}
      </Text>
    </Box>
  );
}

function BackupList({ backups, made, phrase }: { backups: BackupInfo[]; made: BackupInfo | undefined; phrase: string | undefined }) {
  const dir = backups[0] ? dirname(backups[0].file) : undefined;
  return (
    <Box flexDirection="column">
      {made ? (
        <Text color="green" wrap="truncate-middle">
          {symbols.ok} Backup written: {made.file}
        </Text>
      ) : null}
      {backups.length === 0 ? (
        <Text dimColor>No backups yet. Press b to make one.</Text>
      ) : (
        <Box flexDirection="column" marginTop={made ? 1 : 0}>
          <Text dimColor wrap="truncate-middle">
            In {dir}
          </Text>
          <Row cells={COLUMNS.map((column) => column.title)} file="FILE" dim />
          {backups.map((backup) => (
            <Row
              key={backup.file}
              cells={[backup.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ''), backup.version, backup.reason, formatBytes(backup.bytes)]}
              file={basename(backup.file)}
              bold={backup.file === made?.file}
            />
          ))}
        </Box>
      )}
      <Box marginTop={1} flexDirection="column">
        <Text dimColor>To restore one (replaces the data volumes and .env, then starts the stack):</Text>
        <Text wrap="truncate-middle">
          {'  '}openmates server restore --file FILE --confirm "{phrase ?? 'restore <stack> on <host>'}"
        </Text>
      </Box>
    </Box>
  );
}
