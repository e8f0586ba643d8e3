import net from "node:net";
import type { AddressInfo } from "node:net";

/** A TCP forwarder on loopback that can simulate its target going away and coming back. */
export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Breaks every open connection and refuses new ones (connection refused), as a crashed server would. */
  cut(): Promise<void>;
  /** Accepts and forwards connections again, on the same port (nothing to do if it does). */
  restore(): Promise<void>;
  /** Breaks (resets) every open connection, and goes on accepting new ones. */
  cutConnections(): void;
  /**
   * Stops forwarding without closing anything, as a network that drops every
   * packet would: bytes, closes and new connections wait until `heal`.
   */
  blackhole(): void;
  /** Delivers everything held since `blackhole`, in order, and forwards again. */
  heal(): void;
  /**
   * Once a chunk from a client matches, breaks that client's connection:
   * "before" the chunk reaches the target (it is lost), or "after" the
   * target answered it (the answer is lost). Resolves when the chunk is seen.
   */
  cutOn(matches: (chunk: Buffer) => boolean, when: "before" | "after"): Promise<void>;
  /** Once a chunk from a client matches, blackholes everything, that chunk included. Resolves when it is seen. */
  blackholeOn(matches: (chunk: Buffer) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Starts forwarding 127.0.0.1:<free port> to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let accepted = 0;
  let holding = false;
  const held: Array<() => void> = [];
  // Forwarding actions run now, or in order at heal time while blackholed.
  const act = (action: () => void) => (holding ? held.push(action) : action());
  let trigger: { matches: (chunk: Buffer) => boolean; when: "before" | "after" | "blackhole"; done: () => void } | undefined;

  const server = net.createServer((client) => {
    accepted++;
    let upstream: net.Socket | undefined;
    // Set once the matching chunk went through: its answer is not delivered.
    let cutOnReply = false;
    const track = (socket: net.Socket) => {
      open.add(socket);
      socket.once("close", () => open.delete(socket));
      // A reset on one side ends the other; the error itself is expected during an outage.
      socket.on("error", () => undefined);
    };
    const breakPair = () => {
      client.resetAndDestroy();
      upstream?.resetAndDestroy();
    };
    track(client);
    act(() => {
      if (client.destroyed && client.readableEnded) return;
      upstream = net.connect({ host, port });
      track(upstream);
      upstream.on("data", (chunk: Buffer) =>
        act(() => {
          if (cutOnReply) return breakPair();
          if (!client.destroyed) client.write(chunk);
        }),
      );
      upstream.once("close", () => act(() => client.destroy()));
    });
    client.on("data", (chunk: Buffer) => {
      const armed = trigger !== undefined && trigger.matches(chunk) ? trigger : undefined;
      if (armed !== undefined) {
        trigger = undefined;
        if (armed.when === "before") breakPair();
        else if (armed.when === "blackhole") {
          holding = true;
          act(() => upstream?.write(chunk));
        } else {
          cutOnReply = true;
          act(() => upstream?.write(chunk));
        }
        armed.done();
        return;
      }
      act(() => upstream?.destroyed || upstream?.write(chunk));
    });
    client.once("close", () => act(() => upstream?.destroy()));
  });
  const listen = (onPort: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(onPort, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  const stop = async () => {
    const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
    for (const socket of open) socket.destroy();
    await closed;
  };
  await listen(0);
  const proxyPort = (server.address() as AddressInfo).port;
  return {
    port: proxyPort,
    get accepted() {
      return accepted;
    },
    cut: stop,
    restore: async () => {
      if (!server.listening) await listen(proxyPort);
    },
    cutConnections: () => {
      for (const socket of open) socket.resetAndDestroy();
    },
    blackhole: () => {
      holding = true;
    },
    heal: () => {
      holding = false;
      for (const action of held.splice(0)) action();
    },
    cutOn: (matches, when) => new Promise<void>((resolve) => (trigger = { matches, when, done: resolve })),
    blackholeOn: (matches) => new Promise<void>((resolve) => (trigger = { matches, when: "blackhole", done: resolve })),
    close: async () => {
      holding = false;
      held.length = 0;
      await stop();
    },
  };
}
