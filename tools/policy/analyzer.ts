/**
 * The policy pack judged by the real `@pulumi/policy` analyzer server, started and driven the
 * way the Pulumi CLI does it, with no CLI:
 *
 * - Start (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin, kind analyzer):
 *   `node <pack>/node_modules/@pulumi/pulumi/cmd/run-policy-pack <engine-address> <pack>` with the
 *   pack as working directory and PULUMI_NODEJS_{STACK,PROJECT,ORGANIZATION,DRY_RUN} and
 *   PULUMI_CONFIG in the environment; the server prints its port on stdout.
 * - Drive (pkg/resource/plugin/analyzer_plugin.go, pkg/resource/analyzer/config.go): GetPluginInfo,
 *   ConfigureStack, GetAnalyzerInfo, Configure with the reconciled policy config (schema
 *   defaults, then the user's file, validated as JSON Schema), Analyze per resource, AnalyzeStack.
 * - Properties are marshalled as the engine does (KeepSecrets, KeepUnknowns): a secret is the
 *   signature object, an unknown the UnknownStringValue sentinel, which planned properties
 *   already carry as the SDK recorded them (lib/conformance/values-path.ts UNKNOWN).
 *
 * The runner drops the engine address (run-policy-pack/index.js shifts it off) and the pack logs
 * nothing, so no engine service is needed.
 */
import * as path from "path";
import type { PlannedResource } from "../../lib/planned/types";
import { isSecretValue } from "../../lib/planned/secrets";
import { PolicyInfo, PolicyVerdict, reconcilePolicyConfig } from "./config";
import { AnalyzerOptions, launchAnalyzer, LaunchedAnalyzer, stopLaunched } from "./launch";
import { secretScrubber } from "./scrub";

export { PACK_DIR, packInstalledProblem } from "./launch";
export type { AnalyzerOptions } from "./launch";

/** The gRPC client and the engine's protobuf messages, loaded on first use (npm run plan starts the server before). */
let loaded: { grpc: typeof import("@grpc/grpc-js"); analyzerRpc: any; analyzerPb: any; structPb: any; emptyPb: any } | undefined;
function rpc() {
  if (!loaded) {
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    const from = (m: string) => require(require.resolve(m, { paths: [sdkDir] }));
    loaded = {
      grpc: from("@grpc/grpc-js"),
      analyzerRpc: require("@pulumi/pulumi/proto/analyzer_grpc_pb.js"),
      analyzerPb: require("@pulumi/pulumi/proto/analyzer_pb.js"),
      structPb: from("google-protobuf/google/protobuf/struct_pb.js"),
      emptyPb: from("google-protobuf/google/protobuf/empty_pb.js"),
    };
  }
  return loaded;
}

const LEVEL_NAMES = ["advisory", "mandatory", "disabled", "remediate"] as const;
const LEVEL_ENUM: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITY_NAMES = ["", "low", "medium", "high", "critical"] as const;

/** A started analyzer server and its client. Close it when done. */
export class PolicyAnalyzer {
  private constructor(
    private readonly launched: LaunchedAnalyzer,
    private readonly client: any,
  ) {}

  private stderr(): string {
    return this.launched.stderr();
  }

  /** Starts the pack's server (see launch.ts) and connects to it. */
  static async start(opts: AnalyzerOptions): Promise<PolicyAnalyzer> {
    return PolicyAnalyzer.connect(await launchAnalyzer(opts));
  }

