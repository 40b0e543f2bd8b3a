import { degradedLines, upWord } from '../render/degraded-text.js';
import { createOperations } from '../../core/create-operations.js';
import { OpenmatesError } from '../../core/errors.js';
import type { InstallPlan, InstallResult } from '../../core/install/types.js';
import { askYesNo } from '../ask.js';
import type { InstallCommandOptions } from './install.command.js';
import { installDirOf, type CliContext } from '../context.js';
import { color, table } from '../format.js';
import { humanProgressSink } from '../render/human-progress.js';
import { jsonEventSink, writeJsonLine } from '../render/json-lines.js';

export async function installCommand(options: InstallCommandOptions, context: CliContext): Promise<number> {
  const operations = createOperations(await context.deps());
  const sink = options.json ? jsonEventSink(context.stdout) : humanProgressSink(context.stderr);
  const plan = await operations.planInstall(
    { installDir: installDirOf(options), stackFile: options.stackFile, healthTimeout: options.timeout, strictRequirements: options.strictRequirements, ...(options.tag !== undefined ? { tag: options.tag } : {}) },
    sink,
    context.signal,
  );
  if (options.json) writeJsonLine(context.stdout, { type: 'plan', ...planForJson(plan) });
  if (!options.yes) {
    const text = plan.alreadyInstalled
      ? `${plan.stack.name} is installed in ${plan.installDir}. Check it and repair what is missing?`
      : `Install ${plan.stack.name} ${plan.version} into ${plan.installDir}?`;
    if (!(await askYesNo({ text, flag: '--yes', defaultYes: true }, context.signal))) {
      throw new OpenmatesError('interrupted', 'Install cancelled; nothing was changed.');
    }
  }
  const result = await operations.install(plan, sink, context.signal);
  if (options.json) writeJsonLine(context.stdout, { type: 'result', ok: true, ...result });
  else context.stdout.write(resultText(result));
  return 0;
}

/** The plan without the texts it carries (the stack and compose files). */
function planForJson(plan: InstallPlan) {
  return {
    project: plan.stack.name,
    installDir: plan.installDir,
    alreadyInstalled: plan.alreadyInstalled,
    version: plan.version,
    versionReason: plan.versionReason,
    composeCommit: plan.composeCommit ?? null,
    composeFile: plan.composeFile,
    images: plan.images,
    checks: plan.checks,
    steps: plan.steps,
  };
}

function resultText(result: InstallResult): string {
  const lines = [
    '',
    `${color.green('✓')} ${color.bold(`${result.project} ${result.version}`)} is ${result.changed ? `installed and ${upWord(result.degraded)}` : `already installed and ${upWord(result.degraded)}; nothing changed`}.`,
    ...degradedLines(result.degraded),
    '',
    table(result.services.map((service) => [service.service, service.state])),
    '',
    ...result.urls.map((url) => `  ${url.name}: ${color.bold(url.url)}`),
  ];
  if (result.shownSecret) {
    lines.push('', `  First invite code: ${color.bold(result.shownSecret.value)}  ${color.dim('(the first account signs up with it)')}`);
  }
  lines.push('', color.dim(`  Install dir: ${result.installDir}`), color.dim(`  Install log: ${result.logFile}`), '');
  return lines.join('\n');
}
