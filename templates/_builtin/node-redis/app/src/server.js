'use strict';
const http = require('node:http');
const { command } = require('./resp');

const host = process.env.REDIS_HOST || 'localhost';
const port = Number(process.env.REDIS_PORT || 6379);

const server = http.createServer(async (req, res) => {
  if (req.url === '/healthz') {
    res.end('ok\n');
    return;
  }
  try {
    const visits = await command(host, port, ['INCR', 'visits']);
    res.end(`hello from the node-redis template: visit ${visits}\n`);
  } catch (e) {
    res.statusCode = 503;
    res.end(`cache not reachable: ${e.message}\n`);
  }
});

server.listen(3000, () => console.log('listening on :3000'));
