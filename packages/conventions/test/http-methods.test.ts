import { describe, expect, it } from 'vitest';
import { HTTP_METHODS, httpRequestMethod } from '../src/index.js';

describe('httpRequestMethod: the one http.request.method rule (server and client spans alike)', () => {
  it.each([
    ['GET', 'GET'],
    ['get', 'GET'],
    ['Patch', 'PATCH'],
    ['CONNECT', 'CONNECT'],
    ['PROPFIND', '_OTHER'],
    ['', '_OTHER'],
    ['HTTP', '_OTHER'],
  ])('%j is %j', (method, expected) => {
    expect(httpRequestMethod(method)).toBe(expected);
  });

  it('names the nine methods of the semantic conventions', () => {
    expect([...HTTP_METHODS].sort()).toEqual([
      'CONNECT',
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'POST',
      'PUT',
      'TRACE',
    ]);
  });
});
