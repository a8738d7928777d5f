/** Runs `npm run init` in-process on a temp project directory, with its streams captured. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PassThrough } from "stream";
import { main } from "../../../tools/cli/init";
import { REPO_ROOT } from "../../../tools/conformance/run";

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** A project directory holding a copy of this repository's Pulumi.yaml, or one whose project is named `name`. */
export function projectDir(name?: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-init-"));
  const text = fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8");
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), name ? text.replace(/^name: .*$/m, `name: ${name}`) : text);
  return dir;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (d) => (text += String(d)));
  return { stream, text: () => text };
}

/** init with these flags and no terminal (stdin ends at once): nothing can be asked. */
export async function runInit(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const stdin = new PassThrough();
  stdin.end();
  return runWith(argv, stdin, env);
}

/** init on a fake terminal: every line is piped in at once, as a founder typing ahead would. */
export async function runInteractive(argv: string[], lines: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  stdin.end(lines.map((l) => `${l}\n`).join(""));
  return runWith(argv, stdin, env);
}

async function runWith(argv: string[], stdin: PassThrough & { isTTY?: boolean }, env: NodeJS.ProcessEnv): Promise<Run> {
  const out = sink();
  const err = sink();
  const code = await main(argv, { stdin, stdout: out.stream, stderr: err.stream, env });
  return { code, out: out.text(), err: err.text() };
}

/** The `pulumi config set --secret` commands init printed, in order. */
export function secretCommandsIn(out: string): string[] {
  return out
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("pulumi config set --secret"));
}
