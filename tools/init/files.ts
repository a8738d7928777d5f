/**
 * The files `npm run init` reads and writes in the project directory: Pulumi.yaml (whose `name` is
 * the config namespace), the stack files already there, and the new stack file, never overwritten
 * without --force.
 */
import * as fs from "fs";
import * as path from "path";
import { projectName as readProjectName, readStackFile } from "../offline/stack-config";
import type { RawConfig } from "../../lib/init/stack";

export class InitFileError extends Error {}

/** The project's name from Pulumi.yaml (the one reader, tools/offline/stack-config.ts): every config key of the program is `<name>:<key>`. */
export function projectName(dir: string): string {
  if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) throw new InitFileError(`no Pulumi.yaml in ${dir}: run init in the project's directory, or pass --dir`);
  try {
    return readProjectName(dir);
  } catch (err) {
    throw new InitFileError((err as Error).message, { cause: err });
  }
}

export const stackFilePath = (dir: string, stack: string) => path.join(dir, `Pulumi.${stack}.yaml`);

/** The program's own keys of a stack file (namespace removed), as validateStackConfig takes them. */
export function stackConfigOf(dir: string, stack: string, namespace: string): RawConfig {
  const config = readStackFile(stack, dir).config ?? {};
  return Object.fromEntries(Object.entries(config).flatMap(([k, v]) => (k.startsWith(`${namespace}:`) ? [[k.slice(namespace.length + 1), v]] : [])));
}

/** The stacks in `dir` whose files say `environment: production`. */
export function productionStacks(dir: string, namespace: string): string[] {
  return fs
    .readdirSync(dir)
    .flatMap((f) => {
      const m = /^Pulumi\.([^.]+)\.yaml$/.exec(f);
      return m ? [m[1]] : [];
    })
    .filter((stack) => {
      try {
        return stackConfigOf(dir, stack, namespace).environment === "production";
      } catch {
        return false; // an unreadable stack file is not one to start from
      }
    });
}

/** Writes the stack file; without `force` an existing one is left as it is (and the write refused even if it appeared meanwhile). */
export function writeStackFile(file: string, text: string, force: boolean): void {
  try {
    fs.writeFileSync(file, text, { flag: force ? "w" : "wx" });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST")
      throw new InitFileError(`${path.basename(file)} already exists: nothing was written. Pass --force to replace it`);
    throw err;
  }
}
