/**
 * Where the command-line tools find a stack file. The repository root holds the founder's own
 * stack files (Pulumi.<stack>.yaml beside Pulumi.yaml, where the Pulumi CLI reads them); the
 * AcmeChat example lives apart in examples/acmechat, so a founder's files never meet it and no
 * test reads theirs. One rule for plan, verify, handover and adopt:
 * - `--stack NAME` reads Pulumi.NAME.yaml at the root, or in `--dir DIR`;
 * - no `--stack` (plan): the one stack file there; with none at the root, the example's prod
 *   stack, said in one line; several need `--stack`.
 * The example's stacks keep the names prod and staging and this repository's project
 * (Pulumi.yaml at the root), so their URNs are the ones they had at the root.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO } from "../repo";

/** The repository root, whether the tools run from their sources or compiled (tools/repo.ts). */
export const ROOT = REPO;
export const EXAMPLE_DIR = path.join(ROOT, "examples", "acmechat");
/** The stack planned when no stack is named and the root holds none. */
export const EXAMPLE_DEFAULT_STACK = "prod";

const STACK_FILE = /^Pulumi\.([^.]+)\.yaml$/;

/** A stack that cannot be chosen; `usage` when the command line must name it (exit 2 rather than 1). */
export class StackChoiceError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = "StackChoiceError";
  }
}

export function stackFilePath(stack: string, dir = ROOT): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** The stacks whose files are in `dir` (Pulumi.<name>.yaml), sorted. */
export function stackNamesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => STACK_FILE.exec(f)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

/** Where a message says a directory is: "at the repository root", "in" a path inside the repository or the path given. */
function where(dir: string): string {
  const rel = path.relative(ROOT, path.resolve(dir));
  if (rel === "") return "at the repository root";
  return `in ${rel.startsWith("..") || path.isAbsolute(rel) ? dir : rel}`;
}

const WRITE_ONE = "write one with `npm run init`";
const EXAMPLE_HINT = `the AcmeChat example's stacks are planned with --dir ${path.relative(ROOT, EXAMPLE_DIR)} --stack prod (or staging)`;

/** What a missing Pulumi.<stack>.yaml is told: the stack files that do exist there, and how to make one. */
export function missingStackMessage(stack: string, dir = ROOT): string {
  const names = stackNamesIn(dir);
  const there = names.length ? `stack files there: ${names.join(", ")}` : "no stack file there";
  const hint = path.resolve(dir) === EXAMPLE_DIR ? WRITE_ONE : `${WRITE_ONE}; ${EXAMPLE_HINT}`;
  return `no stack file Pulumi.${stack}.yaml ${where(dir)} (${there}): ${hint}`;
}

export interface StackChoice {
  stack: string;
  /** The directory whose Pulumi.<stack>.yaml is read. */
  dir: string;
  /** One line saying what was chosen when the user named nothing (the example), for stderr. */
  note?: string;
}

export interface StackRequest {
  stack?: string;
  dir?: string;
  /** Another program's entry (plan --program): its directory holds its stack files, and a missing one means an empty config. */
  program?: string;
}

/** The stack a command works on, by the rule above; throws a StackChoiceError saying what exists instead. */
export function chooseStack(request: StackRequest, root = ROOT): StackChoice {
  const dir = path.resolve(request.dir ?? (request.program ? path.dirname(request.program) : root));
  if (request.stack !== undefined) {
    if (!request.program && !fs.existsSync(stackFilePath(request.stack, dir))) throw new StackChoiceError(missingStackMessage(request.stack, dir));
    return { stack: request.stack, dir };
  }
  const names = stackNamesIn(dir);
  if (names.length === 1) return { stack: names[0], dir };
  if (names.length > 1) throw new StackChoiceError(`several stack files ${where(dir)} (${names.join(", ")}): name one with --stack`, true);
  if (request.program) return { stack: EXAMPLE_DEFAULT_STACK, dir };
  if (request.dir !== undefined) throw new StackChoiceError(`no stack file ${where(dir)}: ${WRITE_ONE}`);
  return {
    stack: EXAMPLE_DEFAULT_STACK,
    dir: EXAMPLE_DIR,
    note: `No stack file at the repository root: planning the AcmeChat example (${path.relative(ROOT, stackFilePath(EXAMPLE_DEFAULT_STACK, EXAMPLE_DIR))}); ${WRITE_ONE} for your own.`,
  };
}
