import { Box, Text } from 'ink';
import { isPullFinished, type InstallProgress, type WarningView } from '../install-progress.js';
import { ServiceStates } from '../components/ServiceStates.js';
import { StepList } from '../components/StepList.js';
import { symbols } from '../components/theme.js';
import { PullProgressList } from './PullProgressList.js';

const MAX_STEPS = 8;
const MAX_WARNINGS = 2;
const SERVICE_CELL = 24;

/**
 * The live install: steps, then whatever the running work has to show (image pulls while any is
 * still pulling, service health once it is reported), then warnings. `rows` is the room it has;
 * the pull list gets what the rest leaves.
 */
export function InstallProgressView({ progress, width, rows }: { progress: InstallProgress; width: number; rows: number }) {
  const { steps, pulls, services, warnings, lastInfo } = progress;
  const showPulls = pulls.length > 0 && pulls.some((pull) => !isPullFinished(pull));
  const shownWarnings = warnings.slice(-MAX_WARNINGS);
  const stepRows = Math.min(steps.length, MAX_STEPS);
  const serviceRows = services.length > 0 ? 2 + Math.ceil(services.length / Math.max(1, Math.floor(width / SERVICE_CELL))) : 0;
  const warningRows = shownWarnings.length > 0 ? 1 + shownWarnings.length : 0;
  const infoRows = lastInfo ? 1 : 0;
  // What is left after the other sections, less the pull list's top margin and its total row.
  const pullRows = Math.max(2, rows - stepRows - serviceRows - warningRows - infoRows - 2);

  return (
    <Box flexDirection="column">
      <StepList steps={steps} maxVisible={MAX_STEPS} />
      {lastInfo ? (
        <Text dimColor wrap="truncate-end">
          {'  '}
          {lastInfo}
        </Text>
      ) : null}
      {showPulls ? (
        <Box marginTop={1}>
          <PullProgressList pulls={pulls} width={width} maxRows={pullRows} />
        </Box>
      ) : null}
      {services.length > 0 ? (
        <Box flexDirection="column" marginTop={1}>
          <Text dimColor>Services</Text>
          <Box marginLeft={2}>
            <ServiceStates services={services} width={width - 2} />
          </Box>
        </Box>
      ) : null}
      <Warnings warnings={shownWarnings} />
    </Box>
  );
}

/** "! Memory: 3 GB free, 4 GB recommended. → hint", one line each. */
export function Warnings({ warnings }: { warnings: readonly WarningView[] }) {
  if (warnings.length === 0) return null;
  return (
    <Box flexDirection="column" marginTop={1}>
      {warnings.map((warning) => (
        <Text key={warning.message} wrap="truncate-end">
          <Text color="yellow">{symbols.warning}</Text> {warning.message}
          {warning.hint ? (
            <Text dimColor>
              {' '}
              {symbols.hint} {warning.hint}
            </Text>
          ) : null}
        </Text>
      ))}
    </Box>
  );
}
