/**
 * `pulumi new <this repository>` (issue 22 item 2): Pulumi.yaml's `template:` section has the shape
 * the CLI reads (lib/provider-facts/engine.json projectTemplate), every prompt is a key the program
 * or one of its providers reads, and a stack written as the CLI writes it from the prompts' example
 * values plans clean under a project name of the user's own.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { engineFacts } from "../../lib/provider-facts";
import { CONFIG_KEYS } from "../../lib/config/schema";
import { FLAT_KEYS, FLAT_KEY_NAMES } from "../../lib/config/flat-keys";
import { ConfigError, validateStackConfig } from "../../lib/config/validate";
import { planStack } from "../../tools/offline/plan";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { evaluatePolicies } from "../../tools/policy/offline";
import { allSecretsSet } from "../helpers/stack-config";

interface TemplateValue {
  description?: string;
  default?: string;
  secret?: boolean;
}
const project = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as {
  name: string;
  template: { config: Record<string, TemplateValue> };
};
const prompts = project.template.config;

/** The value a prompt's description gives as its example, "(e.g. example.com)" at its end. */
function exampleOf(value: TemplateValue): string | undefined {
  return /\(e\.g\. ([^\s()]+)\)$/.exec(value.description ?? "")?.[1];
}

/** What `pulumi new` writes to the stack file (engine.json facts.pulumiNewTemplateKeys): bare keys under the project, the answer a string, secrets encrypted. */
function stackFileFromPrompts(projectName: string, answer: (key: string, value: TemplateValue) => string | undefined): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(prompts)) {
    const given = answer(key, value);
    if (!given) continue;
    config[key.includes(":") ? key : `${projectName}:${key}`] = value.secret ? { secure: "v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBB" } : given;
  }
  return config;
}

/** The provider package whose config a namespaced prompt sets. */
const PROVIDER_PACKAGES: Record<string, string> = { aws: "@pulumi/aws", cloudflare: "@pulumi/cloudflare", vercel: "@pulumiverse/vercel" };

