import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNoticeServer, type NoticeServer } from '../../src/notice/notice-server';

// This file owns 127.0.14.x.
const URL_OF_NOTICE = 'https://portal.example.net/isp/suspended';
let notice: NoticeServer;

beforeAll(async () => {
  notice = await startNoticeServer({ url: URL_OF_NOTICE, port: 0, host: '127.0.14.1' });
});

afterAll(async () => {
  await notice.close();
});

/** A browser's request as the router's dstnat delivers it: another site's Host and path. */
function get(
  host: string,
  path: string,
): Promise<{ status: number; location: string | undefined; cache: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.14.1', port: notice.port, path, headers: { host } }, (response) => {
      response.resume();
      resolve({
        status: response.statusCode ?? 0,
        location: response.headers.location,
        cache: response.headers['cache-control'],
      });
    })
      .on('error', reject)
      .end();
  });
}

describe('startNoticeServer', () => {
  it('redirects any site and path a suspended customer asks for to the notice page, never cached', async () => {
    for (const [host, path] of [
      ['news.example.org', '/'],
      ['203.0.113.9', '/some/page?x=1'],
    ] as const) {
      expect(await get(host, path)).toEqual({ status: 302, location: URL_OF_NOTICE, cache: 'no-store' });
    }
  });
});
