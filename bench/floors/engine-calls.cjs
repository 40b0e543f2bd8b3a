// A start-up floor: Node making the given Engine API calls over node:http, and nothing else.
// argv: socket path, then a JSON list of stages; the calls of a stage run at once, stages one after another.
// "inspect-listed" inspects every container the stage before listed (status and the reset checklist do).
const http = require('node:http');
const [socketPath, stagesJson] = process.argv.slice(2);
const get = (path) =>
  new Promise((resolve, reject) => {
    http.get({ socketPath, path }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve(text.startsWith('[') || text.startsWith('{') ? JSON.parse(text) : text));
    }).on('error', reject);
  });
(async () => {
  let listed = [];
  for (const stage of JSON.parse(stagesJson)) {
    const results = await Promise.all(stage.flatMap((path) => (path === 'inspect-listed' ? listed.map((c) => get(`/containers/${c.Id}/json`)) : [get(path)])));
    listed = results.find((result) => Array.isArray(result) && result[0]?.Id) ?? listed;
  }
})();
