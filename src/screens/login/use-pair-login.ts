import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpenmatesError } from '../../core/errors.js';
import { isLoginFailure } from '../../core/login/login-error.js';
import type { LoggedInAccount, LoginEvent, LoginOperations, LoginTarget, PairCode } from '../../core/login/types.js';

/** Where the login is; each phase says what the screen shows and which keys act. */
export type LoginPhase =
  | { name: 'starting' }
  | { name: 'waiting'; code: PairCode }
  | { name: 'pin'; code: PairCode; device: string; attemptsLeft?: number; checking: boolean }
  | { name: 'logged-in'; account: LoggedInAccount }
  | { name: 'expired'; error: unknown }
  | {
      name: 'failed';
      error: unknown;
      /** What "try again" does: ask for a new code, go on waiting for this one, or ask for the PIN again. */
      retry: { step: 'start' } | { step: 'wait'; code: PairCode } | { step: 'pin'; code: PairCode; device: string };
    };

/** A passing note under the phase: the server rate-limits (with when we try again) or did not answer. */
export type LoginNotice = { kind: 'rate-limited'; text: string; resumeAt: number } | { kind: 'retrying'; text: string };

export interface PairLogin {
  phase: LoginPhase;
  notice: LoginNotice | undefined;
  /** A fresh code (after expiry or a failure that used the code up). */
  startOver(): void;
  retry(): void;
  submitPin(pin: string): void;
}

/**
 * Runs the pair login for a screen: start → wait → PIN → logged in, with every request under one
 * signal that is aborted when the screen goes away (Esc). Nothing is sent on cancel.
 */
export function usePairLogin(operations: LoginOperations, target: LoginTarget, now: () => number = Date.now): PairLogin {
  const [phase, setPhase] = useState<LoginPhase>({ name: 'starting' });
  const [notice, setNotice] = useState<LoginNotice | undefined>();
  const lifetime = useRef<AbortController | null>(null);
  const targetRef = useRef(target);

  const sink = useCallback(
    (event: LoginEvent) => {
      if (event.type === 'rate-limited') {
        setNotice({ kind: 'rate-limited', text: `The server is rate-limiting requests to ${event.request}: ${event.reason}.`, resumeAt: now() + event.waitSeconds * 1000 });
      } else if (event.type === 'retrying') {
        setNotice({ kind: 'retrying', text: `${event.message} Trying again (${event.attempt}/${event.maxAttempts})…` });
      } else {
        setNotice(undefined);
      }
    },
    [now],
  );

  const live = () => lifetime.current !== null && !lifetime.current.signal.aborted;

  const failed = useCallback((error: unknown, retry: Extract<LoginPhase, { name: 'failed' }>['retry']) => {
    if (!live()) return;
    setNotice(undefined);
    if (isLoginFailure(error, 'expired')) setPhase({ name: 'expired', error });
    else if (isLoginFailure(error)) setPhase({ name: 'failed', error, retry: { step: 'start' } });
    else if ((error as OpenmatesError | undefined)?.kind !== 'interrupted') setPhase({ name: 'failed', error, retry });
  }, []);

  const wait = useCallback(
    (code: PairCode) => {
      const signal = lifetime.current!.signal;
      setPhase({ name: 'waiting', code });
      operations.loginWaitForApproval(code, sink, signal).then(
        ({ device }) => live() && setPhase({ name: 'pin', code, device, checking: false }),
        (error: unknown) => failed(error, { step: 'wait', code }),
      );
    },
    [operations, sink, failed],
  );

  const start = useCallback(() => {
    const signal = lifetime.current!.signal;
    setNotice(undefined);
    setPhase({ name: 'starting' });
    operations.loginStart(targetRef.current, sink, signal).then(
      (code) => live() && wait(code),
      (error: unknown) => failed(error, { step: 'start' }),
    );
  }, [operations, sink, wait, failed]);

  useEffect(() => {
    const controller = new AbortController();
    lifetime.current = controller;
    start();
    return () => controller.abort();
  }, [start]);

  const submitPin = (pin: string) => {
    if (phase.name !== 'pin' || phase.checking) return;
    const { code, device } = phase;
    setPhase({ ...phase, checking: true });
    operations.loginSubmitPin(code, pin, sink, lifetime.current!.signal).then(
      (outcome) => {
        if (!live()) return;
        if (outcome.status === 'logged-in') setPhase({ name: 'logged-in', account: outcome.account });
        else setPhase({ name: 'pin', code, device, attemptsLeft: outcome.attemptsLeft, checking: false });
      },
      (error: unknown) => failed(error, { step: 'pin', code, device }),
    );
  };

  const retry = () => {
    if (phase.name !== 'failed') return;
    const { retry: how } = phase;
    if (how.step === 'start') start();
    else if (how.step === 'wait') {
      if (how.code.expiresAt > now()) wait(how.code);
      else start();
    } else setPhase({ name: 'pin', code: how.code, device: how.device, checking: false });
  };

  return { phase, notice, startOver: start, retry, submitPin };
}
