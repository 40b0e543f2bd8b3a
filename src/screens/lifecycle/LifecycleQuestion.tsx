import { Box, Text } from 'ink';
import type { LifecyclePlan } from '../../core/lifecycle/types.js';
import { Menu } from '../components/Menu.js';
import { symbols } from '../components/theme.js';
import { formatBytes } from '../format.js';

const LABEL_WIDTH = 14;

export type LifecycleChoice = 'go' | 'go-clear-cache' | 'back';

/** What the question offers: restart asks about the cached data when there is some to delete. */
export function lifecycleChoices(plan: LifecyclePlan): { value: LifecycleChoice; label: string }[] {
  const back = { value: 'back' as const, label: 'Back' };
  if (plan.action === 'restart' && plan.cacheVolumes.length > 0) {
    return [{ value: 'go', label: 'No, restart and keep the cached data' }, { value: 'go-clear-cache', label: 'Yes, delete the cached data and restart' }, back];
  }
  return [{ value: 'go', label: plan.action === 'stop' ? 'Stop' : plan.action === 'start' ? 'Start' : 'Restart' }, back];
}

/**
 * Before a stop or restart: what runs now, the expected downtime, and for a restart the question
 * "Also delete cached data?" listing exactly the volumes that would go (and that data stays).
 */
export function LifecycleQuestion({ plan, onChoose }: { plan: LifecyclePlan; onChoose: (choice: LifecycleChoice) => void }) {
  const asksAboutCache = plan.action === 'restart' && plan.cacheVolumes.length > 0;
  const nameWidth = Math.max(0, ...plan.cacheVolumes.map((volume) => volume.name.length)) + 2;
  const running = plan.services.filter((service) => service.engineState === 'running' || service.engineState === 'restarting').length;
  return (
    <Box flexDirection="column">
      <Box>
        <Box width={LABEL_WIDTH} flexShrink={0}>
          <Text dimColor>Services now</Text>
        </Box>
        <Text wrap="truncate-end">
          {running} of {plan.services.length} running
        </Text>
      </Box>
      <Box>
        <Box width={LABEL_WIDTH} flexShrink={0}>
          <Text dimColor>Downtime</Text>
        </Box>
        <Text wrap="wrap">{plan.expectedDowntime.summary}</Text>
      </Box>
      <Box marginTop={1} flexDirection="column">
        {asksAboutCache ? (
          <>
            <Text bold>Also delete cached data?</Text>
            <Text dimColor>These cache volumes would be deleted and start empty:</Text>
            {plan.cacheVolumes.map((volume) => (
              <Box key={volume.name} marginLeft={2}>
                <Box width={nameWidth} flexShrink={0}>
                  <Text wrap="truncate-middle">{volume.name}</Text>
                </Box>
                <Text dimColor>{volume.sizeBytes !== undefined ? formatBytes(volume.sizeBytes) : 'size unknown'}</Text>
              </Box>
            ))}
            {plan.dataVolumes.length > 0 ? (
              <Text wrap="truncate-end">
                <Text color="green">{symbols.ok}</Text> <Text dimColor>Data is never touched:</Text> {plan.dataVolumes.join(', ')}
              </Text>
            ) : null}
          </>
        ) : (
          <Text bold wrap="truncate-middle">
            {plan.action === 'stop' ? 'Stop' : plan.action === 'start' ? 'Start' : 'Restart'} {plan.project} {plan.version}?
          </Text>
        )}
      </Box>
      <Box marginTop={1}>
        <Menu items={lifecycleChoices(plan)} onSelect={onChoose} />
      </Box>
    </Box>
  );
}
