import type { OperationEvent } from './events.js';

/** One plain line for an event, shared by the install log and the human renderer; undefined to skip. */
export function describeEvent(event: OperationEvent): string | undefined {
  switch (event.type) {
    case 'step-started':
      return `${event.title}…`;
    case 'step-finished':
      return `${event.outcome === 'warning' ? '!' : '✓'} ${event.detail ?? event.step}`;
    case 'step-failed':
      return `✗ ${event.message}`;
    case 'pull-progress':
      return event.status === 'pulling' ? undefined : `  ${event.image}: ${event.status === 'done' ? 'pulled' : 'up to date'}`;
    case 'health':
      return `  ${event.service}: ${event.state}${event.detail ? ` (${event.detail})` : ''}`;
    case 'check':
      return `  ${event.level === 'warning' ? '!' : event.ok ? '✓' : '·'} ${event.name}: ${event.detail}`;
    case 'log-line':
      return `${event.service} | ${event.line}`;
    case 'warning':
      return `! ${event.message}${event.hint ? ` ${event.hint}` : ''}`;
    case 'info':
      return event.message;
  }
}
