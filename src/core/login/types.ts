/** Which OpenMates to log in to: the installed instance's API, or the URLs given. */
export interface LoginTarget {
  installDir: string;
  /** --api-url; else the install's URL named "API". */
  apiUrl?: string;
  /** --app-url; else derived from the API URL. */
  appUrl?: string;
}

/** A login code the server handed out, and the link the other device opens. */
export interface PairCode {
  apiBase: string;
  appOrigin: string;
  /** 6 characters, upper-case. Shown on screen: it is not secret on its own (the PIN is). */
  token: string;
  /** `<app origin>/#pair=<TOKEN>` */
  link: string;
  /** Epoch ms after which the server forgets the code. */
  expiresAt: number;
  expiresInSeconds: number;
}

/** What a login tells its face while it runs. None of these may ever carry a secret. */
export type LoginEvent =
  | { type: 'pair-code'; token: string; link: string; apiBase: string; appOrigin: string; expiresAt: string; expiresInSeconds: number }
  | { type: 'pair-approved'; device: string }
  | { type: 'pin-rejected'; attemptsLeft: number }
  | {
      /** HTTP 429: waiting before asking again. */
      type: 'rate-limited';
      request: string;
      reason: string;
      waitSeconds: number;
      /** False when the server sent no Retry-After and the wait is our default. */
      retryAfterGiven: boolean;
    }
  | { type: 'retrying'; message: string; attempt: number; maxAttempts: number }
  | { type: 'logging-in' };

export type LoginSink = (event: LoginEvent) => void;

export const ignoreLoginEvents: LoginSink = () => {};

/** Who is logged in, without any secret: what faces show and --json prints. */
export interface LoggedInAccount {
  apiBase: string;
  appOrigin: string;
  username: string | null;
  /** The device that approved the login, e.g. "iPhone". */
  authorizedBy: string | null;
  loggedInAt: string;
  /** When the approving device chose an auto-logout. */
  expiresAt: string | null;
  sessionFile: string;
}

export type PinOutcome = { status: 'wrong-pin'; attemptsLeft: number } | { status: 'logged-in'; account: LoggedInAccount };

export interface LogoutResult {
  wasLoggedIn: boolean;
  sessionFile: string;
  apiBase: string | null;
  /** Whether the server confirmed the end of the session. */
  serverNotified: boolean;
  /** Why not, or what it said: one short sentence. */
  serverDetail: string;
}

/** The login operations every face uses (bound to their dependencies). None needs Docker. */
export interface LoginOperations {
  /** Asks the server for a login code (waiting out 429s) and announces it with a `pair-code` event. */
  loginStart(target: LoginTarget, sink: LoginSink, signal?: AbortSignal): Promise<PairCode>;
  /** Polls every 2 s until the other device approves; throws LoginFailedError('expired') when the code runs out. */
  loginWaitForApproval(code: PairCode, sink: LoginSink, signal?: AbortSignal): Promise<{ device: string }>;
  /** Sends the PIN; on success decrypts the bundle, logs in and stores the session. */
  loginSubmitPin(code: PairCode, pin: string, sink: LoginSink, signal?: AbortSignal): Promise<PinOutcome>;
  whoami(signal?: AbortSignal): Promise<LoggedInAccount>;
  logout(signal?: AbortSignal): Promise<LogoutResult>;
}
