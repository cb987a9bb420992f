/**
 * The extension host's handle on the service: a worker thread running
 * dist/netsim-worker.js when that bundle exists (the editor never waits on a
 * parse), otherwise the same service in this thread. Requests are answered in
 * order; a caller that only wants the newest answer compares generations itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { NetsimService } from './netsim-service';
import type { Method, Methods, ResponseMessage } from './protocol';

function workerProblem(workerFile: string, hostFile: string | undefined): string | undefined {
  try {
    const w = fs.statSync(workerFile).mtimeMs;
    if (hostFile && fs.existsSync(hostFile) && fs.statSync(hostFile).mtimeMs > w + 60_000) return 'older than the extension bundle';
    return undefined;
  } catch {
    return 'not built';
  }
}

/** Sends requests to the service. */
export class ServiceClient {
  private worker: Worker | undefined;
  private local: NetsimService | undefined;
  private next = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  /**
   * `workerFile`: the worker bundle; when absent, older than `hostFile` (the extension bundle, rebuilt
   * without it: the two would speak different versions of the protocol), or `inProcess`, the service
   * runs in this thread.
   */
  constructor(workerFile: string, private readonly log: (m: string) => void, inProcess = false, hostFile?: string) {
    const why = inProcess ? 'in-process mode requested' : workerProblem(workerFile, hostFile);
    if (!why) this.start(workerFile);
    else {
      log(`${path.basename(workerFile)}: ${why}; parsing in the extension host`);
      this.local = new NetsimService(log);
    }
  }

  /** Whether a worker thread does the work. */
  get threaded(): boolean {
    return this.worker !== undefined;
  }

  private start(file: string): void {
    const w = new Worker(file);
    w.on('message', (m: ResponseMessage | { log: string }) => {
      if ('log' in m) { this.log(m.log); return; }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('error' in m) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    w.on('error', (e) => this.log(`service worker failed: ${e.stack ?? e.message}`));
    w.on('exit', (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`service worker exited (${code})`));
      this.pending.clear();
      // A crashed worker must not take the features with it: continue in this thread.
      this.log(`service worker exited (${code}); continuing in the extension host`);
      this.local = new NetsimService(this.log);
    });
    this.worker = w;
  }

  /** Sends one request. */
  request<M extends Method>(method: M, params: Methods[M]['params']): Promise<Methods[M]['result']> {
    if (this.worker) {
      const id = this.next++;
      const w = this.worker;
      return new Promise((resolve, reject) => {
        this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        w.postMessage({ id, method, params });
      });
    }
    try {
      return Promise.resolve(this.local!.handle(method, params));
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  /** Stops the worker. */
  dispose(): void {
    const w = this.worker;
    this.worker = undefined;
    void w?.terminate();
  }
}
