import { useApp, useInput } from 'ink';
import { useMemo, useState } from 'react';
import type { InstallResult } from '../core/install/types.js';
import type { Operations } from '../core/operations.js';
import { AppInfoContext, type AppInfo } from './app-info.js';
import { Home } from './Home.js';
import { Install } from './Install.js';
import { InstallResultScreen } from './InstallResult.js';
import { Logs } from './Logs.js';

export const EXIT_INTERRUPTED = 130;

export interface AppProps {
  operations: Operations;
  installDir: string;
  stackFile?: string;
  cliVersion: string;
  hostName: string;
  /** Called on Ctrl-C. Without it the app exits at once with 130. */
  onInterrupt?: () => void;
  /** True while Ctrl-C is being handled; the footer says so. */
  stopping?: boolean;
}

type Route = { name: 'home' } | { name: 'install' } | { name: 'result'; result: InstallResult } | { name: 'logs'; services?: string[] };

/** The router: home → install → result, and back. `exit(code)` ends the app with that exit code. */
export function App({ operations, installDir, stackFile, cliVersion, hostName, onInterrupt, stopping = false }: AppProps) {
  const { exit } = useApp();
  const [route, setRoute] = useState<Route>({ name: 'home' });
  const info = useMemo<AppInfo>(() => ({ hostName, cliVersion, stopping }), [hostName, cliVersion, stopping]);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (onInterrupt) onInterrupt();
      else exit(EXIT_INTERRUPTED);
    }
  });

  const goHome = () => setRoute({ name: 'home' });
  let screen;
  switch (route.name) {
    case 'home':
      screen = (
        <Home operations={operations} installDir={installDir} onInstall={() => setRoute({ name: 'install' })} onLogs={() => setRoute({ name: 'logs' })} onQuit={() => exit(0)} />
      );
      break;
    case 'install':
      screen = (
        <Install
          operations={operations}
          installDir={installDir}
          {...(stackFile === undefined ? {} : { stackFile })}
          onBack={goHome}
          onInstalled={(result) => setRoute({ name: 'result', result })}
        />
      );
      break;
    case 'result':
      screen = <InstallResultScreen result={route.result} onBack={goHome} />;
      break;
    case 'logs':
      screen = <Logs operations={operations} installDir={installDir} onBack={goHome} {...(route.services ? { services: route.services } : {})} />;
      break;
  }
  return <AppInfoContext.Provider value={info}>{screen}</AppInfoContext.Provider>;
}
