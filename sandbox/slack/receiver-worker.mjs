// The local webhook receiver: Slack incoming webhooks, Google Chat incoming webhooks, Teams
// Workflows webhooks and signed webhooks (Jira Automation, ServiceNow), each answering as the
// real service does. It runs on its own thread: UrlFetchApp in the runtime blocks the main
// thread while it waits for this server's answer. The runtime routes (sandbox/gas/urlfetch.ts):
//   https://hooks.slack.com/services/…            → /services/…
//   https://chat.googleapis.com/v1/spaces/…       → /chat/v1/spaces/…
//   https://*.logic.azure.com/workflows/…         → /teams/workflows/…   (X-Sandbox-Host)
//   https://<site>.atlassian.net/…, ServiceNow…   → /hooks/<host>/…      (X-Sandbox-Host)
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const SERVICES = ['slack', 'chat', 'teams', 'hooks'];

/** Per service: what it received, how many posts an injected fault answered, faults queued. */
const state = Object.fromEntries(SERVICES.map((s) => [s, { messages: [], failed: 0, faults: [] }]));

// What Slack answers with, for the statuses the docs list.
const SLACK_ERRORS = {
  400: 'invalid_payload',
  403: 'action_prohibited',
  404: 'channel_not_found',
  410: 'channel_is_archived',
  429: 'rate_limited',
  500: 'rollup_error',
};

// Google's canonical status for each HTTP status (google.rpc.Code), with its usual message.
const GOOGLE_ERRORS = {
  400: ['INVALID_ARGUMENT', 'Invalid argument.'],
  401: ['UNAUTHENTICATED', 'Request had invalid authentication credentials.'],
  403: ['PERMISSION_DENIED', 'The caller does not have permission'],
  404: ['NOT_FOUND', 'Requested entity was not found.'],
  409: ['ALREADY_EXISTS', 'Requested entity already exists'],
  429: ['RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).'],
  500: ['INTERNAL', 'Internal error encountered.'],
  503: ['UNAVAILABLE', 'The service is currently unavailable.'],
  504: ['DEADLINE_EXCEEDED', 'The request timed out.'],
};

// Azure Logic Apps' error codes for the statuses a Workflows trigger answers.
const LOGIC_APPS_ERRORS = {
  400: ['InvalidRequestContent', 'The request content is not valid.'],
  401: ['DirectApiAuthorizationRequired', 'The request must be authenticated.'],
  403: ['AuthorizationFailed', 'The flow is not allowed to be triggered by this caller.'],
  404: ['WorkflowNotFound', 'The workflow could not be found.'],
  413: ['MessageTooLarge', 'The request content is too large.'],
  429: [
    'WorkflowRequestsThrottled',
    'The workflow has exceeded the limit for the number of requests.',
  ],
  500: ['InternalServerError', 'Encountered an internal server error.'],
  502: ['BadGateway', 'The flow could not be reached.'],
  503: ['ServiceUnavailable', 'The service is unavailable.'],
};

const SLACK_PATH = /^\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/;
const CHAT_PATH = /^\/chat\/v1\/spaces\/([A-Za-z0-9_-]+)\/messages$/;
const TEAMS_PATH =
  /^\/teams(?:\/powerautomate\/automations\/direct)?\/workflows\/[A-Za-z0-9_-]+\/triggers\/manual\/paths\/invoke$/;
const HOOKS_PATH = /^\/hooks\/([a-z0-9.-]+)(\/.*)?$/;

const CHAT_MAX_BYTES = 32000;
const CHAT_MAX_WIDGETS = 100;
const TEAMS_MAX_BYTES = 28000;

/** Headers the receiver records: what the sender set, not transport noise or the sandbox's. */
const TRANSPORT = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'accept',
  'accept-encoding',
  'accept-language',
  'sec-fetch-mode',
  'user-agent',
  'keep-alive',
]);

function recordedHeaders(req) {
  const out = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const key = name.toLowerCase();
    if (TRANSPORT.has(key) || key.startsWith('x-sandbox-')) continue;
    out[key] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

function answer(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain', ...headers });
  res.end(body);
}

function answerJson(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
  res.end(body === null ? '' : JSON.stringify(body));
}

const retryHeaders = (fault) =>
  fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};

