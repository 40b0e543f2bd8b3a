// A start-up floor: Node reading (and parsing as JSON) the given files, a missing one being fine, and
// with --socket PATH first trying a unix socket as remote-access status tries the agent's.
const { readFile } = require('node:fs/promises');
const net = require('node:net');
const args = process.argv.slice(2);
const socket = args[0] === '--socket' ? args.splice(0, 2)[1] : undefined;
const tryFile = (file) => readFile(file, 'utf8').then((text) => (file.endsWith('.json') ? JSON.parse(text) : text), () => undefined);
const trySocket = (path) => new Promise((resolve) => net.connect(path).on('connect', function () { this.end(); resolve(); }).on('error', resolve));
(async () => {
  if (socket) await trySocket(socket);
  await Promise.all(args.map(tryFile));
})();
