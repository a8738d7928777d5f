/**
 * The handover generated for the example's stacks (examples/acmechat/Pulumi.prod.yaml, Pulumi.staging.yaml)
 * through the CLI's --stack path, which runs the offline plan of the real program.
 * The secret config keys reach the document through the planned domain map alone
 * (hosting.env[target][].configKey); the YAML is read here only as the expected answer.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";
import { parseStackYaml } from "../../lib/config/stack-yaml";
import { Writable } from "stream";
import type { DomainMap, EnvTarget } from "../../lib/domain-map";
import { placeholderFor, planStack } from "../../tools/offline/plan";
import { EXAMPLE_DIR } from "../../tools/offline/stack-files";
import { planExample } from "../helpers/stack-config";
import { main } from "../../tools/cli/handover";
import { renderHandover } from "../../lib/handover";
import { row, section, secureValues, splitRow } from "./helpers";
import { HANDOVER } from "../helpers/stack-config";

class Capture extends Writable {
  text = "";
  _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** `{ "production/OPENAI_API_KEY": "openaiApiKeyProduction" }`, read here from the YAML, independently of the program and lib/handover. */
function expectedSecretKeys(stackYaml: string): Map<string, string> {
  const config = (parseStackYaml(stackYaml, "the stack file") as { config: Record<string, unknown> }).config;
  const env = (config["launch-ready:hosting"] as { env: Record<string, Record<string, unknown>> }).env;
  const keys = new Map<string, string>();
  for (const [target, vars] of Object.entries(env)) {
    for (const [name, value] of Object.entries(vars ?? {})) {
      if (typeof value === "object" && value !== null && "secret" in value) keys.set(`${target}/${name}`, (value as { secret: string }).secret);
    }
  }
  return keys;
}

for (const stack of ["prod", "staging"] as const) {
  describe(`handover for the example ${stack} stack`, function () {
    this.timeout(120000);
    let doc: string;
    let map: DomainMap;
    let secretConfigKeys: string[];
    const stackYaml = fs.readFileSync(path.join(EXAMPLE_DIR, `Pulumi.${stack}.yaml`), "utf8");

    before(async () => {
      const plan = await planExample(stack);
      map = plan.domainMap;
      secretConfigKeys = [...plan.unsetSecrets, ...plan.encryptedSecrets];
      const out = new Capture();
      const err = new Capture();
      const code = await main(["--stack", stack, "--dir", EXAMPLE_DIR], out, err);
      assert.strictEqual(code, 0, err.text);
      doc = out.text;
    });

    it("is the document for this stack", () => {
      assert.match(doc, new RegExp(`^# Launch handover: ${map.canonicalHost.replace(/\./g, "\\.")} \\(${stack}\\)\\n`));
      assert.ok(doc.includes(`pulumi stack history --stack ${stack}`));
      assert.ok(!doc.includes(`--stack ${stack === "prod" ? "staging" : "prod"}`));
    });

    it("maps every host, proxied or not", () => {
      const s = section(doc, "Domain map");
      assert.ok(map.hosts.length > 0);
      for (const h of map.hosts) {
        assert.strictEqual(row(s, `\`${h.hostname}\``)[3], h.proxied ? "yes (orange cloud)" : "no (DNS only)", h.hostname);
      }
    });

    it("names every env var per environment, and every secret's config key in the rotation steps", () => {
      const env = section(doc, "Environment variables");
      const rotation = section(doc, "Rotating secrets");
      const expected = expectedSecretKeys(stackYaml);
      assert.ok(expected.size > 0);
      const planned = (["production", "preview", "development"] as EnvTarget[]).flatMap((t) =>
        map.hosting.env[t].filter((e) => e.source === "secret-config").map((e) => `${t}/${e.key}`),
      );
      assert.deepStrictEqual(planned.sort(), [...expected.keys()].sort());
      const secretTargets = (["production", "preview", "development"] as EnvTarget[]).filter((t) =>
        map.hosting.env[t].some((e) => e.source === "secret-config"),
      );
      const header = splitRow(rotation.split("\n").find((l) => l.startsWith("| App secret |"))!);
      assert.deepStrictEqual(header, ["App secret", ...secretTargets.map((t) => `${t[0].toUpperCase()}${t.slice(1)} config key`), "New value from"]);
      for (const target of ["production", "preview", "development"] as EnvTarget[]) {
        for (const e of map.hosting.env[target]) {
          if (e.source !== "secret-config") {
            assert.ok(row(env, `\`${e.key}\``)[1].includes(`${target[0].toUpperCase()}${target.slice(1)}`), `${target} ${e.key}`);
            continue;
          }
          const key = expected.get(`${target}/${e.key}`);
          assert.ok(key, `the stack file names the key of ${target}/${e.key}`);
          assert.strictEqual(e.configKey, key, `the planned domain map names the key of ${target}/${e.key}`);
          assert.strictEqual(
            row(rotation, `\`${e.key}\``)[header.indexOf(`${target[0].toUpperCase()}${target.slice(1)} config key`)],
            `\`launch-ready:${key}\``,
            key,
          );
        }
      }
      assert.ok(!doc.includes("CONFIG_KEY"), "no key left unknown");
    });

    it("contains no secret value: no offline placeholder, no ciphertext", async () => {
      assert.ok(secretConfigKeys.length > 0);
      for (const key of secretConfigKeys) assert.ok(!doc.includes(placeholderFor(key)), key);
      assert.ok(!doc.includes("offline-placeholder"));
      // The shipped file only names its secrets; a deployed stack's file holds them encrypted. Plant a ciphertext for each.
      const config = (parseStackYaml(stackYaml, `Pulumi.${stack}.yaml`) as { config: Record<string, unknown> }).config;
      const planted = [...expectedSecretKeys(stackYaml).values()].map(
        (key, i) => [`launch-ready:${key}`, { secure: `v1:CiphertextSalt${i}:${Buffer.from(key).toString("base64")}` }] as const,
      );
      const withCiphertexts = { ...config, ...Object.fromEntries(planted) };
      const ciphertexts = secureValues(stringify({ config: withCiphertexts }));
      assert.equal(ciphertexts.length, planted.length);
      const encrypted = await planStack(stack, { stackFile: { config: withCiphertexts } });
      assert.deepEqual(encrypted.encryptedSecrets.sort(), planted.map(([k]) => k).sort());
      const rendered = renderHandover(encrypted.domainMap, HANDOVER);
      for (const c of ciphertexts) assert.ok(!rendered.includes(c), c);
    });

    it("lists every monitor and the alert recipients", () => {
      const s = section(doc, "Monitoring and alerts");
      for (const m of map.monitors) assert.ok(s.includes(`\`${m.url}\``), m.url);
      for (const email of map.alerts.emails) assert.ok(s.includes(`\`${email}\``), email);
    });

    it("lists the email senders and the plan's limits", () => {
      const email = section(doc, "Email");
      for (const sender of map.email.senders) assert.ok(row(email, sender.name), sender.name);
      const limits = section(doc, "Known limits");
      for (const { text } of map.notes) assert.ok(limits.includes(text), text);
      for (const r of map.edge.rateLimits) assert.ok(row(limits, r.name), r.name);
    });
  });
}
