import { Box, Text } from 'ink';
import { isOpenmatesError } from '../../core/errors.js';
import type { UpdateResult } from '../../core/update/types.js';
import { DegradedChecks } from '../components/DegradedChecks.js';
import { ErrorPanel } from '../components/ErrorPanel.js';
import { Facts } from '../components/Facts.js';
import { ServiceStates } from '../components/ServiceStates.js';
import { symbols } from '../components/theme.js';

export function UpdateDone({ result, width }: { result: UpdateResult; width: number }) {
  const upWord = result.degraded.length > 0 ? 'up, degraded' : 'healthy';
  const headline =
    result.outcome === 'updated'
      ? `${result.project} is on ${result.version} and ${upWord} (was ${result.from})`
      : result.outcome === 'rolled-back'
        ? `Rolled back: ${result.project} runs ${result.version} again, ${upWord}`
        : `${result.project} ${result.version} is up to date`;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color="green">{symbols.ok}</Text> <Text bold>{headline}</Text>
      </Text>
      <DegradedChecks degraded={result.degraded} />
      <Box marginTop={1} marginLeft={2}>
        <Facts facts={[...(result.backupFile ? [{ label: 'Pre-update backup', value: result.backupFile }] : []), { label: 'Update log', value: result.logFile }]} />
      </Box>
      {result.services.length > 0 ? (
        <Box marginTop={1} marginLeft={2}>
          <ServiceStates services={result.services} width={width - 2} />
        </Box>
      ) : null}
    </Box>
  );
}

/** A failed update: rolled back (the old version is fine), the rollback failed too, or it never started. */
export function UpdateFailed({ error, target, maxDetails }: { error: unknown; target: string; maxDetails: number }) {
  const kind = isOpenmatesError(error) ? error.kind : undefined;
  const headline =
    kind === 'rolled-back'
      ? { color: 'yellow', text: `The update to ${target} failed; the previous version is back and healthy` }
      : kind === 'rollback-failed'
        ? { color: 'red', text: `The update to ${target} failed and so did the rollback: action needed` }
        : kind === 'interrupted'
          ? { color: 'yellow', text: `The update to ${target} was stopped` }
          : { color: 'red', text: `The update to ${target} failed` };
  return (
    <Box flexDirection="column">
      <Text bold color={headline.color} wrap="truncate-end">
        {headline.text}
      </Text>
      <Box marginTop={1}>
        <ErrorPanel error={error} maxDetails={maxDetails} />
      </Box>
    </Box>
  );
}
