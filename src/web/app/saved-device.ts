import type { DeviceLink } from '../../remote/sdk/index.js';

/**
 * The device's key, kept in this origin's IndexedDB (no other origin can read it): the page opens
 * connected the next time without the link. One device per origin; a new link replaces it.
 */
const DB = 'openmates';
const STORE = 'device';
const KEY = 'current';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB cannot be opened'));
  });
}

async function run<T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB aborted'));
    });
  } finally {
    db.close();
  }
}

export type SavedDevice = Pick<DeviceLink, 'agentId' | 'deviceId' | 'deviceSeed'>;

export async function loadDevice(): Promise<SavedDevice | undefined> {
  const value = (await run('readonly', (store) => store.get(KEY))) as SavedDevice | undefined;
  // deviceId is absent for a short link's device (the SDK derives it from the seed).
  return value && typeof value.agentId === 'string' && (value.deviceId === undefined || typeof value.deviceId === 'string') && typeof value.deviceSeed === 'string' ? value : undefined;
}

export async function saveDevice(device: SavedDevice): Promise<void> {
  await run('readwrite', (store) => store.put({ agentId: device.agentId, ...(device.deviceId === undefined ? {} : { deviceId: device.deviceId }), deviceSeed: device.deviceSeed }, KEY));
}

export async function forgetDevice(): Promise<void> {
  await run('readwrite', (store) => store.delete(KEY));
}
