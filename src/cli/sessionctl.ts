/**
 * sessionctl, the operators' command line for the session management
 * server: `npm run sessionctl -- sessions list`, or `npx sessionctl …`.
 */
import { main } from "./sessionctl/main.js";

process.exitCode = await main(process.argv.slice(2));
