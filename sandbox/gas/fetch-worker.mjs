// Runs in a worker thread: UrlFetchApp is synchronous, so the runtime blocks on this worker
// (synckit) while it makes the real HTTP request with Node's fetch.
import { runAsWorker } from 'synckit';

runAsWorker(async (request) => {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.method === 'GET' || request.method === 'HEAD' ? undefined : request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs ?? 30000),
    });
    const headers = {};
    response.headers.forEach((value, key) => {
      headers[key.replace(/(^|-)\w/g, (c) => c.toUpperCase())] = value;
    });
    return { status: response.status, headers, body: await response.text() };
  } catch (error) {
    return {
      status: 0,
      headers: {},
      body: '',
      error: String(error?.cause?.code ?? error?.message ?? error),
    };
  }
});
