// A minimal Redis client (RESP over a socket) so the template needs no
// npm packages and builds offline. Use a real client (redis, ioredis) as
// the app grows.
'use strict';
const net = require('node:net');

// encode writes a command as a RESP array of bulk strings.
function encode(args) {
  let out = `*${args.length}\r\n`;
  for (const a of args) {
    const s = String(a);
    out += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return out;
}

// parseReply reads one simple reply (+OK, :42, -ERR, $n bulk) from a buffer.
function parseReply(buf) {
  const text = buf.toString();
  const end = text.indexOf('\r\n');
  if (end < 0) return undefined;
  const kind = text[0];
  const head = text.slice(1, end);
  switch (kind) {
    case '+': return head;
    case ':': return Number(head);
    case '-': throw new Error(head);
    case '$': {
      const n = Number(head);
      if (n < 0) return null;
      if (text.length < end + 2 + n) return undefined;
      return text.slice(end + 2, end + 2 + n);
    }
  }
  throw new Error(`unexpected reply ${JSON.stringify(text)}`);
}

// command sends one command and resolves with its reply.
function command(host, port, args) {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ host, port }, () => sock.write(encode(args)));
    let buf = Buffer.alloc(0);
    sock.setTimeout(2000, () => sock.destroy(new Error('redis timeout')));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      try {
        const r = parseReply(buf);
        if (r !== undefined) { sock.end(); resolve(r); }
      } catch (e) { sock.destroy(); reject(e); }
    });
    sock.on('error', reject);
  });
}

module.exports = { encode, parseReply, command };
