/**
 * sessionctl, the operators' command line for the session management
 * server: `npm run sessionctl -- sessions list`, or `npx sessionctl …`.
 */
import { exitQuietlyOnBrokenPipe } from "./sessionctl/broken-pipe.js";
import { main } from "./sessionctl/main.js";

exitQuietlyOnBrokenPipe([process.stdout, process.stderr]);
process.exitCode = await main(process.argv.slice(2));
