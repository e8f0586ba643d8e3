/** Limits on deliveries held in memory. */
export interface DeliveryQueueLimits {
  /** Attempts in flight at once, in all. */
  concurrency: number;
  /** Attempts in flight at once to one destination. */
  perDestination: number;
}

/** A claimed delivery ready to start, and where it goes. */
export interface Startable<T> {
  destination: string;
  item: T;
}

/**
 * Claimed deliveries waiting for a connection slot, per destination. At most
 * `perDestination` run at once per destination and `concurrency` in all;
 * destinations take turns, so one with thousands of rows never delays the
 * others. Each destination holds (runs or queues) at most `backlogFactor`
 * times its share: a destination that reaches that is full until it drains
 * back to one share, so claims skip its rows in between instead of claiming
 * and giving them back one by one.
 */
export interface DeliveryQueue<T> {
  /** Whether rows for this destination may be claimed and added. */
  accepts(destination: string): boolean;
  add(destination: string, item: T): void;
  /** Takes the deliveries that may start now and counts them as in flight. */
  takeStartable(): Startable<T>[];
  /** Ends an in-flight delivery; true when that made a full destination accept rows again. */
  finish(destination: string): boolean;
  /** Deliveries held, running or queued. */
  held(): number;
  /** Destinations that accept no rows at the moment. */
  full(): ReadonlySet<string>;
  /** Removes and returns every queued (not running) delivery. */
  drain(): T[];
}

/** Rows one destination may hold, in multiples of its concurrency. */
export const backlogFactor = 3;

/** An empty queue. */
export function createDeliveryQueue<T>(limits: DeliveryQueueLimits): DeliveryQueue<T> {
  const destinations = new Map<string, { queue: T[]; running: number }>();
  const full = new Set<string>();
  const capacity = limits.perDestination * backlogFactor;
  let running = 0;
  let queued = 0;
  const heldBy = (destination: string) => {
    const state = destinations.get(destination);
    return state === undefined ? 0 : state.running + state.queue.length;
  };

  return {
    accepts: (destination) => !full.has(destination),
    add(destination, item) {
      const state = destinations.get(destination) ?? { queue: [], running: 0 };
      destinations.set(destination, state);
      state.queue.push(item);
      queued++;
      if (heldBy(destination) >= capacity) full.add(destination);
    },
    takeStartable() {
      const started: Startable<T>[] = [];
      for (let progress = true; progress && running < limits.concurrency; ) {
        progress = false;
        for (const [destination, state] of [...destinations]) {
          if (running >= limits.concurrency) break;
          if (state.queue.length === 0 || state.running >= limits.perDestination) continue;
          // Served destinations go to the back of the line.
          destinations.delete(destination);
          destinations.set(destination, state);
          started.push({ destination, item: state.queue.shift()! });
          state.running++;
          running++;
          queued--;
          progress = true;
        }
      }
      return started;
    },
    finish(destination) {
      const state = destinations.get(destination);
      if (state === undefined || state.running === 0) throw new Error(`no delivery to ${destination} is running`);
      state.running--;
      running--;
      if (state.running === 0 && state.queue.length === 0) destinations.delete(destination);
      if (full.has(destination) && heldBy(destination) <= limits.perDestination) {
        full.delete(destination);
        return true;
      }
      return false;
    },
    held: () => running + queued,
    full: () => full,
    drain() {
      const items = [...destinations.values()].flatMap((state) => state.queue.splice(0));
      queued = 0;
      for (const [destination, state] of destinations) {
        if (state.running === 0) destinations.delete(destination);
        if (heldBy(destination) <= limits.perDestination) full.delete(destination);
      }
      return items;
    },
  };
}
