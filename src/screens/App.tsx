import { useApp, useInput } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { InstallResult } from '../core/install/types.js';
import type { LifecycleAction } from '../core/lifecycle/types.js';
import type { Operations } from '../core/operations.js';
import type { Settings as SettingsValues } from '../core/settings.js';
import { AppInfoContext, type AppInfo } from './app-info.js';
import { ScreenFrame } from './components/ScreenFrame.js';
import { Home } from './Home.js';
import { Install } from './Install.js';
import { InstallResultScreen } from './InstallResult.js';
import { Reset } from './Reset.js';
import { SafetyModeQuestion } from './SafetyModeQuestion.js';
import { Settings } from './Settings.js';
import { Uninstall } from './Uninstall.js';
import { Lifecycle } from './Lifecycle.js';
import { Backups } from './Backups.js';
import { Login } from './Login.js';
import { Logs } from './Logs.js';
import { Runs } from './Runs.js';
import type { RunEngine } from '../core/runs/index.js';
import { Update } from './Update.js';
import { useUpdateCheck } from './use-update-check.js';
import type { ApprovalsSource } from '../remote/agent/control-approvals.js';
import type { DevicesSource } from './remote/devices-source.js';
import { RemoteAccess } from './RemoteAccess.js';
import type { HomeScreen } from './Home.js';

export const EXIT_INTERRUPTED = 130;

export interface AppProps {
  operations: Operations;
  installDir: string;
  stackFile?: string;
  /** --tag: the version the Install screen installs (default: the newest release). */
  tag?: string;
  cliVersion: string;
  hostName: string;
  /** Called on Ctrl-C. Without it the app exits at once with 130. */
  onInterrupt?: () => void;
  /** True while Ctrl-C is being handled; the footer says so. */
  stopping?: boolean;
  /** The remote-access agent's approvals (home count, the Remote access screen); without it neither shows. */
  approvals?: ApprovalsSource;
  /** The remote-access agent's devices, listed, added and revoked on the Remote access screen. */
  devices?: DevicesSource;
  /** The engine's isolated runs, for the Runs screen (default: the Docker engine of the environment). */
  runEngine?: () => Promise<RunEngine>;
}

const connectDockerRuns = () => import('../docker/run-containers.js').then(({ connectRunEngine }) => connectRunEngine());

type Route =
  | { name: 'starting' }
  | { name: 'safety-question' }
  | { name: 'home' }
  | { name: 'install' }
  | { name: 'result'; result: InstallResult }
  | { name: 'reset' }
  | { name: 'uninstall'; deleteData?: boolean }
  | { name: 'settings' }
  | { name: 'lifecycle'; action: LifecycleAction }
  | { name: 'backups' }
  | { name: 'login' }
  | { name: 'logs'; services?: string[] }
  | { name: 'update' }
  | { name: 'runs' }
  | { name: 'remote' };

