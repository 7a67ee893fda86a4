// The loop the webhook dispatcher and the escalation worker share: claim a
// batch, handle it, and again while batches come back full; run when woken
// (right after a commit that queued work) and every pollMs otherwise, never
// two runs at once (a wake during a run asks for one more pass), and stop
// cleanly, waiting for the run in progress.
export interface Poller {
  /** Runs now, or once more after the run in progress. */
  wake(): void;
  /** Resolves when everything claimable when called has been handled. */
  drain(): Promise<void>;
  /** Stops polling and waits for the run in progress. */
  close(): Promise<void>;
}

export interface PollerOptions<T> {
  pollMs: number;
  batchSize: number;
  /** Claims up to batchSize items. */
  claim: () => Promise<T[]>;
  /** Handles a claimed batch. */
  handle: (batch: T[]) => Promise<void>;
  /** After each run's last batch (housekeeping). */
  afterRun?: () => Promise<void>;
  /** How a run is started (e.g. outside the request's statement counting). */
  wrap?: (run: () => Promise<void>) => Promise<void>;
  /** A run that threw: logged by the caller; the next tick tries again. */
  onError: (error: unknown) => void;
}

export function startPoller<T>(options: PollerOptions<T>): Poller {
  const { pollMs, batchSize, claim, handle, afterRun, onError } = options;
  const wrap = options.wrap ?? ((run) => run());
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function run(): Promise<void> {
    do {
      again = false;
      let batch: T[];
      do {
        batch = await claim();
        if (batch.length > 0) await handle(batch);
      } while (batch.length === batchSize && !closed);
    } while (again && !closed);
    await afterRun?.();
  }

  function tick(): Promise<void> {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = wrap(run)
      .catch(onError)
      .finally(() => {
        running = null;
      });
    return running;
  }

  const timer = setInterval(() => void tick(), pollMs);
  timer.unref();
  return {
    wake: () => void tick(),
    drain: async () => {
      await tick();
      // A run already going when asked may have claimed before the newest rows committed.
      await tick();
    },
    close: async () => {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
