/**
 * npm run plan [-- --stack NAME] [--dir DIR] [--program path/to/index.ts] [--zone-plan <plan>]
 *                 [--json] [--no-policy] [--policy-config <file>] [--stack-traces]
 *                 [--state <pulumi stack export file> [--allow-delete <name>]...]
 *
 * Which stack file: tools/offline/stack-files.ts (Pulumi.NAME.yaml at the root or in --dir; with no
 * --stack, the one there, or with none at the root the AcmeChat example in examples/acmechat).
 *
 * Evaluates a Pulumi program (this repository's index.ts by default) offline under the
 * Pulumi SDK's mocks, prints every resource it would declare, checks them against what
 * the real providers and engine would refuse (the conformance stage), then has the policy
 * pack judge them through its real analyzer server (tools/policy/analyzer.ts), as
 * `pulumi preview --policy-pack policies` does. With --state, the plan's first lines are what it would do to the
 * deployed stack (tools/offline/state-diff.ts), and a guarded delete or replace exits 1. Exit codes: 0 fine, 1 a config error, a conformance error or a
 * mandatory policy violation, 2 bad usage.
 */
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { isLimitTier, LIMIT_TIERS } from "../../lib/provider-facts/limit-tiers";
import type { PolicyConfigInput } from "../policy/config";
import { chooseStack, StackChoiceError } from "../offline/stack-files";
import { REPO } from "../repo";

// Only light modules load up front: the policy pack's server is started before the program,
// the conformance stage and the renderers are loaded, so its boot overlaps theirs.

const USAGE =
  "usage: npm run plan -- [--stack <name>] [--dir <dir>] [--program <path/to/index.ts>] [--zone-plan free|pro|business|enterprise|enterprise_arl]\n" +
  "                       [--json] [--no-policy] [--policy-config <file.json>] [--stack-traces]\n" +
  "                       [--state <file from pulumi stack export> [--allow-delete <resource name>]...]";

class UsageError extends Error {}

function readArgs(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        stack: { type: "string", short: "s" },
        dir: { type: "string" },
        program: { type: "string" },
        "zone-plan": { type: "string" },
        json: { type: "boolean", default: false },
        "no-policy": { type: "boolean", default: false },
        "policy-config": { type: "string" },
        "stack-traces": { type: "boolean", default: false },
        state: { type: "string" },
        "allow-delete": { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.stack !== undefined && !/^[A-Za-z0-9_.-]+$/.test(values.stack)) throw new UsageError("--stack needs a stack name");
  const zonePlan = values["zone-plan"];
  if (zonePlan !== undefined && !isLimitTier(zonePlan)) throw new UsageError(`--zone-plan must be one of ${LIMIT_TIERS.join(", ")} (got "${zonePlan}")`);
  if (values["allow-delete"].length && values.state === undefined)
    throw new UsageError("--allow-delete needs --state (the deployed state it allows a delete from)");
  if (values.program !== undefined && !fs.existsSync(values.program)) throw new UsageError(`--program ${values.program}: no such file`);
  return { ...values, zonePlan };
}

/** Starts the pack's analyzer server with the stack's config, as the CLI would, without waiting for it. */
async function startAnalyzer(stack: string, program: string | undefined, dir: string) {
  const { launchAnalyzer, PACK_DIR, packInstalledProblem } = await import("../policy/launch");
  const missing = packInstalledProblem(PACK_DIR);
  if (missing) throw new Error(missing);
  const { stackConfigFor } = await import("../offline/stack-config");
  const { project, config } = stackConfigFor(stack, { program, dir });
  const starting = launchAnalyzer({ packDir: PACK_DIR, stack, project, stackConfig: config });
  starting.catch(() => undefined); // reported when awaited
  return { starting };
}

function readPolicyConfig(file: string): PolicyConfigInput {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`--policy-config ${file}: ${(err as Error).message}`, { cause: err });
  }
}