/** The router: home → install → result, home → start / stop / restart, and back. `exit(code)` ends the app with that exit code. */
export function App({ operations, installDir, stackFile, tag, cliVersion, hostName, onInterrupt, stopping = false, approvals, devices, runEngine = connectDockerRuns }: AppProps) {
  const { exit } = useApp();
  const [route, setRoute] = useState<Route>({ name: 'starting' });
  const [settings, setSettings] = useState<SettingsValues | undefined>(undefined);
  const [settingsError, setSettingsError] = useState<unknown>(undefined);
  const info = useMemo<AppInfo>(() => ({ hostName, cliVersion, stopping }), [hostName, cliVersion, stopping]);
  const { updates, recheck } = useUpdateCheck(operations, installDir, cliVersion);

  useInput((input, key) => {
    if (key.ctrl && input === 'c') {
      if (onInterrupt) onInterrupt();
      else exit(EXIT_INTERRUPTED);
    }
  });

  // The first run on a machine asks whether it is a production server (safety mode) before anything else.
  useEffect(() => {
    let active = true;
    operations.readSettings().then(
      (read) => {
        if (!active) return;
        setSettings(read);
        setRoute((current) => (current.name === 'starting' ? { name: read.safetyMode === undefined ? 'safety-question' : 'home' } : current));
      },
      // A broken settings file is reported by the Settings screen; the app still works.
      (error: unknown) => {
        if (!active) return;
        setSettingsError(error);
        setRoute((current) => (current.name === 'starting' ? { name: 'home' } : current));
      },
    );
    return () => {
      active = false;
    };
  }, [operations]);

  const changeSettings = async (patch: Partial<SettingsValues>) => setSettings(await operations.updateSettings(patch));
  const goHome = () => setRoute({ name: 'home' });
  let screen;
  switch (route.name) {
    case 'starting':
      screen = <ScreenFrame hints={[]}>{null}</ScreenFrame>;
      break;
    case 'safety-question':
      screen = (
        <SafetyModeQuestion
          onAnswer={(production) => {
            changeSettings({ safetyMode: production }).then(goHome, goHome);
          }}
          onLater={goHome}
        />
      );
      break;
    case 'home':
      screen = (
        <Home
          operations={operations}
          installDir={installDir}
          onInstall={() => setRoute({ name: 'install' })}
          onLifecycle={(action) => setRoute({ name: 'lifecycle', action })}
          onOpenLogs={(service) => setRoute(service ? { name: 'logs', services: [service] } : { name: 'logs' })}
          onQuit={() => exit(0)}
          onOpen={(target) => setRoute(openRoute(target))}
          {...(settings?.safetyMode === undefined ? {} : { safetyMode: settings.safetyMode })}
          updates={updates}
          onUpdate={() => setRoute({ name: 'update' })}
          {...(approvals ? { approvals } : {})}
        />
      );
      break;
    case 'backups':
      screen = <Backups operations={operations} installDir={installDir} onBack={goHome} />;
      break;
    case 'runs':
      screen = <Runs connect={runEngine} onBack={goHome} />;
      break;
    case 'login':
      screen = <Login operations={operations} installDir={installDir} onBack={goHome} />;
      break;
    case 'logs':
      screen = <Logs operations={operations} installDir={installDir} onBack={goHome} {...(route.services ? { services: route.services } : {})} />;
      break;
    case 'update':
      screen = (
        <Update
          operations={operations}
          installDir={installDir}
          {...(settings?.safetyMode === undefined ? {} : { safetyMode: settings.safetyMode })}
          onBack={(changed) => {
            if (changed) recheck();
            goHome();
          }}
        />
      );
      break;
    case 'remote':
      screen = approvals ? <RemoteAccess source={approvals} {...(devices ? { devices } : {})} onBack={goHome} /> : null;
      break;
    case 'reset':
      screen = <Reset operations={operations} installDir={installDir} onBack={goHome} />;
      break;
    case 'uninstall':
      screen = <Uninstall operations={operations} installDir={installDir} {...(route.deleteData === undefined ? {} : { deleteData: route.deleteData })} onBack={goHome} />;
      break;
    case 'settings':
      screen = <Settings settings={settings} error={settingsError} onChange={changeSettings} onBack={goHome} />;
      break;
    case 'install':
      screen = (
        <Install
          operations={operations}
          installDir={installDir}
          {...(stackFile === undefined ? {} : { stackFile })}
          {...(tag === undefined ? {} : { tag })}
          onBack={goHome}
          onInstalled={(result) => setRoute({ name: 'result', result })}
        />
      );
      break;
    case 'result':
      screen = <InstallResultScreen result={route.result} onBack={goHome} />;
      break;
    case 'lifecycle':
      screen = <Lifecycle operations={operations} installDir={installDir} action={route.action} onBack={goHome} {...(settings?.safetyMode === undefined ? {} : { safetyMode: settings.safetyMode })} />;
      break;
  }
  return <AppInfoContext.Provider value={info}>{screen}</AppInfoContext.Provider>;
}

function openRoute(target: HomeScreen): Route {
  switch (target) {
    case 'backups':
      return { name: 'backups' };
    case 'login':
      return { name: 'login' };
    case 'runs':
      return { name: 'runs' };
    case 'delete-kept':
      return { name: 'uninstall', deleteData: true };
    case 'reset':
      return { name: 'reset' };
    case 'uninstall':
      return { name: 'uninstall' };
    case 'settings':
      return { name: 'settings' };
    case 'remote':
      return { name: 'remote' };
  }
}
