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
  close(): Promise<void>;
}

/** Starts forwarding 127.0.0.1:<free port> to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer((client) => {
    accepted++;
    const upstream = net.connect({ host, port });
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.once("close", () => open.delete(socket));
      // A reset on one side ends the other; the error itself is expected during an outage.
      socket.on("error", () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
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
    close: stop,
  };
}