describe("pulumi new: Pulumi.yaml's template section", function () {
  this.timeout(120_000);

  it("has the shape Pulumi reads: known keys only, each config value a description, a string default, a boolean secret", () => {
    const { templateKeys, configValueKeys } = engineFacts.projectTemplate;
    assert.deepEqual(
      Object.keys(project.template).filter((k) => !templateKeys.includes(k)),
      [],
    );
    for (const [key, value] of Object.entries(prompts)) {
      for (const [field, v] of Object.entries(value)) {
        assert.ok(field in configValueKeys, `${key}.${field} is not a field Pulumi reads`);
        assert.equal(typeof v, configValueKeys[field], `${key}.${field} must be a ${configValueKeys[field]}`);
      }
      assert.ok(value.description, `${key} has a description (the prompt's text)`);
    }
  });

  it("asks for what a first stack needs, secrets marked secret, and every prompt is a key the program or its provider reads", () => {
    const bare = Object.keys(prompts).filter((k) => !k.includes(":"));
    for (const key of bare) assert.ok((FLAT_KEY_NAMES as string[]).includes(key) || key === "environment", `${key} is a flat key or environment`);
    assert.ok((CONFIG_KEYS as readonly string[]).includes("environment"));
    const targets = bare.flatMap((k) => (k in FLAT_KEYS ? [FLAT_KEYS[k as keyof typeof FLAT_KEYS].path.join(".")] : [k]));
    for (const needed of ["zone.name", "zone.id", "zone.accountId", "zone.plan", "hosting.projectId", "alerts.emails", "email.dmarc.rua", "environment"])
      assert.ok(targets.includes(needed), `a prompt sets ${needed}`);
    for (const key of Object.keys(prompts).filter((k) => k.includes(":"))) {
      const [ns, name] = key.split(":");
      const vars = fs.readFileSync(require.resolve(`${PROVIDER_PACKAGES[ns]}/config/vars.d.ts`), "utf8");
      assert.match(vars, new RegExp(`export declare const ${name}:`), `${key} is a config variable of ${PROVIDER_PACKAGES[ns]}`);
    }
    assert.deepEqual(
      Object.entries(prompts)
        .filter(([, v]) => v.secret)
        .map(([k]) => k),
      ["cloudflare:apiToken", "vercel:apiToken"],
    );
    for (const [key, value] of Object.entries(prompts)) if (!value.secret) assert.ok(exampleOf(value) ?? value.default, `${key} gives an example or a default`);
  });

  it("a stack from the prompts' example values, under the user's project name, plans clean: no conformance finding, no mandatory violation", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-new-"));
    try {
      // As pulumi new leaves it (engine.json facts.pulumiNewProjectName): the chosen name, no template section.
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mybot\nruntime: nodejs\n");
      const config = stackFileFromPrompts("mybot", (_, v) => exampleOf(v) ?? v.default);
      assert.equal(config["mybot:domain"], "example.com");
      fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), yaml.dump({ config }));
      const p = await planStack("prod", { program: path.join(REPO_ROOT, "index.ts"), dir });
      assert.equal(p.project, "mybot");
      assert.equal(p.domainMap.canonicalOrigin, "https://example.com");
      assert.deepEqual(p.domainMap.alerts.emails, ["oncall@example.com"]);
      assert.ok(p.resources.some((r) => r.type === "vercel:index/projectDomain:ProjectDomain" && r.props.projectId === "prj_12HKQaOmR5t5Uy6vdcQsNIiZgHGB"));
      assert.match(p.domainMap.email.dmarc.record, /rua=mailto:dmarc@example\.com/);
      assert.deepEqual(conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings, []);
      const verdicts = await evaluatePolicies(p.resources, { stackTags: new Map() });
      assert.deepEqual(
        verdicts.filter((v) => v.status === "violation" && v.enforcementLevel === "mandatory").map((v) => v.policyName),
        [],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the zone plan prompt reaches the conformance stage: a Pro zone is judged by Pro's limits", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launch-ready-new-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: prozone\nruntime: nodejs\n");
      const config = stackFileFromPrompts("prozone", (k, v) => (k === "zonePlan" ? "pro" : (exampleOf(v) ?? v.default)));
      fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), yaml.dump({ config }));
      const p = await planStack("prod", { program: path.join(REPO_ROOT, "index.ts"), dir });
      // Pro deploys the Cloudflare Managed Ruleset; Free cannot.
      assert.ok(p.resources.some((r) => r.props.phase === "http_request_firewall_managed"));
      assert.deepEqual(conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT }).findings, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the flat keys pulumi new sets", () => {
  const flat = (edit: (raw: Record<string, unknown>) => void = () => {}): string[] => {
    const raw: Record<string, unknown> = {
      environment: "production",
      domain: "mybot.ai",
      zoneId: "a".repeat(32),
      accountId: "b".repeat(32),
      vercelProjectId: "prj_MyBot1",
      alertEmail: "oncall@mybot.ai",
      dmarcReportEmail: "dmarc@mybot.ai",
    };
    edit(raw);
    try {
      validateStackConfig(raw, "prod", allSecretsSet, "mybot");
      return [];
    } catch (err) {
      assert.ok(err instanceof ConfigError, String(err));
      return err.issues.map((i) => `${i.key}: ${i.message}`);
    }
  };

  it("make a valid stack on their own, each value in its structured place", () => {
    assert.deepEqual(flat(), []);
    const { config } = validateStackConfig(
      {
        domain: "mybot.ai",
        zoneId: "a".repeat(32),
        accountId: "b".repeat(32),
        environment: "staging",
        // The structured keys and the flat ones mix: a staging stack names its own host.
        site: { name: "staging", redirectTwin: false },
        zone: { manageZoneSettings: false },
        vercelProjectId: "prj_X1",
        alertEmail: "a@mybot.ai",
        zonePlan: "business",
        vercelTeamId: "team_X1",
      },
      "staging",
      allSecretsSet,
      "mybot",
    );
    assert.deepEqual(
      [config.zone.name, config.zone.id, config.zone.plan, config.hosting.projectId, config.hosting.teamId, config.alerts.emails],
      ["mybot.ai", "a".repeat(32), "business", "prj_X1", "team_X1", ["a@mybot.ai"]],
    );
  });

  it("a bad value is reported under the flat key the stack file holds, and a value set in both forms is refused", () => {
    assert.deepEqual(
      flat((raw) => {
        raw.zoneId = "zone-123";
        raw.alertEmail = "oncall";
        raw.zone = { name: "other.ai" };
      }),
      [
        "mybot:domain: sets zone.name, which zone also sets in this stack: keep one (remove domain, or zone.name from zone)",
        "mybot:zoneId: must be the 32-character hex zone id (Cloudflare dashboard > Overview > API)",
        "mybot:alertEmail: must be an email address such as oncall@example.com",
      ],
    );
  });
});