function googleError(res, status, message, headers = {}) {
  const [code, standard] = GOOGLE_ERRORS[status] ?? ['UNKNOWN', 'Unknown error.'];
  answerJson(
    res,
    status,
    { error: { code: status, message: message ?? standard, status: code } },
    headers,
  );
}

function logicAppsError(res, status, message, headers = {}) {
  const [code, standard] = LOGIC_APPS_ERRORS[status] ?? ['UnknownError', 'An error occurred.'];
  answerJson(res, status, { error: { code, message: message ?? standard } }, headers);
}

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseObject(raw) {
  try {
    const value = JSON.parse(raw);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** One received message as the tests and the page read it. */
function record(service, req, url, raw, payload, extra = {}) {
  const clock = Date.parse(req.headers['x-sandbox-clock'] ?? '');
  const now = new Date().toISOString();
  const message = {
    receivedAt: now,
    // When it was sent on the sandbox's clock (the runtime says so); else when it arrived.
    sentAt: Number.isFinite(clock) ? new Date(clock).toISOString() : now,
    path: url,
    contentType: req.headers['content-type'] ?? '',
    headers: recordedHeaders(req),
    raw,
    payload,
    ...extra,
  };
  state[service].messages.push(message);
  return message;
}

/** The next queued fault of a service, counted as a failed post. */
function takeFault(service) {
  const fault = state[service].faults.shift();
  if (fault) state[service].failed++;
  return fault;
}

// ------------------------------------------------------------------ Slack

function slack(req, res, url, raw) {
  if (!SLACK_PATH.test(url)) return answer(res, 404, 'no_service');
  const fault = takeFault('slack');
  if (fault)
    return answer(res, fault.status, SLACK_ERRORS[fault.status] ?? 'error', retryHeaders(fault));
  const payload = parseObject(raw);
  // As Slack answers: an empty blocks array is invalid_blocks; a message without its
  // text (the notification and accessibility fallback) is refused here as invalid_payload.
  if (!payload) return answer(res, 400, 'invalid_payload');
  if (
    'blocks' in payload &&
    (!Array.isArray(payload.blocks) || payload.blocks.length === 0 || payload.blocks.length > 50)
  ) {
    return answer(res, 400, 'invalid_blocks');
  }
  if (typeof payload.text !== 'string' || payload.text.trim() === '') {
    return answer(res, 400, 'invalid_payload');
  }
  record('slack', req, url, raw, payload);
  answer(res, 200, 'ok');
}

// ------------------------------------------------------------------ Google Chat

/** A stable thread id for a thread key (Chat derives its own; this only needs to be stable). */
const threadId = (space, key) =>
  createHash('sha256').update(`${space}\n${key}`).digest('base64url').slice(0, 11);

let chatSequence = 0;

function chat(req, res, url, raw) {
  const parsed = new URL(url, 'http://receiver');
  const path = CHAT_PATH.exec(parsed.pathname);
  const query = parsed.searchParams;
  if (!path || !query.get('key') || !query.get('token')) {
    // Chat answers an unknown webhook (a wrong path, a missing or wrong token) as not found.
    return googleError(res, 404, 'Requested entity was not found.');
  }
  const space = path[1];
  const fault = takeFault('chat');
  if (fault) return googleError(res, fault.status, undefined, retryHeaders(fault));
  if (Buffer.byteLength(raw, 'utf8') > CHAT_MAX_BYTES) {
    return googleError(
      res,
      400,
      `Message too large: ${Buffer.byteLength(raw, 'utf8')} bytes; the maximum is ${CHAT_MAX_BYTES} bytes.`,
    );
  }
  const payload = parseObject(raw);
  if (!payload) return googleError(res, 400, 'Invalid JSON payload received. Unexpected token.');
  const hasText = typeof payload.text === 'string' && payload.text.trim() !== '';
  const cards = payload.cardsV2;
  if (cards !== undefined && !Array.isArray(cards))
    return googleError(res, 400, "Invalid value at 'message.cards_v2': expected a list.");
  const hasCards = Array.isArray(cards) && cards.length > 0;
  if (!hasText && !hasCards)
    return googleError(
      res,
      400,
      'Message cannot be empty. Discarded message: no text and no cards.',
    );
  for (const [i, entry] of (cards ?? []).entries()) {
    if (!isObject(entry) || !isObject(entry.card))
      return googleError(res, 400, `Invalid value at 'message.cards_v2[${i}].card'.`);
    const sections = Array.isArray(entry.card.sections) ? entry.card.sections : [];
    const widgets = sections.reduce(
      (n, s) => n + (isObject(s) && Array.isArray(s.widgets) ? s.widgets.length : 0),
      0,
    );
    if (widgets > CHAT_MAX_WIDGETS)
      return googleError(
        res,
        400,
        `Card ${i} has ${widgets} widgets; a card can have at most ${CHAT_MAX_WIDGETS} widgets.`,
      );
  }
  const key =
    isObject(payload.thread) && typeof payload.thread.threadKey === 'string'
      ? payload.thread.threadKey
      : null;
  const option = query.get('messageReplyOption');
  const replies =
    option === 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' || option === 'REPLY_MESSAGE_OR_FAIL';
  const threadKey = key !== null && replies ? key : null;
  const note =
    key !== null && !replies
      ? `threadKey "${key}" was ignored: without messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD every post starts a new thread.`
      : undefined;
  const n = ++chatSequence;
  const thread = `spaces/${space}/threads/${threadKey !== null ? threadId(space, threadKey) : `t${n}`}`;
  record('chat', req, url, raw, payload, {
    threadKey,
    space,
    thread,
    ...(note ? { note } : {}),
  });
  const createTime = new Date().toISOString();
  answerJson(res, 200, {
    name: `spaces/${space}/messages/m${n}`,
    sender: { name: 'users/114022495153014004089', displayName: 'Governed Path', type: 'BOT' },
    createTime,
    ...(hasText ? { text: payload.text } : {}),
    ...(hasCards ? { cardsV2: cards } : {}),
    thread: { name: thread, ...(threadKey !== null ? { threadKey } : {}) },
    space: { name: `spaces/${space}`, type: 'ROOM' },
    argumentText: hasText ? payload.text : '',
  });
}

// ------------------------------------------------------------------ Teams Workflows

/** An action anywhere in the card that would call back (Workflows webhooks cannot). */
function callbackAction(value) {
  if (Array.isArray(value)) return value.map(callbackAction).find(Boolean) ?? null;
  if (!isObject(value)) return null;
  if (value.type === 'Action.Submit' || value.type === 'Action.Execute') return value.type;
  return Object.values(value).map(callbackAction).find(Boolean) ?? null;
}

function teamsShapeError(payload) {
  if (payload.type !== 'message') return 'The body\'s "type" must be "message".';
  const a = payload.attachments;
  if (!Array.isArray(a) || a.length === 0)
    return 'The body must have an "attachments" array with an Adaptive Card.';
  for (const [i, attachment] of a.entries()) {
    if (!isObject(attachment)) return `attachments[${i}] is not an object.`;
    if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive')
      return `attachments[${i}].contentType must be "application/vnd.microsoft.card.adaptive".`;
    const card = attachment.content;
    if (!isObject(card) || card.type !== 'AdaptiveCard')
      return `attachments[${i}].content must be an AdaptiveCard.`;
    if (typeof card.version !== 'string' || !/^1\.\d+$/.test(card.version))
      return `attachments[${i}].content.version must be "1.x".`;
    if (!Array.isArray(card.body)) return `attachments[${i}].content.body must be an array.`;
  }
  return null;
}

function teams(req, res, url, raw) {
  const parsed = new URL(url, 'http://receiver');
  if (!TEAMS_PATH.test(parsed.pathname)) return logicAppsError(res, 404);
  if (!parsed.searchParams.get('sig')) {
    return logicAppsError(
      res,
      401,
      'The request must be authenticated only by Shared Access scheme.',
    );
  }
  if (!parsed.searchParams.get('api-version'))
    return logicAppsError(res, 400, 'The api-version query parameter is required.');
  const fault = takeFault('teams');
  if (fault) return logicAppsError(res, fault.status, undefined, retryHeaders(fault));
  const size = Buffer.byteLength(raw, 'utf8');
  if (size > TEAMS_MAX_BYTES)
    return logicAppsError(
      res,
      413,
      `The request content is ${size} bytes; a Teams message takes about ${TEAMS_MAX_BYTES}.`,
    );
  const payload = parseObject(raw);
  if (!payload) return logicAppsError(res, 400, 'The request content is not valid JSON.');
  const shape = teamsShapeError(payload);
  if (shape) return logicAppsError(res, 400, shape);
  const action = callbackAction(payload);
  if (action)
    return logicAppsError(
      res,
      400,
      `${action} is not supported: a Workflows webhook cannot receive a card's answer.`,
    );
  const host = String(req.headers['x-sandbox-host'] ?? '');
  record('teams', req, url, raw, payload, host ? { host } : {});
  // The flow runs later: Workflows accepts the request and says nothing more.
  answerJson(res, 202, null);
}

// ------------------------------------------------------------------ signed webhooks

function hooks(req, res, url, raw) {
  const parsed = new URL(url, 'http://receiver');
  const path = HOOKS_PATH.exec(parsed.pathname);
  if (!path) return answerJson(res, 404, { ok: false, error: 'not_found' });
  const fault = takeFault('hooks');
  if (fault)
    return answerJson(
      res,
      fault.status,
      { ok: false, error: `HTTP ${fault.status}` },
      retryHeaders(fault),
    );
  let payload;
  try {
    payload = JSON.parse(raw);
  } catch {
    return answerJson(res, 400, { ok: false, error: 'The body is not JSON.' });
  }
  record('hooks', req, url, raw, payload, { host: path[1] });
  answerJson(res, 200, { ok: true });
}

// ------------------------------------------------------------------ server

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = req.url ?? '/';
    const service = url.startsWith('/chat/')
      ? 'chat'
      : url.startsWith('/teams/')
        ? 'teams'
        : url.startsWith('/hooks/')
          ? 'hooks'
          : 'slack';
    if (req.method !== 'POST') {
      if (service === 'chat') return googleError(res, 405, 'Method not allowed.');
      if (service === 'slack') return answer(res, 405, 'invalid_method');
      return answerJson(res, 405, { error: { code: 'MethodNotAllowed' } });
    }
    if (service === 'chat') return chat(req, res, url, raw);
    if (service === 'teams') return teams(req, res, url, raw);
    if (service === 'hooks') return hooks(req, res, url, raw);
    return slack(req, res, url, raw);
  });
});

