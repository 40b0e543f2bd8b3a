import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { describeDisruption } from '../../src/core/safety/disruption.js';
import { ConfirmDisruption } from '../../src/screens/safety/ConfirmDisruption.js';
import { keys, press, waitForText } from './terminal.js';

afterEach(() => cleanup());

const disruption = describeDisruption({ action: 'update', project: 'openmates-core', services: ['api', 'webapp'], downtime: 'a few minutes', fromVersion: 'v0.14.0', toVersion: 'v0.15.0' });

function renderConfirm() {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  const view = render(<ConfirmDisruption disruption={disruption} onConfirm={onConfirm} onCancel={onCancel} />);
  return { ...view, onConfirm, onCancel };
}

describe('ConfirmDisruption (safety mode)', () => {
  it('shows what the update does and needs y; Enter alone does nothing', async () => {
    const { lastFrame, stdin, onConfirm, onCancel } = renderConfirm();
    const frame = await waitForText(lastFrame, 'Safety mode is on', 'Update openmates-core from v0.14.0 to v0.15.0', 'Downtime a few minutes', 'Services api, webapp', 'No data is deleted.');
    expect(frame).toContain('Press y to go on, esc to cancel.');
    await press(stdin, keys.enter);
    expect(onConfirm).not.toHaveBeenCalled();
    await press(stdin, 'y');
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onCancel).not.toHaveBeenCalled();
  });

  it('Esc and n cancel', async () => {
    const first = renderConfirm();
    await waitForText(first.lastFrame, 'Safety mode is on');
    await press(first.stdin, keys.escape);
    expect(first.onCancel).toHaveBeenCalledTimes(1);
    cleanup();
    const second = renderConfirm();
    await waitForText(second.lastFrame, 'Safety mode is on');
    await press(second.stdin, 'n');
    expect(second.onCancel).toHaveBeenCalledTimes(1);
    expect(second.onConfirm).not.toHaveBeenCalled();
  });
});
