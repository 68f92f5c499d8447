// `node ./build`: serves the pages on HOST:PORT (default 0.0.0.0:3000), rendering on the server
// with data fetched from the API at VITE_API_SSR_URL.
'use strict';
const http = require('http');
const { render, renderError } = require('./page.js');

let built = {};
try {
  built = require('./config.json');
} catch (e) {
  // no build settings: environment and defaults only
}
const setting = (name, fallback) => process.env[name] || built[name] || fallback;
const apiUrl = setting('VITE_API_SSR_URL', 'http://localhost:3579').replace(/\/+$/, '');

function getJson(url) {
  return new Promise((resolve, reject) => {
    // autoSelectFamily: "localhost" may resolve to ::1 first while the API listens on 127.0.0.1
    const req = http.get(url, { timeout: 5000, autoSelectFamily: true }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { body += chunk; });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, body: JSON.parse(body) });
        } catch (e) {
          reject(new Error(`${url}: not JSON (status ${res.statusCode})`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 5 s`)));
    req.on('error', reject);
  });
}

async function page(req, res) {
  if (req.url === '/healthz') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('ok\n');
    return;
  }
  if (req.url !== '/' && !req.url.startsWith('/?')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
    return;
  }
  try {
    const [datasets, health] = await Promise.all([getJson(`${apiUrl}/datasets`), getJson(`${apiUrl}/health`)]);
    if (datasets.status !== 200) throw new Error(`${apiUrl}/datasets answered ${datasets.status}`);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(render(datasets.body, health.body));
  } catch (e) {
    res.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
    res.end(renderError(e.message));
  }
}

const host = process.env.HOST || '0.0.0.0';
const port = Number(process.env.PORT || 3000);
const server = http.createServer((req, res) => { page(req, res); });
server.listen(port, host, () => console.log(`client listening on ${host}:${port}, API at ${apiUrl}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
