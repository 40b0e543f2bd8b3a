import { useInput } from 'ink';
import { useEffect, useRef, useState } from 'react';
import { isOpenmatesError, messageOf } from '../../core/errors.js';
import type { DeviceState } from '../../remote/agent/agent-types.js';
import type { DeviceRole } from '../../remote/protocol/handshake-messages.js';
import { applyTyping } from '../components/ConfirmPhraseInput.js';
import type { KeyHint } from '../components/KeyHints.js';
import type { DevicesSource } from './devices-source.js';

export const ROLES: readonly { role: DeviceRole; text: string }[] = [
  { role: 'approver', text: 'may also approve requests and read the audit log (your phone)' },
  { role: 'operator', text: 'may call operations, never approve (a script, an AI)' },
];

export type DeviceAdminMode =
  | { name: 'browse' }
  | { name: 'name'; text: string; error?: string }
  | { name: 'role'; deviceName: string; index: number }
  | { name: 'adding'; deviceName: string }
  /** The new device's link: on screen until Enter, never again. */
  | { name: 'link'; device: DeviceState; link: string }
  | { name: 'revoke'; index: number }
  | { name: 'revoke-confirm'; device: DeviceState }
  | { name: 'revoking'; device: DeviceState };

export interface DeviceAdmin {
  /** undefined until the first answer. */
  devices?: DeviceState[];
  active: DeviceState[];
  listError?: string;
  mode: DeviceAdminMode;
  notice?: string;
  hints: KeyHint[];
}

/** How often the list (and who is connected) is read again. */
const LIST_EVERY_MS = 2000;

const errorText = (error: unknown) => (isOpenmatesError(error) && error.hint ? `${error.message} ${error.hint}` : messageOf(error));

/**
 * Devices with keys: a adds one (its name typed, its role picked, then its link shown once), r
 * revokes one (picked with ↑↓, confirmed with y). Keys are read only while `isActive` (the
 * approvals desk is not typing a reason).
 */
export function useDeviceAdmin(source: DevicesSource | undefined, options: { isActive: boolean; listEveryMs?: number }): DeviceAdmin {
  const [devices, setDevices] = useState<DeviceState[] | undefined>(undefined);
  const [listError, setListError] = useState<string | undefined>(undefined);
  const [mode, setModeState] = useState<DeviceAdminMode>({ name: 'browse' });
  // Keys typed faster than React renders (a pasted name, then Enter) read the mode from here.
  const modeRef = useRef<DeviceAdminMode>(mode);
  const setMode = (next: DeviceAdminMode) => {
    modeRef.current = next;
    setModeState(next);
  };
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [round, setRound] = useState(0);

  useEffect(() => {
    if (!source) return;
    let live = true;
    source.list().then(
      (list) => {
        if (!live) return;
        setDevices(list);
        setListError(undefined);
      },
      (error: unknown) => live && setListError(errorText(error)),
    );
    const timer = setTimeout(() => setRound((value) => value + 1), options.listEveryMs ?? LIST_EVERY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [source, round]);

  const active = (devices ?? []).filter((device) => !device.revoked);
  const refresh = () => setRound((value) => value + 1);

  const add = (deviceName: string, role: DeviceRole) => {
    if (!source) return;
    setMode({ name: 'adding', deviceName });
    source.add(deviceName, role).then(
      ({ device, link }) => {
        setMode({ name: 'link', device, link });
        refresh();
      },
      (error: unknown) => setMode({ name: 'name', text: deviceName, error: errorText(error) }),
    );
  };

  const revoke = (device: DeviceState) => {
    if (!source) return;
    setMode({ name: 'revoking', device });
    source.revoke(device.name).then(
      // The agent answers after ending the sessions (connected: 0 by then): the list said whether there were any.
      (revoked) => setNotice(`Revoked ${revoked.name}: its link no longer works${Math.max(device.connected, revoked.connected) > 0 ? ' and its sessions were ended' : ''}.`),
      (error: unknown) => setNotice(errorText(error)),
    ).finally(() => {
      setMode({ name: 'browse' });
      refresh();
    });
  };

  useInput(
    (input, key) => {
      const current = modeRef.current;
      if (current.name === 'adding' || current.name === 'revoking') return;
      if (current.name === 'link') {
        if (key.return || key.escape) setMode({ name: 'browse' });
        return;
      }
      if (current.name === 'name') {
        if (key.escape) setMode({ name: 'browse' });
        else if (key.return) {
          const text = current.text.trim();
          if (text === '') setMode({ ...current, error: 'Type a name first, e.g. phone.' });
          else setMode({ name: 'role', deviceName: text, index: 0 });
        } else if (key.backspace || key.delete) setMode({ name: 'name', text: current.text.slice(0, -1) });
        else if (!(key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || input === '')) setMode({ name: 'name', text: applyTyping(current.text, input).slice(0, 64) });
        return;
      }
      if (current.name === 'role') {
        if (key.escape) setMode({ name: 'name', text: current.deviceName });
        else if (key.upArrow || key.downArrow) setMode({ ...current, index: (current.index + 1) % ROLES.length });
        else if (key.return) add(current.deviceName, ROLES[current.index]!.role);
        return;
      }
      if (current.name === 'revoke') {
        if (key.escape) setMode({ name: 'browse' });
        else if (key.upArrow && active.length > 0) setMode({ name: 'revoke', index: (current.index - 1 + active.length) % active.length });
        else if (key.downArrow && active.length > 0) setMode({ name: 'revoke', index: (current.index + 1) % active.length });
        else if (key.return && active[current.index]) setMode({ name: 'revoke-confirm', device: active[current.index]! });
        return;
      }
      if (current.name === 'revoke-confirm') {
        if (input === 'y') revoke(current.device);
        else if (input === 'n' || key.escape) setMode({ name: 'browse' });
        return;
      }
      if (input === 'a') {
        setNotice(undefined);
        setMode({ name: 'name', text: '' });
      } else if (input === 'r') {
        setNotice(undefined);
        if (active.length === 0) setNotice('No active device to revoke.');
        else setMode({ name: 'revoke', index: 0 });
      }
    },
    { isActive: options.isActive && source !== undefined },
  );

  return { ...(devices ? { devices } : {}), active, ...(listError ? { listError } : {}), mode, ...(notice ? { notice } : {}), hints: adminHints(mode, active.length) };
}

function adminHints(mode: DeviceAdminMode, count: number): KeyHint[] {
  switch (mode.name) {
    case 'browse':
      return [{ keys: 'a', action: 'add a device' }, ...(count > 0 ? [{ keys: 'r', action: 'revoke a device' }] : [])];
    case 'name':
      return [{ keys: 'enter', action: 'next: its role' }, { keys: 'esc', action: 'cancel' }];
    case 'role':
      return [{ keys: '↑↓', action: 'pick' }, { keys: 'enter', action: 'add it' }, { keys: 'esc', action: 'back' }];
    case 'link':
      return [{ keys: 'enter', action: 'done (the link is not shown again)' }];
    case 'revoke':
      return [{ keys: '↑↓', action: 'pick' }, { keys: 'enter', action: 'revoke it' }, { keys: 'esc', action: 'cancel' }];
    case 'revoke-confirm':
      return [{ keys: 'y', action: 'revoke' }, { keys: 'n', action: 'keep it' }];
    default:
      return [];
  }
}
