/** Where a known secret came from; it is the `source` part of its token. */
export type SecretSource = 'install-env' | 'agent-env' | 'root-env' | 'login';

export interface KnownSecret {
  source: SecretSource;
  /** The variable (or login field) it is held in: the `NAME` part of its token. */
  name: string;
  value: string;
}
