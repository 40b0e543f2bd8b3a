import { restorePhrase } from '../confirmation.js';
import { composeFileOf, type InstallLayout } from '../install-dir.js';
import { OpenmatesError, isOpenmatesError, messageOf } from '../errors.js';
import type { Stack } from '../stack/schema.js';

/** "v1.2.0 did not start: api is unhealthy" from an error's one-sentence message. */
function reasonOf(error: unknown): string {
  return messageOf(error).replace(/\.$/, '');
}

function detailsOf(error: unknown): string[] {
  return isOpenmatesError(error) ? error.details : [];
}

export function rolledBackError(input: { from: string; to: string; failure: unknown; restoredFrom?: string; logFile: string }): OpenmatesError {
  const data = input.restoredFrom
    ? `The data volumes were restored from the pre-update backup ${input.restoredFrom}.`
    : `The data volumes were left as they were (${input.to} never started on them).`;
  return new OpenmatesError(
    'rolled-back',
    `The update to ${input.to} failed (${reasonOf(input.failure)}) and was rolled back: ${input.from} is running and healthy again.`,
    `${data} What failed is below (the last log lines of each service that was not ready); the whole run is in ${input.logFile}.`,
    detailsOf(input.failure),
  );
}

export function rollbackFailedError(input: {
  from: string;
  to: string;
  /** Why the update was rolled back; undefined when the user chose the rollback. */
  failure?: unknown;
  rollbackError: unknown;
  backupFile?: string;
  layout: InstallLayout;
  stack: Stack;
}): OpenmatesError {
  const { layout, stack } = input;
  const byHand = [
    `set ${stack.tagVariable}=${input.from} in ${layout.envFile}`,
    ...(input.backupFile ? [`restore the data with \`openmates server restore --path ${layout.root} --file ${input.backupFile} --confirm "${restorePhrase(stack.name)}"\``] : []),
    `start it with \`docker compose -p ${stack.name} -f ${composeFileOf(layout, stack)} --env-file ${layout.envFile} up -d\``,
  ];
  const headline = input.failure
    ? `The update to ${input.to} failed (${reasonOf(input.failure)}), and rolling back to ${input.from} failed too: ${reasonOf(input.rollbackError)}.`
    : `Rolling back to ${input.from} failed: ${reasonOf(input.rollbackError)}.`;
  return new OpenmatesError(
    'rollback-failed',
    headline,
    `Fix the cause shown below, then run \`openmates server update --yes --path ${layout.root}\`: it retries the rollback. By hand: ${byHand.join(', then ')}.`,
    [
      ...(detailsOf(input.rollbackError).length > 0 ? ['Rollback:', ...detailsOf(input.rollbackError).map((line) => `  ${line}`)] : []),
      ...(input.failure && detailsOf(input.failure).length > 0 ? ['Update:', ...detailsOf(input.failure).map((line) => `  ${line}`)] : []),
    ],
  );
}

export function betweenVersionsError(from: string, to: string, layout: InstallLayout, while_: string): OpenmatesError {
  return new OpenmatesError(
    'interrupted',
    `Stopped ${while_}; the update from ${from} to ${to} is not finished.`,
    `Run \`openmates server update --yes --path ${layout.root}\` to finish it (it rolls back by itself if ${to} does not come up), or \`openmates\` to choose.`,
  );
}
