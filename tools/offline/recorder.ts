/**
 * Runs the real Pulumi program under the SDK's runtime mocks and records every
 * resource registration as the engine would receive it: type, name, parent, input
 * properties (secrets still marked) and options. No CLI, plugin, network or
 * credentials are involved.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { PlannedResource } from "../../lib/planned/types";
import { UNKNOWN, UNKNOWN_OUTPUT } from "../../lib/conformance/values-path";
import { REPO } from "../repo";

// Internal SDK modules: the mocks' monitor and the property (de)serialiser.
const rpc = require("@pulumi/pulumi/runtime/rpc");
const settings = require("@pulumi/pulumi/runtime/settings");

export interface RecordedRun {
  resources: PlannedResource[];
  /** The program's stack outputs, resolved. */
  outputs: Record<string, unknown>;
}

export interface RecordOptions {
  project: string;
  stack: string;
  /** Config as the CLI would pass it: "project:key" -> string (objects as JSON). */
  config: Record<string, string>;
  /** Keys of `config` that are secrets. */
  secretKeys: string[];
  /** The program's entry module. */
  program: string;
  /**
   * Keep full stack traces while the program runs (for debugging a program error).
   * Off by default: the SDK formats a stack trace for every promise it creates,
   * about 70 per resource, which is most of the evaluation time (README, "Performance").
   */
  stackTraces?: boolean;
  /** Known values for outputs a provider computes, by resource type (PlanOptions.computed). */
  computed?: Record<string, Record<string, unknown>>;
}

/** Values the mocks give resources for outputs the provider would compute. */
function mockState(type: string, name: string, inputs: Record<string, unknown>, computed: Record<string, unknown> = {}): Record<string, unknown> {
  const state: Record<string, unknown> = { ...inputs, ...computed };
  // AWS builds an ARN from the physical name (an explicit `name`, else the autoname an existing
  // resource keeps): a rename of the Pulumi resource alone changes neither.
  const physical = typeof inputs.name === "string" ? inputs.name : name;
  if (type.startsWith("aws:")) state.arn = `arn:aws:${type.split(/[:/]/)[1]}:us-east-1:123456789012:${physical}`;
  if (type === "aws:iam/role:Role") state.name = physical;
  return state;
}

export async function recordProgram(opts: RecordOptions): Promise<RecordedRun> {
  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: mockState(args.type, args.name, args.inputs, opts.computed?.[args.type]) }),
      call: (args) => args.inputs,
    },
    opts.project,
    opts.stack,
    true,
  );

  const resources: PlannedResource[] = [];
  const byUrn = new Map<string, PlannedResource>();
  const duplicates: Array<[PlannedResource, PlannedResource]> = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: any, cb: (err: unknown, resp: any) => void) => void };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        const planned = fromRequest(req, resp.getUrn());
        const first = byUrn.get(planned.urn);
        // The engine refuses a second registration of a URN (engine.json duplicateUrn): so do we.
        if (first) {
          duplicates.push([first, planned]);
          return callback(new Error(`Duplicate resource URN '${planned.urn}'; try giving it a unique name`), undefined);
        }
        byUrn.set(planned.urn, planned);
        resources.push(planned);
      }
      callback(err, resp);
    });

  const entry = require.resolve(path.resolve(opts.program));
  // The tools may run compiled (tools/launch-ready.js) while the program is someone's TypeScript.
  const tsNode = (process as unknown as Record<symbol, unknown>)[Symbol.for("ts-node.register.instance")];
  if (/\.[cm]?ts$/.test(entry) && !tsNode) require("ts-node").register({ project: path.join(REPO, "tsconfig.json") });
  delete require.cache[entry]; // the program reads its config when loaded: load it afresh per stack
  const stackTraceLimit = Error.stackTraceLimit;
  if (!opts.stackTraces) Error.stackTraceLimit = 0;
  const refuseDuplicates = () => {
    if (!duplicates.length) return;
    // The refused registration also rejects the resource's own outputs, which nothing awaits: they are this same error.
    process.on("unhandledRejection", (reason) => {
      if (!String((reason as Error)?.message ?? reason).includes("Duplicate resource URN")) throw reason;
    });
    throw new DuplicateUrnError(duplicates);
  };
  try {
    const program = require(entry) as Record<string, unknown>;
    await settings.waitForRPCs().catch((err: unknown) => {
      refuseDuplicates();
      throw err;
    });
    refuseDuplicates();
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) {
      outputs[key] = await resolve(value);
    }
    await settings.waitForRPCs();
    refuseDuplicates();
    return { resources, outputs };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** Two registrations of one URN: the engine stops with "Duplicate resource URN"; the message names both. */
