// A start-up floor: Node making one HTTP POST with node:http (JSON body, a cookie header), and nothing else.
const http = require('node:http');
const [url, body, cookie] = process.argv.slice(2);
const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', cookie } }, (response) => {
  response.resume();
  response.on('end', () => undefined);
});
request.end(body);
