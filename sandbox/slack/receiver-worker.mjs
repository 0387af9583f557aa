// The local Slack incoming-webhook receiver. It runs on its own thread: UrlFetchApp in the
// runtime blocks the main thread while it waits for this server's answer.
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const messages = [];
let failed = 0;
let faults = []; // { status, retryAfter } answered to the next posts, in order

// What Slack answers with, for the statuses the docs list.
const ERROR_BODIES = {
  400: 'invalid_payload',
  403: 'action_prohibited',
  404: 'channel_not_found',
  410: 'channel_is_archived',
  429: 'rate_limited',
  500: 'rollup_error',
};

const WEBHOOK_PATH = /^\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/;

function answer(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(body);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method !== 'POST') return answer(res, 405, 'invalid_method');
    if (!WEBHOOK_PATH.test(req.url ?? '')) return answer(res, 404, 'no_service');
    const fault = faults.shift();
    if (fault) {
      failed++;
      const headers =
        fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      return answer(res, fault.status, ERROR_BODIES[fault.status] ?? 'error', headers);
    }
    let payload;
    try {
      payload = JSON.parse(body);
    } catch {
      return answer(res, 400, 'invalid_payload');
    }
    // As Slack answers: an empty blocks array is invalid_blocks; a message without its
    // text (the notification and accessibility fallback) is refused here as invalid_payload.
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
      return answer(res, 400, 'invalid_payload');
    }
    if (
      'blocks' in payload &&
      (!Array.isArray(payload.blocks) || payload.blocks.length === 0 || payload.blocks.length > 50)
    ) {
      return answer(res, 400, 'invalid_blocks');
    }
    if (typeof payload.text !== 'string' || payload.text.trim() === '') {
      return answer(res, 400, 'invalid_payload');
    }
    const clock = Date.parse(req.headers['x-sandbox-clock'] ?? '');
    messages.push({
      receivedAt: new Date().toISOString(),
      // When it was sent on the sandbox's clock (the runtime says so); else when it arrived.
      sentAt: Number.isFinite(clock) ? new Date(clock).toISOString() : new Date().toISOString(),
      path: req.url,
      contentType: req.headers['content-type'] ?? '',
      payload,
    });
    answer(res, 200, 'ok');
  });
});

parentPort.on('message', ({ id, type, args }) => {
  let result = null;
  if (type === 'messages') result = { messages, failed };
  else if (type === 'fail') {
    const { status, count = 1, retryAfter } = args;
    faults = faults.concat(Array.from({ length: count }, () => ({ status, retryAfter })));
    result = { queued: faults.length };
  } else if (type === 'reset') {
    messages.length = 0;
    failed = 0;
    faults = [];
  } else if (type === 'load') {
    messages.length = 0;
    messages.push(...(args.messages ?? []));
    failed = args.failed ?? 0;
  } else if (type === 'stop') {
    server.close(() => parentPort.postMessage({ id, result: null }));
    return;
  }
  parentPort.postMessage({ id, result });
});

server.listen(workerData.port ?? 0, '127.0.0.1', () => {
  parentPort.postMessage({ id: 0, result: { port: server.address().port } });
});
