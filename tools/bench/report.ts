/** Turns benchmark samples into the printed tables and the target verdicts. */
import { machine, Sample, stats, Variant } from "./measure";

export interface Report {
  machineStart: ReturnType<typeof machine>;
  machineEnd?: ReturnType<typeof machine>;
  args: { runs: number; largeRuns?: number; sizes: number[]; variants: Variant[]; policy: boolean };
  build?: { files: number; ms: number };
  samples: Sample[];
  profiles?: string;
}

export const TARGETS = { oneSiteWallMs: 2000, fiftySitesWallMs: 10000, policyMsPerResource: 1 };

const s1 = (ms: number) => (ms / 1000).toFixed(2);
const med = (xs: number[]) => stats(xs).median;
const range = (xs: number[], f = s1) => {
  const st = stats(xs);
  return `${f(st.median)} (${f(st.min)}–${f(st.max)})`;
};

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(" | ")} |`;
  return [
    line(head),
    `|${w.map((n, i) => (i === 0 ? ":" : "") + "-".repeat(n + (i === 0 ? 1 : 1)) + (i === 0 ? "" : ":")).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}

function group(samples: Sample[]): Map<string, Sample[]> {
  const m = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = `${s.variant}\u0000${s.sites}`;
    m.set(k, [...(m.get(k) ?? []), s]);
  }
  return m;
}

/** Per-site evaluation time once warm: the median of sites after the first (the first pays JIT warm-up). */
const steadyPerSite = (s: Sample) => (s.perSiteMs.length > 1 ? med(s.perSiteMs.slice(1)) : s.perSiteMs[0]);

/** What every section reads: the samples grouped by variant and size, the variants, the smallest and largest size. */
interface BenchView {
  r: Report;
  groups: Map<string, Sample[]>;
  variants: string[];
  lo: number;
  hi: number;
  /** The samples that ran the policy pack. */
  pol: Sample[];
}

export function renderReport(r: Report): string {
  const view: BenchView = {
    r,
    groups: group(r.samples),
    variants: [...new Set(r.samples.map((s) => s.variant))],
    lo: Math.min(...r.args.sizes),
    hi: Math.max(...r.args.sizes),
    pol: r.samples.filter((s) => s.policy),
  };
  return [
    ...preamble(r),
    ...wallTimeSection(view),
    ...growthSection(view),
    ...startupSection(view),
    ...conformanceSection(view),
    ...policySection(view),
    ...resourceKindsSection(r.samples[0]),
    ...targetsSection(view),
    ...(r.profiles ? [`\nCPU profiles (first run of each cell): ${r.profiles}`] : []),
  ].join("\n");
}

/** The machine, how the cells were measured, and what the variants are. */
function preamble(r: Report): string[] {
  const m = r.machineStart;
  return [
    `Offline plan benchmark: ${m.cpus} CPU(s) (${m.model}), ${m.memGb} GB, Node ${m.node}; load average ${m.loadavg.join(" ")} at start, ${r.machineEnd?.loadavg.join(" ") ?? "?"} at end.`,
    `Each cell: median (min–max) of the runs, each a fresh process (${r.args.runs} per size${r.args.largeRuns ? `, ${r.args.largeRuns} at the largest` : ""}; ms/site warm is the median over the sites after the first within a run). N sites = N generated stacks planned one after another in ONE process (planStack re-evaluates index.ts per stack).`,
    `Variants: ts-node = node -r ts-node/register/transpile-only (what npm run plan runs); js = precompiled to build/ (npm run build, as npm ci leaves it)${r.build ? ` (${r.build.files} files, ${s1(r.build.ms)} s)` : ""}; -stacktraces = the SDK's per-promise stack traces kept (planStack's stackTraces option), to show what turning them off saves.`,
  ];
}

