import { grpcServiceClient, type ServiceClient } from "../../support/grpc-client.js";

/** SessionManagement clients (@grpc/grpc-js over h2c with the test API key), shared by a run's workers. */
export interface GrpcClients {
  forWorker(worker: number): ServiceClient<"QuerySessions" | "RemoveSessions">;
  close(): void;
}

/**
 * One HTTP/2 connection per 8 workers (each client gets its own subchannel
 * pool, hence its own connection), as a pool of application instances
 * calling one server would have.
 */
export function grpcClients(port: number, concurrency: number): GrpcClients {
  const count = Math.max(1, Math.ceil(concurrency / 8));
  const clients = Array.from({ length: count }, () =>
    grpcServiceClient(port, "session_management.proto", "SessionManagement", ["QuerySessions", "RemoveSessions"], {
      channelOptions: { "grpc.use_local_subchannel_pool": 1 },
    }),
  );
  return {
    forWorker: (worker) => clients[worker % count]!,
    close: () => clients.forEach((c) => c.close()),
  };
}
