import { defaultLoginDeps, type LoginDeps } from './login-deps.js';
import { logout, whoami } from './session-ops.js';
import type { LoginOperations } from './types.js';

/** The pair flow (and the stack parsing it needs to find the API) loads only when a login starts: whoami and logout stay light. */
const pairLogin = () => import('./pair-login.js');

export function createLoginOperations(deps: LoginDeps = defaultLoginDeps()): LoginOperations {
  return {
    loginStart: async (target, sink, signal) => (await pairLogin()).startPairLogin(target, deps, sink, signal),
    loginWaitForApproval: async (code, sink, signal) => (await pairLogin()).waitForApproval(code, deps, sink, signal),
    loginSubmitPin: async (code, pin, sink, signal) => (await pairLogin()).submitPin(code, pin, deps, sink, signal),
    whoami: (signal) => whoami(deps, signal),
    logout: (signal) => logout(deps, signal),
  };
}
