import { Box, Text } from 'ink';
import type { PreflightCheck } from '../../core/install/types.js';
import type { CheckView } from '../install-progress.js';
import { symbols, toneColor, type Tone } from '../components/theme.js';

const LEVEL_MARK: Record<PreflightCheck['level'], { symbol: string; tone: Tone }> = {
  ok: { symbol: symbols.ok, tone: 'ok' },
  warning: { symbol: symbols.warning, tone: 'warning' },
  error: { symbol: symbols.error, tone: 'error' },
};

/** A check event as a preflight check; health-check answers carry no level, only ok or not. */
export function checkFromEvent(check: CheckView): PreflightCheck {
  const level = check.level ?? (check.ok ? 'ok' : 'error');
  return check.hint === undefined ? { name: check.name, level, detail: check.detail } : { name: check.name, level, detail: check.detail, hint: check.hint };
}

/** "✓ Docker engine  24.0.7", "! Memory  3.1 GB free, 4 GB recommended", hints on the next line. */
export function PreflightChecks({ checks }: { checks: readonly PreflightCheck[] }) {
  const nameWidth = Math.min(24, Math.max(0, ...checks.map((check) => check.name.length))) + 2;
  return (
    <Box flexDirection="column">
      {checks.map((check) => {
        const mark = LEVEL_MARK[check.level];
        return (
          <Box key={check.name} flexDirection="column">
            <Box>
              <Box flexShrink={0} marginRight={1}>
                <Text color={toneColor[mark.tone]}>{mark.symbol}</Text>
              </Box>
              <Box width={nameWidth} flexShrink={0}>
                <Text wrap="truncate-end">{check.name}</Text>
              </Box>
              <Text dimColor wrap="truncate-end">
                {check.detail}
              </Text>
            </Box>
            {check.hint && check.level !== 'ok' ? (
              <Box marginLeft={2}>
                <Text wrap="truncate-end">
                  <Text color="cyan">{symbols.hint}</Text> {check.hint}
                </Text>
              </Box>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
