/** See src/cli/start-command.ts: tests start the server exactly as `npm start` does. */
export { startCommandArgs } from "../../src/cli/start-command.js";