function wallTimeSection({ groups }: BenchView): string[] {
  const rows: string[][] = [];
  for (const [, ss] of groups) {
    const a = ss[0];
    rows.push([
      a.variant,
      String(a.sites),
      String(a.resources),
      range(ss.map((s) => s.planWallMs)),
      range(ss.map((s) => s.evaluateMs)),
      String(Math.round(med(ss.map(steadyPerSite)))),
      s1(med(ss.map((s) => s.cpuMs))),
      String(Math.round(med(ss.map((s) => s.maxRssMb)))),
    ]);
  }
  return ["\n## Plan wall time and memory\n", table(["variant", "sites", "resources", "wall s", "evaluate s", "ms/site warm", "CPU s", "peak RSS MB"], rows)];
}

/** How each measure grows from the smallest size to the largest, beside what linear growth would be. */
function growthSection({ groups, variants, lo, hi }: BenchView): string[] {
  const out = ["\n## Growth 1 → largest size\n"];
  if (lo === hi) return out;
  const grow: string[][] = [];
  for (const v of variants) {
    const a = groups.get(`${v}\u0000${lo}`);
    const b = groups.get(`${v}\u0000${hi}`);
    if (!a || !b) continue;
    const f = (sel: (s: Sample) => number) => (med(b.map(sel)) / med(a.map(sel))).toFixed(1);
    grow.push([
      v,
      `${lo} → ${hi}`,
      `×${f((s) => s.planWallMs)}`,
      `×${f((s) => s.evaluateMs)}`,
      `×${(hi / lo).toFixed(0)}`,
      `${Math.round(med(a.map(steadyPerSite)))} → ${Math.round(med(b.map(steadyPerSite)))}`,
      `×${f((s) => s.maxRssMb)}`,
    ]);
  }
  out.push(table(["variant", "sites", "wall", "evaluate", "linear would be", "ms/site warm", "peak RSS"], grow));
  return out;
}

function startupSection({ groups, variants, lo }: BenchView): string[] {
  const st: string[][] = [];
  for (const v of variants) {
    const ss = groups.get(`${v}\u0000${lo}`);
    if (!ss) continue;
    const g = (sel: (s: Sample) => number) => String(Math.round(med(ss.map(sel))));
    const load = (s: Sample) => s.bootMs + s.loadSdkMs + s.loadProvidersMs + s.loadProgramMs;
    st.push([
      v,
      g((s) => s.bootMs),
      g((s) => s.loadSdkMs),
      g((s) => s.loadProvidersMs),
      g((s) => s.loadProgramMs),
      g(load),
      g((s) => s.evaluateMs),
      g((s) => s.planWallMs),
    ]);
  }
  return [
    `\n## Startup: module loading versus evaluation (${lo}-site runs, medians, ms)\n`,
    table(["variant", "node + ts-node", "@pulumi/pulumi", "providers", "program modules", "= loading", "evaluate", "wall"], st),
    "node + ts-node: process start until the child's first line; providers: the provider SDKs plus the resource classes the components use; program modules: lib/, components/, zod.",
  ];
}

function conformanceSection({ groups }: BenchView): string[] {
  const cr: string[][] = [];
  for (const [key, ss] of groups) {
    const [v, n] = key.split("\u0000");
    const c = (sel: (s: Sample) => number) => String(Math.round(med(ss.map(sel))));
    const share = med(ss.map((s) => s.conformance.loadMs + s.conformance.perStackMs)) / med(ss.map((s) => s.planWallMs));
    cr.push([
      v,
      n,
      c((s) => s.conformance.loadMs),
      c((s) => s.conformance.perStackMs),
      c((s) => s.conformance.coldMs),
      `${(share * 100).toFixed(1)}%`,
      String(ss[0].conformance.findings),
    ]);
  }
  return [
    `\n## Conformance stage\n`,
    table(["variant", "sites", "load ms", "per stack ms (warm cache)", "first run ms (empty shape cache)", "load + one stack vs wall", "findings"], cr),
    "Warm: the shape cache in node_modules/.cache/launch-ready/shapes holds the SDK shapes; the first plan after an install parses the SDKs' type declarations once.",
  ];
}

