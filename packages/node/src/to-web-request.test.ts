import type { IncomingMessage, RequestListener } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../test/listen';
import { createNodeListener } from './node-listener';

let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

/** Echoes what the handler received: body text and the headers that describe it. */
const echo = createNodeListener(async (request) =>
  Response.json({
    body: await request.text(),
    contentType: request.headers.get('content-type'),
    contentLength: request.headers.get('content-length'),
  }),
);

/** Reads the body the way a parser middleware does, then stores `parse(text)` as `req.body`. */
function withParser(parse: (text: string) => unknown): RequestListener {
  return async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    (req as IncomingMessage & { body?: unknown }).body = parse(text);
    echo(req, res);
  };
}

async function post(body: string, contentType = 'application/json'): Promise<unknown> {
  const response = await fetch(`${running?.url}/createTask`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return response.json();
}

describe('toWebRequest body', () => {
  it('streams an unread body', async () => {
    running = await listen(echo);

    expect(await post('{"clientKey":"k"}')).toEqual({
      body: '{"clientKey":"k"}',
      contentType: 'application/json',
      contentLength: '17',
    });
  });

  it('serializes a parsed object as JSON', async () => {
    running = await listen(withParser((text) => JSON.parse(text)));

    expect(await post('{ "clientKey" : "k" }', 'application/vnd.api+json')).toEqual({
      body: '{"clientKey":"k"}',
      contentType: 'application/json',
      contentLength: null,
    });
  });

  it('passes a parsed string as is', async () => {
    running = await listen(withParser((text) => text));

    expect(await post('{"a":1}', 'text/plain')).toEqual({
      body: '{"a":1}',
      contentType: 'text/plain',
      contentLength: null,
    });
  });

  it('passes a parsed Buffer as bytes', async () => {
    running = await listen(withParser((text) => Buffer.from(text)));

    expect(await post('{"b":2}', 'application/octet-stream')).toEqual({
      body: '{"b":2}',
      contentType: 'application/octet-stream',
      contentLength: null,
    });
  });

  it('uses a ReadableStream in req.body', async () => {
    running = await listen((req, res) => {
      (req as IncomingMessage & { body?: unknown }).body = new Blob(['{"c":3}']).stream();
      echo(req, res);
    });

    expect(await post('ignored')).toMatchObject({ body: '{"c":3}' });
  });

  it('ignores req.body when the stream is unread', async () => {
    running = await listen((req, res) => {
      (req as IncomingMessage & { body?: unknown }).body = {};
      echo(req, res);
    });

    expect(await post('{"d":4}')).toMatchObject({ body: '{"d":4}' });
  });
});
