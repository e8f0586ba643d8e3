/**
 * The benchmark suite: QuerySessions and RemoveSessions scenarios through a
 * real server process and a @grpc/grpc-js client, at fixed concurrency for a
 * fixed time, on MariaDB datasets of demo sessions, next to two baselines
 * run on the same data in the same run: the floor (the service's own SQL,
 * issued directly) and Duende IdentityServer's query strategy.
 *
 *   npm run bench -- [--sizes 100k,1m] [--concurrency 1,8,32] [--duration 10] [--quick]
 *
 * Prints a Markdown table and writes a JSON report to test/bench/results/.
 * Asserts nothing about timings. See test/bench/suite/ and --help.
 */
import { main } from "./suite/main.js";

process.exitCode = await main(process.argv.slice(2));
