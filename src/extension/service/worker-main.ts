/**
 * Entry of the service's worker thread (bundled to dist/netsim-worker.js):
 * answers requests one at a time, in order, and forwards log lines.
 */
import { parentPort } from 'node:worker_threads';
import { NetsimService } from './netsim-service';
import type { RequestMessage, ResponseMessage, Method } from './protocol';

const port = parentPort;
if (port) {
  const service = new NetsimService((m) => port.postMessage({ log: m }));
  port.on('message', (req: RequestMessage) => {
    let res: ResponseMessage;
    try {
      res = { id: req.id, result: service.handle(req.method as Method, req.params as never) };
    } catch (e) {
      res = { id: req.id, error: e instanceof Error ? e.stack ?? e.message : String(e) };
    }
    port.postMessage(res);
  });
}