/** A service's messages and failures; missing fields are empty. */
function loadService(service, saved) {
  const s = state[service];
  s.messages = Array.isArray(saved?.messages) ? [...saved.messages] : [];
  s.failed = Number.isInteger(saved?.failed) ? saved.failed : 0;
  s.faults = [];
}

const snapshot = (service) => ({
  messages: state[service].messages,
  failed: state[service].failed,
});

parentPort.on('message', ({ id, type, args }) => {
  let result = null;
  if (type === 'messages') {
    const service = args?.service ?? 'slack';
    result = SERVICES.includes(service) ? snapshot(service) : null;
  } else if (type === 'all') {
    result = Object.fromEntries(SERVICES.map((s) => [s, snapshot(s)]));
  } else if (type === 'fail') {
    const { status, count = 1, retryAfter, service = 'slack' } = args;
    const s = state[service];
    s.faults = s.faults.concat(Array.from({ length: count }, () => ({ status, retryAfter })));
    result = { queued: s.faults.length };
  } else if (type === 'reset') {
    for (const s of SERVICES) loadService(s, null);
  } else if (type === 'load') {
    // The Slack-only shape ({messages, failed}, slack.json before other services) or all of them.
    const all = Array.isArray(args?.messages) ? { slack: args } : (args ?? {});
    for (const s of SERVICES) loadService(s, all[s]);
  } else if (type === 'stop') {
    server.close(() => parentPort.postMessage({ id, result: null }));
    return;
  }
  parentPort.postMessage({ id, result });
});

server.listen(workerData.port ?? 0, '127.0.0.1', () => {
  parentPort.postMessage({ id: 0, result: { port: server.address().port } });
});
