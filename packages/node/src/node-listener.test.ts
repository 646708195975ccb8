import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, type RunningServer } from '../test/listen';
import { createNodeListener, INTERNAL_ERROR_BODY } from './node-listener';

let running: RunningServer | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe('createNodeListener', () => {
  it('answers a throwing handler with JSON 500', async () => {
    const reported: unknown[] = [];
    const failure = new Error('database password is hunter2');

    running = await listen(
      createNodeListener(
        async () => {
          throw failure;
        },
        { onError: (error) => reported.push(error) },
      ),
    );

    const response = await fetch(`${running.url}/createTask`, { method: 'POST', body: '{}' });
    const text = await response.text();

    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(text).toBe(INTERNAL_ERROR_BODY);
    expect(JSON.parse(text)).toMatchObject({ errorId: 1, errorCode: 'ERROR_NO_SLOT_AVAILABLE' });
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    expect(reported).toEqual([failure]);
  });

  it('survives an onError that throws', async () => {
    running = await listen(
      createNodeListener(
        async () => {
          throw new Error('handler failed');
        },
        {
          onError: () => {
            throw new Error('reporter failed');
          },
        },
      ),
    );

    const response = await fetch(`${running.url}/x`);
    expect(response.status).toBe(500);
  });

  it('passes GET through with URL and headers', async () => {
    running = await listen(
      createNodeListener(async (request) =>
        Response.json({
          method: request.method,
          url: request.url,
          header: request.headers.get('x-test'),
          hasBody: request.body !== null,
        }),
      ),
    );

    const response = await fetch(`${running.url}/captcha/getBalance?x=1`, {
      headers: { 'x-test': 'yes' },
    });

    expect(await response.json()).toEqual({
      method: 'GET',
      url: `${running.url}/captcha/getBalance?x=1`,
      header: 'yes',
      hasBody: false,
    });
  });

  it('keeps a path starting with // on this host', async () => {
    running = await listen(createNodeListener(async (request) => new Response(request.url)));

    const req = httpRequest({ host: '127.0.0.1', port: running.port, path: '//evil.test/x' });
    req.end();
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
    let text = '';
    for await (const part of res) text += part;

    expect(text).toBe(`${running.url}//evil.test/x`);
  });

  it('rejects TRACE with JSON 405', async () => {
    const reported: unknown[] = [];
    let called = false;
    running = await listen(
      createNodeListener(
        async () => {
          called = true;
          return new Response('handled');
        },
        { onError: (error) => reported.push(error) },
      ),
    );

    const req = httpRequest(`${running.url}/createTask`, { method: 'TRACE' });
    req.end();
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
    let text = '';
    for await (const part of res) text += part;

    expect(res.statusCode).toBe(405);
    expect(res.headers['content-type']).toBe('application/json');
    expect(JSON.parse(text)).toEqual({
      errorId: 1,
      errorCode: 'ERROR_NO_SUCH_METHOD',
      errorDescription: 'HTTP method TRACE is not supported.',
    });
    expect(called).toBe(false);
    expect(reported).toEqual([]);
  });

  it('sends headers but no body for HEAD', async () => {
    running = await listen(
      createNodeListener(async (request) =>
        Response.json({ method: request.method }, { headers: { 'x-method': request.method } }),
      ),
    );

    const response = await fetch(`${running.url}/x`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('x-method')).toBe('HEAD');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.text()).toBe('');
  });

  it('keeps repeated request and response headers', async () => {
    running = await listen(
      createNodeListener(async (request) => {
        const headers = new Headers();
        headers.append('set-cookie', 'a=1; Path=/');
        headers.append('set-cookie', 'b=2; Path=/');
        headers.append('x-list', 'one');
        headers.append('x-list', 'two');
        return new Response(request.headers.get('x-multi'), { status: 201, headers });
      }),
    );

    const req = httpRequest(`${running.url}/x`, { headers: { 'x-multi': ['a', 'b'] } });
    req.end();
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
    let text = '';
    for await (const part of res) text += part;

    expect(res.statusCode).toBe(201);
    expect(text).toBe('a, b');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(res.headers['x-list']).toBe('one, two');
  });
});
