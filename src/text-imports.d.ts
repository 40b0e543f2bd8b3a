// Files imported as text with "?raw": Vite (the tests) does this natively, scripts/build.mjs
// does it for the bundle.
declare module '*?raw' {
  const text: string;
  export default text;
}
