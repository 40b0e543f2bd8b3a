import { Box, Text } from 'ink';
import type { InstallPlan } from '../../core/install/types.js';
import { PreflightChecks } from './PreflightChecks.js';

/** The plan's checks, then the one question (the footer says enter = yes, esc = back). */
export function ConfirmInstall({ plan }: { plan: InstallPlan }) {
  return (
    <Box flexDirection="column">
      <PreflightChecks checks={plan.checks} />
      <Box marginTop={1} flexDirection="column">
        {plan.alreadyInstalled ? (
          <Text dimColor>{plan.stack.name} is already installed here; running the install again repairs it.</Text>
        ) : null}
        <Text bold wrap="wrap">
          Install {plan.stack.name} {plan.version} into {plan.installDir}?
        </Text>
        <Text dimColor wrap="wrap">
          {plan.version}: {plan.versionReason}
          {plan.composeCommit ? ` · compose file from commit ${plan.composeCommit.slice(0, 12)}` : ''}
        </Text>
      </Box>
    </Box>
  );
}
