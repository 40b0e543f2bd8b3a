import { Box, Text } from 'ink';
import { fitText, formatBytes, shortImageName } from '../format.js';
import { plural } from '../../core/plural.js';
import { isPullFinished, pullFraction, pullTotals, type PullView } from '../install-progress.js';
import { fitBarWidth, ProgressBar } from '../components/ProgressBar.js';

const INDENT = 2;
const GAP = 2;
/** Below this many cells a bar reads poorly, so the total's label gets shorter first. */
const ROOMY_BAR = 24;

/** Image names without what they all share: "openmates-api", "openmates-web" → "api", "web". */
export function distinctNames(images: readonly string[]): Map<string, string> {
  const names = images.map(shortImageName);
  let prefix = '';
  if (names.length > 1) {
    const first = names[0] ?? '';
    const dash = first.indexOf('-');
    const candidate = dash > 0 ? first.slice(0, dash + 1) : '';
    if (candidate && names.every((name) => name.startsWith(candidate) && name.length > candidate.length)) prefix = candidate;
  }
  return new Map(images.map((image, index) => [image, (names[index] ?? image).slice(prefix.length)]));
}

export function pullLabel(pull: PullView): string {
  if (pull.status === 'up-to-date') return 'up to date';
  if (pull.status === 'done') return pull.bytesTotal > 0 ? `done · ${formatBytes(pull.bytesTotal)}` : 'done';
  return bytesAndLayers(pull);
}

/** "12.3 MB / 40.0 MB · 3/5 layers"; before sizes are known only the layers, or "waiting". */
export function bytesAndLayers(progress: { bytesDone: number; bytesTotal: number; layersDone: number; layersTotal: number }): string {
  const parts: string[] = [];
  if (progress.bytesTotal > 0) parts.push(`${formatBytes(progress.bytesDone)} / ${formatBytes(progress.bytesTotal)}`);
  if (progress.layersTotal > 0) parts.push(`${progress.layersDone}/${progress.layersTotal} layers`);
  return parts.length > 0 ? parts.join(' · ') : 'waiting';
}

/**
 * One bar per image and a total bar. When there are more images than `maxRows` (the rows for the
 * image bars), only the ones still pulling get a row and a line counts the finished ones.
 */
export function PullProgressList({ pulls, width, maxRows }: { pulls: readonly PullView[]; width: number; maxRows: number }) {
  const totals = pullTotals(pulls);
  const fitsAll = pulls.length <= maxRows;
  const active = pulls.filter((pull) => !isPullFinished(pull));
  const shown = fitsAll ? pulls : active.slice(0, Math.max(1, maxRows - 1)); // one row for the count
  const notShown = pulls.length - shown.length;
  const activeNotShown = active.length - shown.filter((pull) => !isPullFinished(pull)).length;
  const nameOf = distinctNames(pulls.map((pull) => pull.image));
  const nameLimit = width >= 100 ? 28 : 16;
  const nameWidth = Math.min(nameLimit, Math.max(5, ...shown.map((pull) => (nameOf.get(pull.image) ?? '').length)));
  // One bar width for every row, so the bars line up; the image count goes when it would squeeze them.
  const room = width - INDENT - nameWidth - GAP - 1;
  const longestImageLabel = Math.max(0, ...shown.map((pull) => pullLabel(pull).length));
  const withCount = `${bytesAndLayers(totals)} · ${totals.imagesDone}/${totals.imagesTotal} images`;
  const totalLabel = room - Math.max(longestImageLabel, withCount.length) >= ROOMY_BAR ? withCount : bytesAndLayers(totals);
  const barWidth = fitBarWidth(room - Math.max(longestImageLabel, totalLabel.length));
  const gap = ' '.repeat(GAP);

  return (
    <Box flexDirection="column" marginLeft={INDENT}>
      {shown.map((pull) => (
        <Box key={pull.image}>
          <Text dimColor={isPullFinished(pull)}>
            {fitText(nameOf.get(pull.image) ?? pull.image, nameWidth)}
            {gap}
          </Text>
          <ProgressBar
            fraction={pullFraction(pull)}
            barWidth={barWidth}
            label={pullLabel(pull)}
            tone={isPullFinished(pull) ? 'ok' : 'accent'}
          />
        </Box>
      ))}
      {notShown > 0 ? (
        <Text dimColor>
          {fitText('', nameWidth + GAP)}
          {totals.imagesDone} of {plural(totals.imagesTotal, 'image')} done
          {activeNotShown > 0 ? ` · ${activeNotShown} more pulling` : ''}
        </Text>
      ) : null}
      <Box>
        <Text bold>
          {fitText('Total', nameWidth)}
          {gap}
        </Text>
        <ProgressBar
          fraction={pullFraction(totals)}
          barWidth={barWidth}
          label={totalLabel}
          tone={totals.imagesDone === totals.imagesTotal ? 'ok' : 'accent'}
        />
      </Box>
    </Box>
  );
}
