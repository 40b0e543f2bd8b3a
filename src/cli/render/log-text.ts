import type { LogEntry } from '../../core/logs/types.js';

/** Service colours for a terminal: one per service, the same order the Logs screen uses. */
const SERVICE_COLORS = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

/**
 * Turns batches of log entries into text: `service | line` with the service names padded to one
 * width (like Compose), or one JSON object per entry.
 */
export class LogText {
  private readonly width: number;
  private readonly prefixes = new Map<string, string>();

  constructor(
    services: string[],
    private readonly options: { json: boolean; timestamps: boolean; color: boolean },
  ) {
    this.width = Math.max(0, ...services.map((name) => name.length));
    services.forEach((service, index) => this.prefixes.set(service, this.makePrefix(service, index)));
  }

  private makePrefix(service: string, index: number): string {
    const padded = `${service.padEnd(this.width)} |`;
    return this.options.color ? `\x1b[${SERVICE_COLORS[index % SERVICE_COLORS.length]}m${padded}\x1b[0m ` : `${padded} `;
  }

  private prefix(service: string): string {
    let prefix = this.prefixes.get(service);
    if (prefix === undefined) {
      prefix = this.makePrefix(service, this.prefixes.size);
      this.prefixes.set(service, prefix);
    }
    return prefix;
  }

  format(batch: readonly LogEntry[]): string {
    let text = '';
    for (const entry of batch) text += this.options.json ? `${JSON.stringify(jsonOf(entry))}\n` : this.human(entry);
    return text;
  }

  private human(entry: LogEntry): string {
    const time = this.options.timestamps && entry.time ? `${entry.time} ` : '';
    if (entry.kind === 'line') return `${this.prefix(entry.service)}${time}${entry.text}\n`;
    const notice = `— ${entry.text}`;
    return `${this.prefix(entry.service)}${time}${this.options.color ? `\x1b[2m${notice}\x1b[0m` : notice}\n`;
  }
}

function jsonOf(entry: LogEntry): object {
  return entry.kind === 'line'
    ? { type: 'log', service: entry.service, stream: entry.stream, time: entry.time ?? null, line: entry.text }
    : { type: 'notice', service: entry.service, event: entry.event, time: entry.time ?? null, message: entry.text };
}
