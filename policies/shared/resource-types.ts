/**
 * The type tokens of the provider resources Launch Ready declares, and of the older or
 * batch resources a hand-written stack may use instead, as the engine names them. The
 * policy pack matches on these strings (loading no provider SDK), and the offline
 * plan's renderer keys its summaries by them.
 */
export const RESOURCE_TYPES = {
  zoneSetting: "cloudflare:index/zoneSetting:ZoneSetting",
  dnsRecord: "cloudflare:index/dnsRecord:DnsRecord",
  ruleset: "cloudflare:index/ruleset:Ruleset",
  botManagement: "cloudflare:index/botManagement:BotManagement",
  notificationPolicy: "cloudflare:index/notificationPolicy:NotificationPolicy",
  tieredCache: "cloudflare:index/tieredCache:TieredCache",
  vercelEnv: "vercel:index/projectEnvironmentVariable:ProjectEnvironmentVariable",
  vercelDomain: "vercel:index/projectDomain:ProjectDomain",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  snsTopic: "aws:sns/topic:Topic",
  snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
  slackChannel: "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
  dashboard: "aws:cloudwatch/dashboard:Dashboard",
  zoneDnssec: "cloudflare:index/zoneDnssec:ZoneDnssec",
  turnstileWidget: "cloudflare:index/turnstileWidget:TurnstileWidget",
  // Judged by the pack, never declared by this program:
  zone: "cloudflare:index/zone:Zone",
  pageRule: "cloudflare:index/pageRule:PageRule",
  zoneSettingsOverride: "cloudflare:index/zoneSettingsOverride:ZoneSettingsOverride",
  vercelEnvBatch: "vercel:index/projectEnvironmentVariables:ProjectEnvironmentVariables",
} as const;