async function plan(args: ReturnType<typeof readArgs>): Promise<number> {
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const program = args.program ? path.resolve(args.program) : undefined;
  const policy = !args["no-policy"];
  const { stack, dir, note } = chooseStack({ stack: args.stack, dir: args.dir, program });
  if (note) console.error(note);
  // A state file that is not an export stops the plan before anything starts.
  const deployed = args.state ? (await import("../offline/state-diff")).readStateFile(args.state) : undefined;
  // The analyzer server starts (about 0.8 s) while the program is evaluated.
  const analyzer = policy ? (await startAnalyzer(stack, program, dir)).starting : undefined;
  const { planStack } = await import("../offline/plan");
  const { planJson, renderPlan } = await import("../offline/render");
  const { formatConformance } = await import("../../lib/conformance");
  const { conformanceOf } = await import("../conformance/run");
  let plan;
  try {
    plan = await planStack(stack, { stackTraces: args["stack-traces"], program, dir });
  } catch (err) {
    analyzer?.then(
      (a) => a.child.kill(),
      () => undefined,
    );
    throw err;
  }
  const conformance = conformanceOf({
    resources: plan.resources,
    config: plan.config,
    project: plan.project,
    programDir: program ? path.dirname(program) : REPO,
    zonePlan: args.zonePlan,
  });
  const conforms = conformance.findings.length === 0;
  const stateDiff = args.state && deployed ? (await import("../offline/state-diff")).stateDiffOf(plan, args.state, deployed, args["allow-delete"]) : undefined;
  let verdicts: import("../policy/config").PolicyVerdict[] = [];
  let failed = false;
  if (policy) {
    const { judgeWithAnalyzer, PACK_DIR } = await import("../policy/analyzer");
    const { hasMandatoryViolation } = await import("../policy/offline");
    verdicts = await judgeWithAnalyzer(
      plan.resources,
      {
        packDir: PACK_DIR,
        stack: plan.stack,
        project: plan.project,
        stackConfig: plan.config,
        policyConfig: args["policy-config"] ? readPolicyConfig(args["policy-config"]) : {},
      },
      analyzer,
    );
    failed = hasMandatoryViolation(verdicts);
  }
  if (args.json) {
    const stateJson = stateDiff ? { stateDiff: (await import("../offline/state-diff")).stateDiffJson(stateDiff) } : {};
    console.log(
      planJson(plan, { ...stateJson, conformance: { passed: conforms, ...conformance }, ...(policy ? { policy: { verdicts, passed: !failed } } : {}) }),
    );
  } else {
    if (stateDiff) console.log((await import("../offline/state-diff")).renderStateDiff(stateDiff));
    console.log(renderPlan(plan));
    console.log(formatConformance(conformance));
    if (!conforms) console.log("`pulumi preview` or `pulumi up` would fail on the error(s) above: fix them first.");
    if (policy) {
      const { formatVerdicts } = await import("../policy/offline");
      console.log("");
      console.log(formatVerdicts(verdicts));
      console.log(
        failed
          ? "\nPolicy verdict: FAILED (a mandatory policy is violated; `pulumi up` would be refused)."
          : "\nPolicy verdict: passed (no mandatory violation).",
      );
    }
  }
  return failed || !conforms || stateDiff?.findings.length ? 1 : 0;
}

/**
 * Runs `plan` with these arguments; resolves to the exit code. With --json, stdout is JSON
 * whatever happens once the arguments parse: the plan, or `{ error }` with every config problem.
 */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let args;
  try {
    args = readArgs([...argv]);
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    return await plan(args);
  } catch (err) {
    if (err instanceof StackChoiceError && err.usage) {
      console.error(`${err.message}\n${USAGE}`);
      return 2;
    }
    // Config errors carry their full list of problems in the message.
    console.error(`error: ${(err as Error).message}`);
    if (args["stack-traces"] && (err as Error).stack) console.error((err as Error).stack);
    if (args.json) console.log(JSON.stringify({ stack: args.stack, error: failureJson(err) }, null, 2));
    return 1;
  }
}

/** A failed plan for --json: the message, and each config problem as { key, message } when the stack config is what is wrong. */
function failureJson(err: unknown): { kind: "config" | "plan"; message: string; problems?: Array<{ key: string; message: string }> } {
  // The program's ConfigError reaches here as the pulumi.RunError it became (components/stack-config.ts), its cause.
  for (let e = err as (Error & { issues?: unknown }) | undefined; e; e = e.cause as typeof e) {
    if (e.name === "ConfigError" && Array.isArray(e.issues)) {
      const problems = (e.issues as Array<{ key: string; message: string }>).map(({ key, message }) => ({ key, message }));
      return { kind: "config", message: e.message, problems };
    }
  }
  return { kind: "plan", message: (err as Error)?.message ?? String(err) };
}

if (require.main === module) {
  main().then((code) => {
    // exitCode, not exit(): piped output (--json) must be flushed whole.
    process.exitCode = code;
  });
}
