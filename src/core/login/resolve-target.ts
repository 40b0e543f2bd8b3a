import { apiBaseFromUrl, appOriginFromUrl, deriveAppOrigin } from '../../auth/origins.js';
import { OpenmatesError } from '../errors.js';
import { installLayout } from '../install-dir.js';
import { readInstalledStack } from '../stack/resolve.js';
import type { LoginTarget } from './types.js';

export interface ResolvedTarget {
  apiBase: string;
  appOrigin: string;
}

/**
 * The API to log in to (--api-url, else the installed instance's URL named "API") and the web
 * app the link opens (--app-url, else derived from the API's host name, else the install's web
 * app URL). Every failure names the flag that settles it.
 */
export async function resolveLoginTarget(target: LoginTarget): Promise<ResolvedTarget> {
  const installed = target.apiUrl && target.appUrl ? undefined : await installedUrls(target.installDir, target.apiUrl === undefined);
  const apiBase = target.apiUrl ? apiBaseFromUrl(target.apiUrl, '--api-url') : installed!.api!;
  const appOrigin = target.appUrl ? appOriginFromUrl(target.appUrl, '--app-url') : (deriveAppOrigin(apiBase) ?? installed?.web);
  if (!appOrigin) {
    throw new OpenmatesError('usage', `Cannot tell the web app's address from the API at ${apiBase} (its host name is not api.<domain> or localhost).`, 'Pass it with --app-url, e.g. --app-url https://app.example.org.');
  }
  return { apiBase, appOrigin };
}

async function installedUrls(installDir: string, needApi: boolean): Promise<{ api?: string; web?: string } | undefined> {
  const layout = installLayout(installDir);
  // With --api-url the install only might name the web app: a broken one must not block the login.
  const loaded = needApi ? await readInstalledStack(layout) : await readInstalledStack(layout).catch(() => undefined);
  if (!loaded) {
    if (!needApi) return undefined;
    throw new OpenmatesError('not-installed', `No OpenMates is installed in ${layout.root}, so there is no API to log in to.`, 'Pass the API with --api-url (e.g. --api-url https://api.example.org), or the install directory with --path.');
  }
  const urls = loaded.stack.urls;
  const api = urls.find((url) => url.name.trim().toLowerCase() === 'api') ?? urls.find((url) => /\bapi\b/i.test(url.name));
  const web = urls.find((url) => /web ?app/i.test(url.name)) ?? urls.find((url) => /\b(web|app)\b/i.test(url.name) && url !== api);
  if (needApi && !api) {
    throw new OpenmatesError('usage', `The install in ${layout.root} lists no URL named "API" (in ${layout.stackCopy}).`, 'Pass the API with --api-url, e.g. --api-url http://localhost:8000.');
  }
  return {
    ...(api ? { api: apiBaseFromUrl(api.url, `The "${api.name}" URL in ${layout.stackCopy}`) } : {}),
    ...(web ? { web: safeOrigin(web.url) } : {}),
  };
}

function safeOrigin(url: string): string | undefined {
  try {
    return appOriginFromUrl(url, 'the web app URL');
  } catch {
    return undefined;
  }
}
