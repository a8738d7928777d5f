import { strict as assert } from "assert";
import * as path from "path";
import { planStack, OfflinePlan } from "../../tools/offline/plan";
import { isSecretValue } from "../../lib/planned/secrets";
import { RESOURCE_TYPES as T } from "../../policies/shared/resource-types";
import { shippedConfig } from "../helpers/stack-config";

const PROGRAM = path.join(__dirname, "..", "fixtures", "programs", "inputs", "index.ts");

describe("LaunchReadySite given another resource's outputs", function () {
  this.timeout(60_000);
  let p: OfflinePlan;
  before(async () => {
    p = await planStack("prod", { program: PROGRAM, stackFile: { config: shippedConfig("prod") } });
  });

  it("puts every Cloudflare resource in the zone the program created, not the stack file's zone id", () => {
    const zoned = p.resources.filter((r) => r.custom && "zoneId" in r.props);
    assert.ok(zoned.length > 30, `${zoned.length} zone resources`);
    for (const r of zoned) assert.equal(r.props.zoneId, "zone-id", `${r.name} zoneId`);
    const zoneUrn = p.resources.find((r) => r.type === "cloudflare:index/zone:Zone")!.urn;
    const record = zoned.find((r) => r.type === T.dnsRecord)!;
    assert.deepEqual(record.propertyDependencies.zoneId, [zoneUrn], "the record waits for the zone");
  });

  it("puts every Vercel variable and domain in the project the program created", () => {
    const vercel = p.resources.filter((r) => r.type === T.vercelEnv || r.type === T.vercelDomain);
    assert.ok(vercel.length > 5);
    for (const r of vercel) assert.equal(r.props.projectId, "project-id", `${r.name} projectId`);
  });

  it("reads each { secret } reference from the program's config as a Pulumi secret by default", () => {
    const sensitive = p.resources.filter((r) => r.type === T.vercelEnv && isSecretValue(r.props.value));
    assert.ok(sensitive.length >= 3, `${sensitive.length} secret variables`);
    assert.deepEqual(p.outputs.canonicalOrigin, "https://acmechat.dev");
  });
});
