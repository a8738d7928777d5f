/** npm run build: compiles the program and tools into build/ for the launch-ready bin (tools/build.ts). */
import * as path from "path";
import { build } from "../build";

const b = build();
process.stderr.write(`built ${b.files} files to ${path.relative(process.cwd(), b.dir) || "."} in ${(b.ms / 1000).toFixed(1)} s\n`);
