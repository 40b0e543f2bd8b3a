import type { Plugin } from 'esbuild';

export declare const rawTextPlugin: Plugin;
export declare const commonJsBanner: { js: string };
