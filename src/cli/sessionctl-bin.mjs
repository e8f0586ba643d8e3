#!/usr/bin/env node
// The `sessionctl` executable: loads TypeScript through tsx, then runs the
// command line written in sessionctl.ts next to this file.
import { register } from "tsx/esm/api";

register();
await import(new URL("./sessionctl.ts", import.meta.url).href);
