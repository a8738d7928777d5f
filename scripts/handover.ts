/**
 * npm run handover -- --stack prod            (offline plan of Pulumi.prod.yaml)
 * npm run handover -- --outputs outputs.json  (pulumi stack output --json)
 * npm run handover -- --map domain-map.json   (a DomainMap JSON)
 * Options: --out FILE, --date YYYY-MM-DD, --stack-file FILE, --help. Writes to stdout unless --out.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import type { DomainMap } from "../lib/domain-map";
import { loadDomainMap, renderHandover, secretKeysFromStackFile } from "../lib/handover";
import type { SecretKeyIndex } from "../lib/handover/secrets";

/** Where Pulumi.<stack>.yaml lives: the repository root. */
export const REPO_ROOT = path.resolve(__dirname, "..");

export const HELP = `Usage: npm run handover -- <source> [--out FILE] [--date YYYY-MM-DD]

Writes the launch handover (Markdown) for one stack: what points where, email
records, env var names and where each secret is stored (never values), monitors
and alert recipients, secret rotation, redeploy and rollback, known limits.

Source (exactly one):
  --stack NAME       evaluate Pulumi.NAME.yaml offline (no credentials needed), e.g. prod, staging
  --outputs FILE     JSON from: pulumi stack output --json --stack NAME > FILE  (uses its domainMap)
  --map FILE         a domain map JSON (pulumi stack output domainMap --json --stack NAME > FILE)

Options:
  --out FILE         write the document to FILE (e.g. HANDOVER-prod.md) instead of stdout
  --date YYYY-MM-DD  print "Generated on <date>"; without it the output has no date, so it is reproducible
  --stack-file FILE  where to read the secret config key names (default: Pulumi.<stack>.yaml in the
                     repository root, when it exists); only key names are read, never values
  -h, --help         show this help

Examples:
  npm run handover -- --stack prod --out HANDOVER-prod.md
  npm run handover -- --stack staging
`;

export interface HandoverArgs {
  stack?: string;
  outputs?: string;
  map?: string;
  out?: string;
  date?: string;
  "stack-file"?: string;
  help: boolean;
}

const VALUE_FLAGS = new Set(["--stack", "--outputs", "--map", "--out", "--date", "--stack-file"]);

/** Parses argv; throws a usage error naming what is wrong. */
export function parseArgs(argv: readonly string[]): HandoverArgs {
  const args: HandoverArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (flag === "-h" || flag === "--help") {
      args.help = true;
      continue;
    }
    if (!VALUE_FLAGS.has(flag)) throw new Error(`unknown option ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value`);
    (args as unknown as Record<string, string>)[flag.slice(2)] = value;
  }
  if (args.help) return args;
  const sources = [args.stack, args.outputs, args.map].filter((s) => s !== undefined);
  if (sources.length !== 1) throw new Error("give exactly one of --stack, --outputs or --map");
  if (args.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(args.date)) throw new Error(`--date must be YYYY-MM-DD, got "${args.date}"`);
  return args;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
}

/** The offline plan is loaded lazily: it pulls in the Pulumi SDK, which --map does not need. */
async function planDomainMap(stack: string): Promise<DomainMap> {
  const planModule = path.join(__dirname, "..", "lib", "offline", "plan");
  const { planStack } = (await import(planModule)) as { planStack?: (s: string) => Promise<{ domainMap: DomainMap }> };
  if (typeof planStack !== "function") throw new Error("lib/offline/plan.ts does not export planStack yet: use --outputs or --map");
  return loadDomainMap((await planStack(stack)).domainMap, `the offline plan of stack ${stack}`);
}

/**
 * Secret config key names from Pulumi.<stack>.yaml, when the file is there; the
 * domain map names env vars but not the keys feeding them. Values are not read.
 */
export function stackFileSecretKeys(stack: string, explicitFile?: string): SecretKeyIndex {
  const file = explicitFile ?? path.join(REPO_ROOT, `Pulumi.${stack}.yaml`);
  if (explicitFile === undefined && !fs.existsSync(file)) return {};
  try {
    return secretKeysFromStackFile(yaml.load(fs.readFileSync(file, "utf8")));
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
}

export async function domainMapFor(args: HandoverArgs): Promise<DomainMap> {
  if (args.stack !== undefined) return planDomainMap(args.stack);
  const file = (args.outputs ?? args.map) as string;
  return loadDomainMap(readJson(file), file);
}

/** Runs the CLI; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  let args: HandoverArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    err.write(`handover: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (args.help) {
    out.write(HELP);
    return 0;
  }
  try {
    const map = await domainMapFor(args);
    const doc = renderHandover(map, { date: args.date, secretKeys: stackFileSecretKeys(map.stack, args["stack-file"]) });
    if (args.out) {
      fs.writeFileSync(args.out, doc);
      err.write(`handover: wrote ${args.out}\n`);
    } else {
      out.write(doc);
    }
    return 0;
  } catch (e) {
    err.write(`handover: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