/** Only when the policy pack ran. */
function policySection({ variants, hi, pol }: BenchView): string[] {
  if (!pol.length) return [];
  const pr: string[][] = [];
  for (const v of variants) {
    const ss = pol.filter((s) => s.variant === v);
    if (!ss.length) continue;
    const n = ss[0].policy!.resources;
    const per = (sel: (s: Sample) => number) => (med(ss.map(sel)) / n).toFixed(3);
    pr.push([
      v,
      String(n),
      String(Math.round(med(ss.map((s) => s.policy!.loadMs)))),
      String(Math.round(med(ss.map((s) => s.policy!.perStackMs)))),
      per((s) => s.policy!.perStackMs),
      per((s) => s.policy!.unionMs),
      String(ss[0].policy!.mandatoryViolations),
    ]);
  }
  return [
    `\n## Policy pack on the ${hi}-site plan\n`,
    table(["variant", "resources", "load ms", "per-stack total ms", "ms/resource", "ms/resource (one pass over all)", "stacks failing"], pr),
  ];
}

/** One site's resources by type, from the first sample (every site plans the same). */
function resourceKindsSection(first: Sample): string[] {
  const kinds = Object.entries(first.kinds).sort((a, b) => b[1] - a[1]);
  const custom = kinds.filter(([k]) => !k.startsWith("launch-ready:")).reduce((n, [, c]) => n + c, 0);
  const comps = kinds.filter(([k]) => k.startsWith("launch-ready:")).reduce((n, [, c]) => n + c, 0);
  return [
    "\n## Resources per site, by kind\n",
    table(
      ["type", "per site"],
      kinds.map(([k, n]) => [k, String(n)]),
    ),
    `${custom} provider resources + ${comps} components per site. Cloudflare rulesets: ${first.rulesetPhases.length}, one per phase (${first.rulesetPhases.join(", ")}).`,
  ];
}

/** Met or MISSED for each target the measured cells can judge (TARGETS). */
function targetsSection({ groups, variants, lo, hi, pol }: BenchView): string[] {
  const out = ["\n## Targets\n"];
  const ts1 = groups.get(`ts-node\u0000${lo}`);
  const tsHi = groups.get(`ts-node\u0000${hi}`);
  const js1 = groups.get(`js\u0000${lo}`);
  const jsHi = groups.get(`js\u0000${hi}`);
  const verdict = (label: string, ss: Sample[] | undefined, target: number) =>
    ss
      ? `- ${label}: ${s1(med(ss.map((s) => s.planWallMs)))} s against < ${s1(target)} s: ${med(ss.map((s) => s.planWallMs)) < target ? "met" : "MISSED"}`
      : undefined;
  if (lo === 1)
    out.push(
      ...([verdict("1 site, ts-node", ts1, TARGETS.oneSiteWallMs), verdict("1 site, precompiled js", js1, TARGETS.oneSiteWallMs)].filter(Boolean) as string[]),
    );
  if (hi === 50)
    out.push(
      ...([verdict("50 sites, ts-node", tsHi, TARGETS.fiftySitesWallMs), verdict("50 sites, precompiled js", jsHi, TARGETS.fiftySitesWallMs)].filter(
        Boolean,
      ) as string[]),
    );
  if (ts1) {
    const share = med(ts1.map((s) => s.conformance.loadMs + s.conformance.perStackMs)) / med(ts1.map((s) => s.planWallMs));
    out.push(`- conformance stage, 1 site, ts-node: ${(share * 100).toFixed(1)}% of the plan's wall time against < 10%: ${share < 0.1 ? "met" : "MISSED"}`);
  }
  for (const v of variants) {
    const ss = pol.filter((s) => s.variant === v);
    if (!ss.length) continue;
    const per = med(ss.map((s) => s.policy!.perStackMs)) / ss[0].policy!.resources;
    out.push(
      `- policy evaluation, ${v}: ${per.toFixed(3)} ms/resource against < ${TARGETS.policyMsPerResource} ms: ${per < TARGETS.policyMsPerResource ? "met" : "MISSED"}`,
    );
  }
  return out;
}
