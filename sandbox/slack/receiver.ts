import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface ReceivedMessage {
  receivedAt: string;
  /** On the sandbox runtime's clock. */
  sentAt: string;
  path: string;
  contentType: string;
  payload: { text?: string; blocks?: unknown[]; [key: string]: unknown };
}

export interface SlackFault {
  status: number;
  count?: number;
  /** Seconds, sent as the Retry-After header (Slack sends it with 429). */
  retryAfter?: number;
}

/** A Slack incoming-webhook stand-in on 127.0.0.1, answering on its own thread. */
export interface SlackReceiver {
  /** http://127.0.0.1:PORT: where the runtime sends https://hooks.slack.com/… requests. */
  readonly baseUrl: string;
  messages(): Promise<{ messages: ReceivedMessage[]; failed: number }>;
  /** The next `count` posts are answered with `status` (fault injection). */
  fail(fault: SlackFault): Promise<void>;
  reset(): Promise<void>;
  load(state: { messages: ReceivedMessage[]; failed: number }): Promise<void>;
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
  return {
    baseUrl: `http://127.0.0.1:${bound}`,
    messages: () => send('messages'),
    fail: (fault) => send('fail', fault),
    reset: () => send('reset'),
    load: (state) => send('load', state),
    stop: async () => {
      await send('stop');
      await worker.terminate();
    },
  };
}
