import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The services the local receiver stands in for (see receiver-worker.mjs for the routes). */
export type ReceiverService = 'slack' | 'chat' | 'teams' | 'hooks';
export const RECEIVER_SERVICES: readonly ReceiverService[] = ['slack', 'chat', 'teams', 'hooks'];

export interface ReceivedMessage {
  receivedAt: string;
  /** On the sandbox runtime's clock. */
  sentAt: string;
  /** The path on the receiver (/services/…, /chat/v1/…, /teams/…, /hooks/<host>/…). */
  path: string;
  contentType: string;
  /** What the sender set, names in lower case (not transport headers, not the sandbox's own). */
  headers: Record<string, string>;
  /** The body exactly as received (what a signature is computed over). */
  raw: string;
  payload: { text?: string; blocks?: unknown[]; [key: string]: unknown };
  /** Teams and signed webhooks: the host the request was sent to. */
  host?: string;
  /**
   * Google Chat: the thread key the message was posted in; null when it started a new thread
   * (no threadKey, or one sent without messageReplyOption).
   */
  threadKey?: string | null;
  /** Google Chat: the space and the thread's resource name, as Chat answered them. */
  space?: string;
  thread?: string;
  /** Google Chat: why a thread key was ignored. */
  note?: string;
}

export interface ServiceMessages {
  messages: ReceivedMessage[];
  failed: number;
}

export type AllMessages = Record<ReceiverService, ServiceMessages>;

export interface SlackFault {
  status: number;
  count?: number;
  /** Seconds, sent as the Retry-After header (Slack sends it with 429). */
  retryAfter?: number;
  /** Which service answers with the fault (Slack unless told); others are untouched. */
  service?: ReceiverService;
}

/** A webhook stand-in on 127.0.0.1 (Slack, Google Chat, Teams, signed webhooks), on its own thread. */
export interface SlackReceiver {
  /**
   * http://127.0.0.1:PORT: where the runtime sends https://hooks.slack.com/…,
   * https://chat.googleapis.com/…, Teams Workflows and Jira/ServiceNow requests.
   */
  readonly baseUrl: string;
  /** What one service received (Slack unless told). */
  messages(service?: ReceiverService): Promise<ServiceMessages>;
  /** Every service's messages, for persisting. */
  all(): Promise<AllMessages>;
  /** The next `count` posts to `fault.service` are answered with `status` (fault injection). */
  fail(fault: SlackFault): Promise<void>;
  /** Empties every service and drops queued faults. */
  reset(): Promise<void>;
  /** Replaces everything: the Slack-only shape ({messages, failed}) or {slack, chat, teams, hooks}. */
  load(state: ServiceMessages | Partial<AllMessages>): Promise<void>;
  stop(): Promise<void>;
}

export async function startSlackReceiver(port = 0): Promise<SlackReceiver> {
  const worker = new Worker(join(__dirname, 'receiver-worker.mjs'), { workerData: { port } });
  worker.unref();
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const ready = new Promise<{ port: number }>((resolve, reject) => {
    pending.set(0, resolve as (r: unknown) => void);
    worker.once('error', reject);
  });
  worker.on('message', ({ id, result }: { id: number; result: unknown }) => {
    pending.get(id)?.(result);
    pending.delete(id);
  });
  const send = <T>(type: string, args: unknown = {}): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (r: unknown) => void);
      worker.postMessage({ id, type, args });
    });
  const { port: bound } = await ready;
  const known = (service: ReceiverService) => {
    if (!RECEIVER_SERVICES.includes(service))
      throw new Error(`Unknown receiver service "${String(service)}"`);
    return service;
  };
  return {
    baseUrl: `http://127.0.0.1:${bound}`,
    messages: async (service = 'slack') => send('messages', { service: known(service) }),
    all: () => send('all'),
    fail: async (fault) => send('fail', { ...fault, service: known(fault.service ?? 'slack') }),
    reset: () => send('reset'),
    load: (state) => send('load', state),
    stop: async () => {
      await send('stop');
      await worker.terminate();
    },
  };
}