  static connect(launched: LaunchedAnalyzer): PolicyAnalyzer {
    const { grpc, analyzerRpc } = rpc();
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${launched.port}`, grpc.credentials.createInsecure());
    return new PolicyAnalyzer(launched, client);
  }

  private call<T>(method: string, req: unknown): Promise<T> {
    return new Promise((resolve, reject) =>
      this.client[method](req, (e: Error | null, res: T) =>
        e ? reject(new Error(`${method}: ${e.message}${this.stderr().trim() ? `\n${this.stderr().trim()}` : ""}`)) : resolve(res),
      ),
    );
  }

  async pluginVersion(): Promise<string> {
    return (await this.call<any>("getPluginInfo", new (rpc().emptyPb.Empty)())).getVersion();
  }

  async configureStack(
    opts: Pick<AnalyzerOptions, "stack" | "project" | "organization" | "stackConfig" | "stackTags">,
    secretKeys: readonly string[] = [],
  ): Promise<void> {
    const req = new (rpc().analyzerPb.AnalyzerStackConfigureRequest)();
    req.setStack(opts.stack);
    req.setProject(opts.project);
    if (opts.organization) req.setOrganization(opts.organization);
    req.setDryRun(true);
    for (const [k, v] of Object.entries(opts.stackConfig ?? {})) req.getConfigMap().set(k, v);
    for (const [k, v] of opts.stackTags ?? new Map()) req.getTagsMap().set(k, v);
    req.setConfigSecretKeysList([...secretKeys]);
    await this.call("configureStack", req);
  }

  /** The pack's policies as GetAnalyzerInfo reports them (names, levels, schemas, metadata). */
  async info(): Promise<{ name: string; version: string; policies: PolicyInfo[] }> {
    const info = await this.call<any>("getAnalyzerInfo", new (rpc().emptyPb.Empty)());
    const policies: PolicyInfo[] = info.getPoliciesList().map((p: any) => {
      const schema = p.getConfigschema();
      return {
        name: p.getName(),
        description: p.getDescription(),
        kind: p.getPolicyType() === 2 ? "stack" : "resource",
        enforcementLevel: LEVEL_NAMES[p.getEnforcementlevel()],
        severity: SEVERITY_NAMES[p.getSeverity()] || undefined,
        remediationSteps: p.getRemediationSteps() || undefined,
        url: p.getUrl() || undefined,
        configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
      };
    });
    return { name: info.getName(), version: info.getVersion(), policies };
  }

  async configure(config: Record<string, { enforcementLevel: string; properties: Record<string, unknown> }>): Promise<void> {
    const req = new (rpc().analyzerPb.ConfigureAnalyzerRequest)();
    for (const [name, c] of Object.entries(config)) {
      const pc = new (rpc().analyzerPb.PolicyConfig)();
      pc.setEnforcementlevel(LEVEL_ENUM[c.enforcementLevel]);
      pc.setProperties(rpc().structPb.Struct.fromJavaScript(c.properties));
      req.getPolicyconfigMap().set(name, pc);
    }
    await this.call("configure", req);
  }

  async analyze(r: PlannedResource, provider?: PlannedResource): Promise<AnalysisResult> {
    const req = describeResource(new (rpc().analyzerPb.AnalyzeRequest)(), r);
    if (provider) req.setProvider(providerOf(provider));
    return resultOf(await this.call<any>("analyze", req));
  }

  async analyzeStack(resources: readonly PlannedResource[]): Promise<AnalysisResult> {
    const req = new (rpc().analyzerPb.AnalyzeStackRequest)();
    req.setResourcesList(
      resources.map((r) => {
        const ar = describeResource(new (rpc().analyzerPb.AnalyzerResource)(), r);
        if (r.parent) ar.setParent(r.parent);
        ar.setDependenciesList([...r.dependencies]);
        for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
          const deps = new (rpc().analyzerPb.AnalyzerPropertyDependencies)();
          deps.setUrnsList([...urns]);
          ar.getPropertydependenciesMap().set(k, deps);
        }
        return ar;
      }),
    );
    return resultOf(await this.call<any>("analyzeStack", req));
  }

  close(): void {
    this.client.close();
    stopLaunched(this.launched);
  }
}

export interface AnalysisResult {
  diagnostics: Array<{ policyName: string; message: string; enforcementLevel: string; urn?: string; severity?: string }>;
  notApplicable: Array<{ policyName: string; reason: string }>;
}

function resultOf(res: any): AnalysisResult {
  return {
    diagnostics: res.getDiagnosticsList().map((d: any) => ({
      policyName: d.getPolicyname(),
      message: d.getMessage(),
      enforcementLevel: LEVEL_NAMES[d.getEnforcementlevel()],
      urn: d.getUrn() || undefined,
      severity: SEVERITY_NAMES[d.getSeverity()] || undefined,
    })),
    notApplicable: res.getNotApplicableList().map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

/** The engine's MarshalProperties with KeepSecrets and KeepUnknowns, as a protobuf Struct. */
export function marshalProperties(props: Record<string, unknown>): unknown {
  const plain = (v: unknown): unknown => {
    if (isSecretValue(v)) return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: plain(v.value) };
    if (v === undefined) return undefined;
    if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : plain(x)));
    if (typeof v === "object" && v !== null)
      return Object.fromEntries(
        Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => [k, plain(x)]),
      );
    return v;
  };
  return rpc().structPb.Struct.fromJavaScript(plain(props));
}

/** What AnalyzeRequest and AnalyzerResource share: the resource's identity, inputs and options. */
function describeResource<
  T extends { setUrn(v: string): void; setType(v: string): void; setName(v: string): void; setProperties(v: unknown): void; setOptions(v: unknown): void },
>(msg: T, r: PlannedResource): T {
  msg.setUrn(r.urn);
  msg.setType(r.type);
  msg.setName(r.name);
  msg.setProperties(marshalProperties(r.props));
  msg.setOptions(optionsOf(r));
  return msg;
}

function optionsOf(r: PlannedResource): unknown {
  const o = new (rpc().analyzerPb.AnalyzerResourceOptions)();
  o.setProtect(r.opts.protect);
  o.setIgnorechangesList([...r.opts.ignoreChanges]);
  o.setDeletebeforereplace(r.opts.deleteBeforeReplace);
  o.setDeletebeforereplacedefined(r.opts.deleteBeforeReplace);
  o.setAdditionalsecretoutputsList([]);
  o.setAliasesList([...(r.opts.aliases ?? [])]);
  o.setCustomtimeouts(new (rpc().analyzerPb.AnalyzerResourceOptions.CustomTimeouts)());
  if (r.parent) o.setParent(r.parent);
  return o;
}

function providerOf(p: PlannedResource): unknown {
  const ap = new (rpc().analyzerPb.AnalyzerProviderResource)();
  ap.setType(p.type);
  ap.setUrn(p.urn);
  ap.setName(p.name);
  ap.setProperties(marshalProperties(p.props));
  return ap;
}

/**
 * Judges planned resources with the pack in `packDir` through its real analyzer server, and
 * returns one verdict per policy in the pack's order (the shape `npm run plan` prints).
 */
export async function judgeWithAnalyzer(
  resources: readonly PlannedResource[],
  opts: AnalyzerOptions,
  launched?: Promise<LaunchedAnalyzer>,
): Promise<PolicyVerdict[]> {
  // A caller may start the server early (npm run plan starts it before the program runs).
  const analyzer = PolicyAnalyzer.connect(await (launched ?? launchAnalyzer(opts)));
  try {
    await analyzer.pluginVersion();
    await analyzer.configureStack(opts);
    const { policies } = await analyzer.info();
    const config = reconcilePolicyConfig(policies, opts.policyConfig ?? {});
    await analyzer.configure(config);

    const scrub = secretScrubber(resources);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const verdicts = new Map<string, PolicyVerdict>(
      policies.map((p) => {
        const level = config[p.name].enforcementLevel;
        return [
          p.name,
          {
            policyName: p.name,
            description: p.description,
            kind: p.kind,
            enforcementLevel: (level === "remediate" ? "mandatory" : level) as PolicyVerdict["enforcementLevel"],
            status: "not-applicable",
            violations: [],
            notes: [],
            errors: [],
          },
        ];
      }),
    );
    const applied = new Set<string>();
    const naReasons = new Map<string, Set<string>>();
    const record = (result: AnalysisResult, ran: readonly PolicyInfo[], analyzed?: PlannedResource) => {
      const na = new Set(result.notApplicable.map((n) => n.policyName));
      for (const n of result.notApplicable) {
        if (!naReasons.has(n.policyName)) naReasons.set(n.policyName, new Set());
        naReasons.get(n.policyName)!.add(n.reason);
      }
      for (const p of ran) if (!na.has(p.name)) applied.add(p.name);
      for (const d of result.diagnostics) {
        const v = verdicts.get(d.policyName)!;
        // The server reports a policy that met an unknown value during preview as an advisory diagnostic.
        if (/^can't run policy '.*' during preview: /.test(d.message))
          v.notes.push(scrub(d.message.replace(/^can't run policy '.*?' from policy pack '.*?'/, "can't run")));
        else {
          // reportViolation sends "<description>\n<message>" (server.js makeReportViolationFun); Analyze names the resource itself.
          const message = d.message.startsWith(`${v.description}\n`) ? d.message.slice(v.description.length + 1) : d.message === v.description ? "" : d.message;
          const urn = d.urn ?? analyzed?.urn;
          v.violations.push({ message: scrub(message), urn, resourceName: urn ? byUrn.get(urn)?.name : undefined });
        }
      }
    };
    const enabled = policies.filter((p) => config[p.name].enforcementLevel !== "disabled");
    // The engine sends Analyze as each resource registers, many in flight; results are recorded in plan order.
    const analyzed = resources.filter((r) => !r.type.startsWith("pulumi:providers:"));
    const results = await Promise.all(
      analyzed.map((r) => {
        const provider = r.opts.provider ? byUrn.get(r.opts.provider.split("::").slice(0, 4).join("::")) : undefined;
        return analyzer.analyze(r, provider).catch((e: Error) => {
          throw new Error(`the policy pack failed on ${r.name} (the engine would stop the preview): ${scrub(e.message)}`);
        });
      }),
    );
    analyzed.forEach((r, i) =>
      record(
        results[i],
        enabled.filter((p) => p.kind === "resource"),
        r,
      ),
    );
    try {
      record(
        await analyzer.analyzeStack(analyzed),
        enabled.filter((p) => p.kind === "stack"),
      );
    } catch (e) {
      throw new Error(`the policy pack failed on the stack (the engine would stop the preview): ${scrub((e as Error).message)}`, { cause: e });
    }

    for (const v of verdicts.values()) {
      if (config[v.policyName].enforcementLevel === "disabled") {
        v.notes.push("disabled by policy config");
        continue;
      }
      if (v.violations.length) v.status = "violation";
      else if (applied.has(v.policyName) || v.notes.length) v.status = "pass";
      else v.notes.push(...[...(naReasons.get(v.policyName) ?? [])].slice(0, 3));
    }
    return [...verdicts.values()];
  } finally {
    analyzer.close();
  }
}
