/**
 * `npm run plan -- --program`: a hand-written Pulumi program through the same mocks,
 * conformance stage and policy pack as Launch Ready's own.
 */
import { strict as assert } from "assert";
import * as path from "path";

import { main } from "../../tools/cli/plan";
import { runMain } from "../helpers/cli";

/** `npm run plan -- <args>`, in-process through main(argv, io). */
const plan = (...args: string[]) => runMain(main, args);

const program = (name: string) => path.join("test", "fixtures", "programs", name, "index.ts");

describe("npm run plan --program (a hand-written stack)", function () {
  this.timeout(180_000);

  it("passes a clean hand-written program", async () => {
    const { code, out, err } = await plan("--program", program("clean"), "--zone-plan", "free", "--no-policy");
    assert.equal(code, 0, err + out);
    assert.match(out, /^Conformance: passed \(9 resources; 9 checked against their SDK's declared shape/m);
  });

  it("refuses an invalid zone setting value, a period Cloudflare does not offer, a misspelt key and Chatbot in us-east-1, naming each", async () => {
    const { code, out } = await plan("--program", program("bad"), "--zone-plan", "free", "--no-policy");
    assert.equal(code, 1);
    const errors = out.split("\n").filter((l) => l.startsWith("error ["));
    assert.deepEqual(errors, [
      'error [shape] ratelimit (cloudflare:index/ruleset:Ruleset) rules[0].ratelimit.requestsPerPerod: is not a property of RulesetRuleRatelimit; did you mean "requestsPerPeriod"?',
      "error [shape] ratelimit (cloudflare:index/ruleset:Ruleset) rules[1].action: is required by RulesetRule and missing.",
      'error [value] ssl (cloudflare:index/zoneSetting:ZoneSetting) value = "strictest": is not a value of the "ssl" setting.',
      'error [value] hsts (cloudflare:index/zoneSetting:ZoneSetting) value.strict_transport_security.maxAge = 31536000: has the key "maxAge": ZoneSetting.value reaches the API untranslated, so a camelCase key never converges (pulumi/pulumi-cloudflare#1579); write "max_age".',
      "error [value] ratelimit (cloudflare:index/ruleset:Ruleset) rules[0].ratelimit.period = 50: is not a value the provider accepts.",
      "error [plan-limit] ratelimit (cloudflare:index/ruleset:Ruleset) rules = 2 rules: phase http_ratelimit holds too many rules on the Free plan.",
      "error [plan-limit] ratelimit (cloudflare:index/ruleset:Ruleset) rules[0].ratelimit.period = 50: is not a counting period this plan offers on the Free plan.",
      'error [region] slack (aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration) region = "us-east-1": AWS Chatbot (Amazon Q Developer in chat applications) has no API in us-east-1.',
    ]);
    assert.match(
      out,
      /allowed: us-east-2, us-west-2, eu-west-1, ap-southeast-1\n\s+source: https:\/\/docs\.aws\.amazon\.com\/general\/latest\/gr\/chatbot\.html/,
    );
    assert.match(out, /^Conformance: FAILED with 8 error\(s\)/m);
  });

  it("refuses a 101-character record comment on a Free zone, naming the limit and its source, and accepts it on Pro", async () => {
    const free = await plan("--program", program("long-comment"), "--zone-plan", "free", "--no-policy");
    assert.equal(free.code, 1, free.err + free.out);
    assert.match(
      free.out,
      /^error \[plan-limit\] shop \(cloudflare:index\/dnsRecord:DnsRecord\) comment = 101 characters: is longer than a DNS record comment may be on the Free plan\.\n\s+allowed: at most 100 characters\n\s+source: https:\/\/developers\.cloudflare\.com\/dns\/manage-dns-records\/reference\/record-attributes\/ .*dns\.record_comments\.character_limit.*error 9313/m,
    );
    const pro = await plan("--program", program("long-comment"), "--zone-plan", "pro", "--no-policy");
    assert.equal(pro.code, 0, pro.err + pro.out);
    assert.match(pro.out, /^Conformance: passed/m);
  });

  it("refuses a duplicate URN the way the engine does, naming both registrations", async () => {
    const { code, err } = await plan("--program", program("duplicate"), "--no-policy");
    assert.equal(code, 1);
    assert.match(
      err,
      /^error: Duplicate resource URN 'urn:pulumi:prod::duplicate::cloudflare:index\/dnsRecord:DnsRecord::www'; try giving it a unique name: cloudflare:index\/dnsRecord:DnsRecord "www" and cloudflare:index\/dnsRecord:DnsRecord "www" both register it/,
    );
    assert.equal(err.split("\n").filter(Boolean).length, 1, `one message, no stack trace:\n${err}`);
  });

  it("runs the policy pack over a hand-written program too, and JSON carries the conformance result", async () => {
    const { out } = await plan("--program", program("bad"), "--zone-plan", "free", "--json");
    const json = JSON.parse(out);
    assert.equal(json.conformance.passed, false);
    assert.equal(json.conformance.findings.length, 8);
    assert.ok(Array.isArray(json.policy.verdicts) && json.policy.verdicts.length > 20);
  });

  it("bad usage exits 2", async () => {
    assert.equal((await plan("--program", "no/such/index.ts")).code, 2);
    assert.equal((await plan("--zone-plan", "gold")).code, 2);
  });
});
