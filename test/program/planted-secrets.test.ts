/**
 * Planted secrets: a recognisable value in every config key that can carry a secret (each env
 * var's secret config key, the alert webhook URLs, the origin lock's generated header secret), handed to the program decrypted as the
 * engine hands them on a real run. None may appear in the plan (text or --json), the policy
 * and conformance output, the handover, the stack outputs, or any resource's name, URN or
 * comment; each must reach its resource only as a Pulumi secret.
 */
import { strict as assert } from "assert";
import { renderHandover } from "../../lib/handover";
import { planStack } from "../../tools/offline/plan";
import { planJson, renderPlan } from "../../tools/offline/render";
import { redactSecrets } from "../../lib/planned/secrets";
import { evaluatePolicies, formatVerdicts } from "../../tools/policy/offline";
import { formatConformance } from "../../lib/conformance";
import { conformanceOf, REPO_ROOT } from "../../tools/conformance/run";
import { referencedSecretNames } from "../../lib/config/secret-refs";
import { HANDOVER, shippedConfig } from "../helpers/stack-config";

describe("planted secrets never leave the secret store", function () {
  this.timeout(30_000);

  it("prod with every secret and two secret alert webhooks: nothing printed, output or named carries a value", async () => {
    const config = shippedConfig("prod");
    config["launch-ready:alerts"].webhooks = [{ secret: "slackAlertUrl" }, { name: "pagerduty", url: { secret: "pagerdutyAlertUrl" } }];
    const names = referencedSecretNames(Object.values(config));
    assert.equal(names.length, 13, "every secret the prod stack references, and both webhooks");
    const planted = Object.fromEntries(names.map((name, i) => [`launch-ready:${name}`, `PLANTED-${i}-${name}-sk_live_51Hq${i}Zx9`]));
    // The origin lock's generated secret, as the random provider would return it on a real run.
    const originSecret = "PLANTED-origin-lock-Q7vXk2mN9pR4sT6w";
    const p = await planStack("prod", {
      stackFile: { config },
      secretValues: planted,
      computed: { "random:index/randomPassword:RandomPassword": { result: originSecret } },
    });
    const conformance = conformanceOf({ resources: p.resources, config: p.config, project: p.project, programDir: REPO_ROOT });
    const verdicts = await evaluatePolicies(p.resources, {});
    const printed = {
      "plan text": [renderPlan(p), formatConformance(conformance), formatVerdicts(verdicts)].join("\n"),
      "plan --json": planJson(p, { conformance, policy: { verdicts } }),
      handover: renderHandover(p.domainMap, HANDOVER),
      "stack outputs": JSON.stringify(p.outputs),
      "resource names and URNs": p.resources.map((r) => `${r.name} ${r.urn} ${JSON.stringify(r.opts)}`).join("\n"),
      "resource inputs outside secrets": JSON.stringify(p.resources.map((r) => redactSecrets(r.props))),
    };
    for (const value of [...Object.values(planted), originSecret]) {
      for (const [where, text] of Object.entries(printed)) assert.ok(!text.includes(value), `${where} shows ${value}`);
    }
    // The values did reach the program: each one sits in some resource input, wrapped as a secret.
    const inputs = JSON.stringify(p.resources.map((r) => r.props));
    for (const value of Object.values(planted)) assert.ok(inputs.includes(value), `${value} reached no resource`);
    // The origin secret reached exactly the Cloudflare header rule and the Vercel firewall rule, each only inside a secret.
    const carrying = p.resources.filter((r) => JSON.stringify(r.props).includes(originSecret));
    assert.deepEqual(carrying.map((r) => r.name).sort(), ["launch-ready-origin-lock-http_request_late_transform", "launch-ready-origin-lock-vercel-firewall"]);
    for (const r of carrying) assert.equal((redactSecrets(r.props) as { rules: unknown }).rules, "[secret]", `${r.name} holds it only as a secret`);
    const subscriptions = p.resources.filter((r) => r.name.startsWith("launch-ready-uptime-webhook-"));
    assert.deepEqual(
      subscriptions.map((r) => [r.name, (redactSecrets(r.props) as { endpoint: unknown }).endpoint]),
      [
        ["launch-ready-uptime-webhook-slackAlertUrl", "[secret]"],
        ["launch-ready-uptime-webhook-pagerduty", "[secret]"],
      ],
    );
  });
});
