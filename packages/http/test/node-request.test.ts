// `server.address` and `server.port` from the Host header: read without a regular expression in
// the common `name:port` case. The previous pattern is the specification; every host made of a
// small alphabet up to six characters (and a table of odd ones) must give what it gave.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestInfoFromNode } from '../src/index.js';

const SPEC = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/;
const SOCKET_PORT = 8443;

function expected(host: string): { serverAddress?: string; serverPort?: number } {
  if (host.length > 255) return { serverPort: SOCKET_PORT };
  const m = SPEC.exec(host);
  if (m === null) return { serverPort: SOCKET_PORT };
  return {
    serverAddress: m[1],
    serverPort: m[2] === undefined ? SOCKET_PORT : Number(m[2]),
  };
}

function parsed(host: string): { serverAddress?: string; serverPort?: number } {
  const req = {
    method: 'GET',
    url: '/x',
    headers: { host },
    httpVersion: '1.1',
    socket: { localPort: SOCKET_PORT, remoteAddress: '127.0.0.1' },
  } as unknown as IncomingMessage;
  const info = requestInfoFromNode(req);
  const out: { serverAddress?: string; serverPort?: number } = {};
  if (info.serverAddress !== undefined) out.serverAddress = info.serverAddress;
  if (info.serverPort !== undefined) out.serverPort = info.serverPort;
  return out;
}

function* hosts(alphabet: string, maxLength: number): Generator<string> {
  yield '';
  let level = [''];
  for (let length = 1; length <= maxLength; length++) {
    const next: string[] = [];
    for (const prefix of level) for (const c of alphabet) next.push(prefix + c);
    yield* next;
    level = next;
  }
}

describe('requestInfoFromNode: the Host header', () => {
  it.each([
    'example.com',
    'example.com:8080',
    '127.0.0.1:80',
    '[::1]',
    '[::1]:3000',
    '[::1]:',
    '[::1',
    'host:',
    ':80',
    'host:123456',
    'host:12a',
    'a:b:c',
    'host:٣',
    'x'.repeat(256),
    `${'x'.repeat(250)}:8080`,
  ])('%s', (host) => {
    expect(parsed(host)).toEqual(expected(host));
  });

  it('gives what the pattern gives for every short host over ":[]1a"', () => {
    let checked = 0;
    for (const host of hosts(':[]1a', 6)) {
      expect(parsed(host), JSON.stringify(host)).toEqual(expected(host));
      checked++;
    }
    expect(checked).toBeGreaterThan(19_000);
  });
});
