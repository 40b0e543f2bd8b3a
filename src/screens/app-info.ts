import { createContext, useContext } from 'react';

/** Facts every screen's frame shows: where we run, which CLI, and whether Ctrl-C is being handled. */
export interface AppInfo {
  hostName: string;
  cliVersion: string;
  /** True after Ctrl-C while the running operation is given a moment to stop. */
  stopping: boolean;
}

export const AppInfoContext = createContext<AppInfo>({ hostName: '', cliVersion: '', stopping: false });

export function useAppInfo(): AppInfo {
  return useContext(AppInfoContext);
}