export class DuplicateUrnError extends Error {
  constructor(readonly pairs: Array<[PlannedResource, PlannedResource]>) {
    super(
      pairs
        .map(
          ([a, b]) =>
            `Duplicate resource URN '${b.urn}'; try giving it a unique name: ${describe(a)} and ${describe(b)} both register it (the Pulumi engine refuses this: pulumi/pulumi sdk/go/common/diag/errors.go, code 2001)`,
        )
        .join("\n"),
    );
    this.name = "DuplicateUrnError";
  }
}

function describe(r: PlannedResource): string {
  return `${r.type} "${r.name}"${r.parent ? ` under ${r.parent.split("::").pop()}` : ""}`;
}

function fromRequest(req: any, urn: string): PlannedResource {
  const propertyDependencies: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
    propertyDependencies[key] = deps.getUrnsList();
  });
  return {
    type: req.getType(),
    name: req.getName(),
    urn,
    parent: req.getParent() || undefined,
    custom: req.getCustom(),
    // The SDK reads the engine's unknown sentinel into an object; policies receive the sentinel itself (values-path UNKNOWN).
    props: replaceUnknowns(rpc.deserializeProperties(req.getObject(), true), UNKNOWN) as Record<string, unknown>,
    opts: {
      protect: !!req.getProtect(),
      deleteBeforeReplace: !!req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      retainOnDelete: !!req.getRetainondelete(),
      importId: req.getImportid() || undefined,
      provider: req.getProvider() || undefined,
      dependsOn: req.getDependenciesList(),
      aliases: aliasUrns(req, urn),
    },
    dependencies: req.getDependenciesList(),
    propertyDependencies,
  };
}

/** A value with every unknown (a provider-computed value a preview does not have) replaced by `by`. */
function replaceUnknowns(v: unknown, by: string): unknown {
  if (pulumi.isUnknown(v)) return by;
  if (Array.isArray(v)) return v.map((x) => replaceUnknowns(x, by));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceUnknowns(x, by)]));
  return v;
}

/**
 * The URNs a resource's `aliases` stand for, computed the way the engine computes them
 * (pkg/resource/deploy/alias.go): a spec replaces the name, the type, the parent or the
 * stack/project of the resource's own URN.
 */
export function aliasUrns(req: any, urn: string): string[] {
  const out: string[] = [...(req.getAliasurnsList?.() ?? [])];
  const m = /^urn:pulumi:([^:]+)::([^:]+)::(.+)::([^:]*)$/.exec(urn);
  if (!m) return out;
  const [, stack, project, chain, name] = m;
  const types = chain.split("$");
  const ownType = types[types.length - 1];
  for (const alias of req.getAliasesList?.() ?? []) {
    if (alias.getUrn?.()) {
      out.push(alias.getUrn());
      continue;
    }
    const spec = alias.getSpec?.();
    if (!spec) continue;
    const type = spec.getType() || ownType;
    let prefix = types.slice(0, -1);
    if (spec.getNoparent()) prefix = [];
    else if (spec.getParenturn()) {
      const parentChain = /^urn:pulumi:[^:]+::[^:]+::(.+)::[^:]*$/.exec(spec.getParenturn())?.[1] ?? "";
      // A URN's type is qualified by its parent's own type only (not the parent's whole chain).
      const parentType = parentChain.split("$").pop() ?? "";
      prefix = parentType && parentType !== "pulumi:pulumi:Stack" ? [parentType] : [];
    }
    out.push(`urn:pulumi:${spec.getStack() || stack}::${spec.getProject() || project}::${[...prefix, type].join("$")}::${spec.getName() || name}`);
  }
  return out;
}

/** A stack output value as a preview shows it: what only `pulumi up` learns (a provider-computed value) reads as UNKNOWN_OUTPUT. */
export { UNKNOWN_OUTPUT };

/** Waits for an export's value; plain values and nested outputs alike. */
async function resolve(value: unknown): Promise<unknown> {
  // `apply` never runs on an unknown value during a preview, so read the value with its unknowns instead.
  const output = pulumi.output(value as pulumi.Input<object>) as unknown as { promise(withUnknowns: boolean): Promise<unknown> };
  return replaceUnknowns(await output.promise(true), UNKNOWN_OUTPUT);
}
