'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { encode, parseReply } = require('../src/resp');

test('encode writes RESP arrays', () => {
  assert.strictEqual(encode(['INCR', 'visits']), '*2\r\n$4\r\nINCR\r\n$6\r\nvisits\r\n');
});

test('parseReply reads integers, strings and errors', () => {
  assert.strictEqual(parseReply(Buffer.from(':42\r\n')), 42);
  assert.strictEqual(parseReply(Buffer.from('+PONG\r\n')), 'PONG');
  assert.strictEqual(parseReply(Buffer.from('$3\r\nabc\r\n')), 'abc');
  assert.strictEqual(parseReply(Buffer.from('$3\r\nab')), undefined);
  assert.throws(() => parseReply(Buffer.from('-ERR nope\r\n')), /ERR nope/);
});
