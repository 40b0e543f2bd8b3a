// The encoder alone, without the package's PNG, SVG and terminal renderers (and their imports) on
// the start-up path: we draw the modules ourselves (qr-code.ts).
declare module 'qrcode/lib/core/qrcode.js' {
  export { create } from 'qrcode';
}
