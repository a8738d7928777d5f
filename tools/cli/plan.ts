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
import { isTier, TIERS } from "../../lib/provider-facts/tiers";
import { chooseStack, StackChoiceError } from "../offline/stack-files";
import { configProblemsOf } from "../offline/run";
import { FOLD_AT } from "../offline/summary";
import { UsageError } from "../usage-error";
import { processIo, type CliIo } from "../cli-io";

// Only light modules load up front: the policy pack's server is started before the program,
// the conformance stage and the renderers are loaded, so its boot overlaps theirs.

const USAGE =
  "usage: npm run plan -- [--stack <name>] [--dir <dir>] [--program <path/to/index.ts>] [--zone-plan free|pro|business|enterprise|enterprise_arl]\n" +
  "                       [--json] [--no-policy] [--policy-config <file.json>] [--stack-traces]\n" +
  "                       [--state <file from pulumi stack export> [--allow-delete <resource name>]...]";

const HELP = `${USAGE}

The offline plan: the program under the Pulumi SDK's mocks, the conformance stage (what the
providers and the engine would refuse) and the policy pack's real analyzer. No CLI, no
credentials, nothing changed. The first lines are the summary: what it would create or import
(or, with --state, change in the deployed stack), the verdict and the top findings.

  --stack, -s NAME      the stack file Pulumi.NAME.yaml (at the root, or in --dir)
  --dir DIR             where the stack files are (default: the repository root; with none
                        there, the AcmeChat example in examples/acmechat)
  --program FILE        a Pulumi program other than this repository's index.ts
  --zone-plan PLAN      judge the rules against another Cloudflare plan than zone.plan says
  --json                the whole plan as JSON (resources with secrets redacted, outputs,
                        conformance, policy verdicts, the state diff); errors as { error }
  --verbose             print every resource property whole (long rule expressions are
                        folded at ${FOLD_AT} characters otherwise)
  --no-policy           skip the policy pack
  --policy-config FILE  policy config (JSON), as pulumi preview --policy-pack-config takes it
  --stack-traces        keep full stack traces while the program runs (slower)
  --state FILE          diff against the deployed stack: the JSON \`pulumi stack export\` writes
  --allow-delete NAME   with --state: allow this guarded delete or replace (repeatable)
  --help, -h            this text

Exit codes: 0 the stack meets the bar, 1 a config error, a conformance error, a mandatory
policy violation or a guarded delete, 2 bad usage.`;

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
        verbose: { type: "boolean", default: false },
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
  const tier = values["zone-plan"];
  if (tier !== undefined && !isTier(tier)) throw new UsageError(`--zone-plan must be one of ${TIERS.join(", ")} (got "${tier}")`);
  if (values["allow-delete"].length && values.state === undefined)
    throw new UsageError("--allow-delete needs --state (the deployed state it allows a delete from)");
  if (values.program !== undefined && !fs.existsSync(values.program)) throw new UsageError(`--program ${values.program}: no such file`);
  return { ...values, tier };
}

async function plan(args: ReturnType<typeof readArgs>, io: CliIo): Promise<number> {
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  const program = args.program ? path.resolve(args.program) : undefined;
  const { stack, dir, note } = chooseStack({ stack: args.stack, dir: args.dir, program });
  if (note) io.err(note);
  const { runOffline } = await import("../offline/run");
  const run = await runOffline({
    stack,
    dir,
    program,
    tier: args.tier,
    policy: !args["no-policy"],
    policyConfigFile: args["policy-config"],
    state: args.state,
    allowDelete: args["allow-delete"],
    stackTraces: args["stack-traces"],
  });
  const { planJson, renderPlan } = await import("../offline/render");
  const { blocksUp, renderSummary } = await import("../offline/summary");
  const { plan, conformance, verdicts, stateDiff } = run;
  const conforms = conformance.findings.length === 0;
  if (args.json) {
    const stateJson = stateDiff ? { stateDiff: (await import("../offline/state-diff")).stateDiffJson(stateDiff) } : {};
    io.out(
      planJson(plan, {
        ...stateJson,
        conformance: { passed: conforms, ...conformance },
        ...(run.policyRan ? { policy: { verdicts, passed: !run.policyFailed } } : {}),
      }),
    );
  } else {
    const { formatConformance } = await import("../../lib/conformance");
    io.out(renderSummary(run).join("\n"));
    if (stateDiff) io.out((await import("../offline/state-diff")).renderStateDiff(stateDiff));
    io.out(renderPlan(plan, { verbose: args.verbose }));
    io.out(formatConformance(conformance));
    if (!conforms) io.out("`pulumi preview` or `pulumi up` would fail on the error(s) above: fix them first.");
    if (run.policyRan) {
      const { formatVerdicts } = await import("../policy/offline");
      io.out("");
      io.out(formatVerdicts(verdicts));
      io.out(
        run.policyFailed
          ? "\nPolicy verdict: FAILED (a mandatory policy is violated; `pulumi up` would be refused)."
          : "\nPolicy verdict: passed (no mandatory violation).",
      );
    }
  }
  return blocksUp(run) ? 1 : 0;
}

/**
 * Runs `plan` with these arguments; resolves to the exit code. With --json, stdout is JSON
 * whatever happens once the arguments parse: the plan, or `{ error }` with every config problem.
 */
export async function main(argv: readonly string[] = process.argv.slice(2), io: CliIo = processIo): Promise<number> {
  let args;
  try {
    args = readArgs([...argv]);
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    return await plan(args, io);
  } catch (err) {
    if (err instanceof StackChoiceError && err.usage) {
      io.err(`${err.message}\n${USAGE}`);
      return 2;
    }
    // Config errors carry their full list of problems in the message.
    io.err(`error: ${(err as Error).message}`);
    if (args["stack-traces"] && (err as Error).stack) io.err((err as Error).stack!);
    if (args.json) io.out(JSON.stringify({ stack: args.stack, error: failureJson(err) }, null, 2));
    return 1;
  }
}

/** A failed plan for --json: the message, and each config problem as { key, message } when the stack config is what is wrong. */
function failureJson(err: unknown): { kind: "config" | "plan"; message: string; problems?: Array<{ key: string; message: string }> } {
  const problems = configProblemsOf(err);
  if (problems) return { kind: "config", message: (err as Error).message, problems };
  return { kind: "plan", message: (err as Error)?.message ?? String(err) };
}

if (require.main === module) {
  main().then((code) => {
    // exitCode, not exit(): piped output (--json) must be flushed whole.
    process.exitCode = code;
  });
}
