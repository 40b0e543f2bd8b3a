/**
 * The headers every answer of the web page's origin carries (the agent's listener and the relay).
 * The page runs only its own script (no inline script, no eval; libsodium's WebAssembly needs
 * 'wasm-unsafe-eval'), talks only to its own origin, and is never framed.
 */
export const WEB_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // The page is small and changes with every openmates version: always asked again, never stale.
  'Cache-Control': 'no-cache',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
