/** The protocol name in `hello`, and the versions this build speaks (the newest last). */
export const PROTOCOL_NAME = 'openmates-remote';
export const PROTOCOL_VERSION = 1;
export const SUPPORTED_VERSIONS: readonly number[] = [PROTOCOL_VERSION];
