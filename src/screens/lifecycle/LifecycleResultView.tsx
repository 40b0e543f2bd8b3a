import { Box, Text } from 'ink';
import type { LifecycleResult } from '../../core/lifecycle/types.js';
import { degradedChecks } from '../../core/health/degraded.js';
import { DegradedChecks } from '../components/DegradedChecks.js';
import { Facts } from '../components/Facts.js';
import { ServiceStates } from '../components/ServiceStates.js';
import { symbols } from '../components/theme.js';

const DONE = { start: 'Started', stop: 'Stopped', restart: 'Restarted' } as const;

/** "✓ Restarted demo v1.0.0: healthy in 9.2 s (down for 9.1 s)", the services, what was deleted. */
export function LifecycleResultView({ result, width }: { result: LifecycleResult; width: number }) {
  const degraded = degradedChecks(result.checks);
  const timing = result.downtimeSeconds !== undefined ? `in ${result.durationSeconds} s (down for ${result.downtimeSeconds} s)` : `in ${result.durationSeconds} s`;
  const facts = [
    ...(result.clearedVolumes.length > 0 ? [{ label: 'Cache deleted', value: result.clearedVolumes.join(', ') }] : []),
    ...(result.action === 'stop' ? [] : result.urls.map((url) => ({ label: url.name, value: url.url }))),
    { label: 'Log', value: result.logFile },
  ];
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text color="green">{symbols.ok}</Text>
        <Text bold>
          {' '}
          {DONE[result.action]} {result.project} {result.version}
          {result.action === 'stop' ? '' : degraded.length > 0 ? ', up, degraded' : ', healthy'} {timing}
        </Text>
      </Text>
      {result.action === 'stop' ? null : <DegradedChecks degraded={degraded} />}
      {result.services.length > 0 && result.action !== 'stop' ? (
        <Box marginTop={1} marginLeft={2}>
          <ServiceStates services={result.services} width={width - 2} />
        </Box>
      ) : null}
      <Box marginTop={1} marginLeft={2}>
        <Facts facts={facts} />
      </Box>
      <Box marginTop={1}>
        <Text dimColor>press q to go back</Text>
      </Box>
    </Box>
  );
}
