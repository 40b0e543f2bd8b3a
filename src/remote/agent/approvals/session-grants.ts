import { isInside } from '../../../core/files/scope.js';

/**
 * What an "approve for the session" covers: the same op from the same device, on targets under
 * the same folders (files), the same command line in the same folder (exec), or the same op
 * (service changes). It ends when that device has no open session left.
 */
export type GrantScope =
  | { kind: 'paths'; op: string; deviceId: string; prefixes: string[] }
  | { kind: 'command'; op: string; deviceId: string; command: string; cwd: string }
  | { kind: 'op'; op: string; deviceId: string };

export interface Grant {
  scope: GrantScope;
  /** The approval that granted it, and who decided it (for the audit log). */
  approvalId: string;
  by: string;
}

/** `request` is covered by `granted` (prefixes: each of the request's paths lies inside the granted one at its position). */
export function scopeCovers(granted: GrantScope, request: GrantScope): boolean {
  if (granted.op !== request.op || granted.deviceId !== request.deviceId || granted.kind !== request.kind) return false;
  switch (granted.kind) {
    case 'op':
      return true;
    case 'command': {
      const other = request as Extract<GrantScope, { kind: 'command' }>;
      return other.command === granted.command && other.cwd === granted.cwd;
    }
    case 'paths': {
      const other = request as Extract<GrantScope, { kind: 'paths' }>;
      return other.prefixes.length === granted.prefixes.length && granted.prefixes.every((prefix, i) => isInside(other.prefixes[i]!, prefix));
    }
  }
}

export class SessionGrants {
  private readonly grants: Grant[] = [];

  add(grant: Grant): void {
    this.grants.push(grant);
  }

  find(request: GrantScope): Grant | undefined {
    return this.grants.find((grant) => scopeCovers(grant.scope, request));
  }

  /** The device disconnected its last session: its grants end. Returns how many ended. */
  endDevice(deviceId: string): number {
    let ended = 0;
    for (let i = this.grants.length - 1; i >= 0; i--) {
      if (this.grants[i]!.scope.deviceId === deviceId) {
        this.grants.splice(i, 1);
        ended++;
      }
    }
    return ended;
  }

  get size(): number {
    return this.grants.length;
  }
}
