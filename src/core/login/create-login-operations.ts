import { defaultLoginDeps, type LoginDeps } from './login-deps.js';
import { startPairLogin, submitPin, waitForApproval } from './pair-login.js';
import { logout, whoami } from './session-ops.js';
import type { LoginOperations } from './types.js';

export function createLoginOperations(deps: LoginDeps = defaultLoginDeps()): LoginOperations {
  return {
    loginStart: (target, sink, signal) => startPairLogin(target, deps, sink, signal),
    loginWaitForApproval: (code, sink, signal) => waitForApproval(code, deps, sink, signal),
    loginSubmitPin: (code, pin, sink, signal) => submitPin(code, pin, deps, sink, signal),
    whoami: (signal) => whoami(deps, signal),
    logout: (signal) => logout(deps, signal),
  };
}
