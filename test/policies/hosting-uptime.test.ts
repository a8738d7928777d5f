import * as assert from "assert";
import { envVar, goodStack, healthCheckWithAlarm, res, secret, T } from "../fixtures/policies/stacks";
import { expectNotApplicable, expectPass, expectViolation, patch, without } from "./helpers";

describe("policies: Vercel environment variables", () => {
  describe("vercel-env-secrets-sensitive", () => {
    it("passes sensitive secrets and plain config", async () => {
      await expectPass("vercel-env-secrets-sensitive", [
        envVar("OPENAI_API_KEY", secret("sk-proj-abcdefghijklmnopqrstuvwxyz0123"), ["production"], true),
        envVar("NEXT_PUBLIC_SITE_URL", "https://example.com", ["production"], false),
        envVar("DATABASE_URL", "postgres://localhost/dev", ["development"], false),
      ]);
    });
    it("reports a secret by name and by value shape, never printing the value", async () => {
      const v = await expectViolation(
        "vercel-env-secrets-sensitive",
        [envVar("SESSION_SECRET", "not-a-real-one", ["production"], false)],
        /SESSION_SECRET \(production\) is not sensitive but its name "SESSION_SECRET" marks a secret/,
      );
      assert.ok(!v.violations.some((x) => x.message.includes("not-a-real-one")));
      const w = await expectViolation(
        "vercel-env-secrets-sensitive",
        [envVar("UPSTREAM", secret("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), ["preview"], false)],
        /UPSTREAM \(preview\) is not sensitive but its value looks like a GitHub token/,
      );
      assert.ok(!w.violations.some((x) => x.message.includes("ghp_")));
    });
  });

  describe("vercel-env-no-client-exposed-secrets", () => {
    it("passes public-by-design keys under a public prefix", async () => {
      await expectPass("vercel-env-no-client-exposed-secrets", [
        envVar("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", "pk_live_51Habcdefghijklmnop", ["production"], false),
        envVar("NEXT_PUBLIC_SUPABASE_ANON_KEY", "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.abcdefghijklmnop", ["production"], false),
        envVar("NEXT_PUBLIC_SITE_URL", "https://example.com", ["production"], false),
      ]);
    });
    it("reports a secret value or a secret name in NEXT_PUBLIC_ / VITE_", async () => {
      await expectViolation(
        "vercel-env-no-client-exposed-secrets",
        [envVar("NEXT_PUBLIC_OPENAI_API_KEY", secret("sk-proj-abcdefghijklmnopqrstuvwxyz0123"), ["production"], true)],
        /NEXT_PUBLIC_OPENAI_API_KEY is shipped to the browser but its value looks like an OpenAI-style API key/,
      );
      await expectViolation(
        "vercel-env-no-client-exposed-secrets",
        [envVar("VITE_DB_PASSWORD", "hunter2hunter2", ["production"], false)],
        /VITE_DB_PASSWORD is shipped to the browser but its name marks a secret \(DB_PASSWORD\)/,
      );
    });
    it("reports a definite secret even under a public-by-design name", async () => {
      await expectViolation(
        "vercel-env-no-client-exposed-secrets",
        [envVar("NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY", "sk_live_abcdefghijklmnop123", ["production"], false)],
        /looks like a Stripe secret key/,
      );
    });
  });

  describe("vercel-env-sensitive-targets", () => {
    it("passes sensitive variables on production and preview", async () => {
      await expectPass("vercel-env-sensitive-targets", [envVar("API_TOKEN", secret("x"), ["production", "preview"], true)]);
    });
    it("reports a sensitive variable targeting development", async () => {
      await expectViolation(
        "vercel-env-sensitive-targets",
        [envVar("API_TOKEN", secret("x"), ["production", "development"], true)],
        /API_TOKEN is sensitive and targets development, which Vercel refuses/,
      );
    });
  });

  describe("vercel-env-production-isolated", () => {
    it("passes separate production and preview secrets, and shared non-secret config", async () => {
      await expectPass("vercel-env-production-isolated", goodStack());
    });
    it("reports a production secret shared with preview", async () => {
      await expectViolation(
        "vercel-env-production-isolated",
        [envVar("DATABASE_URL", secret("postgres://app:pw@db.example.com/prod"), ["production", "preview"], true)],
        /DATABASE_URL targets production and preview with one value and it is sensitive/,
      );
    });
  });

  describe("vercel-env-production-values-not-reused", () => {
    it("passes distinct values", async () => {
      await expectPass("vercel-env-production-values-not-reused", goodStack());
    });
    it("reports a production secret value reused by a preview variable, without the value", async () => {
      const stack = patch(goodStack(), "preview-OPENAI_API_KEY", (p) => (p.value = secret("sk-proj-Prod0123456789abcdefghijklmnop")));
      const v = await expectViolation(
        "vercel-env-production-values-not-reused",
        stack,
        /production OPENAI_API_KEY has the same value as OPENAI_API_KEY \(preview\/development\)/,
      );
      assert.ok(!v.violations.some((x) => x.message.includes("sk-proj")));
    });
  });
});

describe("policies: uptime", () => {
  const check = (props: Record<string, unknown>) =>
    res(T.healthCheck, "hc", {
      type: "HTTPS",
      fqdn: "example.com",
      port: 443,
      resourcePath: "/",
      failureThreshold: 3,
      requestInterval: 30,
      enableSni: true,
      ...props,
    });

  describe("health-check-https", () => {
    it("passes HTTPS and HTTPS_STR_MATCH with SNI", async () => {
      await expectPass("health-check-https", [check({}), check({ type: "HTTPS_STR_MATCH", searchString: "ok" })]);
    });
    it("reports HTTP and SNI off", async () => {
      await expectViolation("health-check-https", [check({ type: "HTTP", port: 80 })], /health check example.com uses HTTP: use HTTPS on port 443/);
      await expectViolation("health-check-https", [check({ enableSni: false })], /enableSni: false/);
    });
    it("does not apply to calculated checks", async () => {
      await expectNotApplicable("health-check-https", [check({ type: "CALCULATED" })]);
    });
  });

  describe("health-check-failure-threshold", () => {
    it("passes 2 and more (and the AWS default when unset)", async () => {
      await expectPass("health-check-failure-threshold", [check({ failureThreshold: 2 }), check({ failureThreshold: undefined })]);
    });
    it("reports 1", async () => {
      await expectViolation("health-check-failure-threshold", [check({ failureThreshold: 1 })], /failureThreshold 1: use at least 2/);
    });
  });

  describe("health-check-targets-alarmed (advisory)", () => {
    it("passes checks with availability and latency alarms beside the down alarm", async () => {
      await expectPass("health-check-targets-alarmed", goodStack());
    });
    it("reports a check with only a down alarm, naming what is missing", async () => {
      const onlyDown = goodStack().filter((r) => !/-(availability|latency)$/.test(r.name));
      const v = await expectViolation(
        "health-check-targets-alarmed",
        onlyDown,
        /^health check example\.com\/ has no availability \(HealthCheckPercentageHealthy\) and no latency \(TimeToFirstByte\) alarm\.$/,
      );
      assert.equal(v.violations.length, 2, "one per check");
    });
  });

  describe("health-check-alarmed", () => {
    it("passes checks tied to an alarm by dependency while the id is unknown (preview)", async () => {
      await expectPass("health-check-alarmed", goodStack());
    });
    it("also matches an alarm to its check by a known dimensions.HealthCheckId", async () => {
      const topic = res(T.snsTopic, "t", {});
      const [hc] = healthCheckWithAlarm("hc", "example.com", "/", { topicUrn: topic.urn });
      hc.props.id = "abcd-1234";
      const alarm = res(T.metricAlarm, "a", {
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: "abcd-1234" },
        comparisonOperator: "LessThanThreshold",
        threshold: 1,
        alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"],
      });
      await expectPass("health-check-alarmed", [hc, alarm]);
    });
    it("reports a check with no alarm", async () => {
      const stack = without(goodStack(), (r) => r.name === "app-alarm");
      await expectViolation("health-check-alarmed", stack, /health check app.example.com\/api\/health has no CloudWatch alarm on HealthCheckStatus/);
    });
    it("reports an alarm with no action, one that cannot fire, and a topic nobody subscribes to", async () => {
      let stack = patch(goodStack(), "apex-alarm", (p) => (p.alarmActions = []));
      await expectViolation("health-check-alarmed", stack, /alarm apex-alarm has no alarmActions/);
      stack = patch(goodStack(), "apex-alarm", (p) => (p.comparisonOperator = "GreaterThanThreshold"));
      await expectViolation("health-check-alarmed", stack, /does not fire when the check fails/);
      stack = without(goodStack(), (r) => r.type === T.snsSubscription);
      await expectViolation("health-check-alarmed", stack, /notifies SNS topic alerts, which has no subscription/);
    });
  });

  describe("web-hosts-monitored", () => {
    it("passes when every proxied web host has a check (www only redirects)", async () => {
      await expectPass("web-hosts-monitored", goodStack());
    });
    it("reports a proxied host without a monitor", async () => {
      const stack = without(goodStack(), (r) => r.name === "app" || r.name === "app-alarm");
      await expectViolation("web-hosts-monitored", stack, /app.example.com is a proxied web hostname with no uptime monitor/);
    });
    it("accepts a deliberate exception", async () => {
      const stack = without(goodStack(), (r) => r.name === "app" || r.name === "app-alarm");
      await expectPass("web-hosts-monitored", stack, { unmonitoredHosts: ["app.example.com"] });
    });
  });
});
