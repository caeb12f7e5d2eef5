// The Prometheus text parser lives in @datum-telemetry/conventions/prometheus (the metrics tests use
// it too); it is exported here as well, as it was before it moved.
export type {
  PrometheusExposition,
  PrometheusFamily,
  PrometheusParseError,
  PrometheusParseOptions,
  PrometheusSample,
  PrometheusType,
} from '@datum-telemetry/conventions/prometheus';
export { parsePrometheusText } from '@datum-telemetry/conventions/prometheus';
export { buildRuleTests } from './alerts/rule-tests.js';
export type {
  AlertingRule,
  BurnWindow,
  GeneratedRules,
  RecordingRule,
  RuleFile,
  RuleGroup,
  SloAlert,
} from './alerts/rules.js';
export { BURN_RATE_ALERTS, buildRules, SLO_WINDOWS } from './alerts/rules.js';
export type { YamlValue } from './alerts/yaml.js';
export { toYaml } from './alerts/yaml.js';
export { CHECKS } from './checks/registry.js';
export { runCli } from './cli.js';
export type { DashboardOptions } from './dashboard/build.js';
export { buildDashboard, DASHBOARD_SCOPE, DASHBOARD_VARIABLES } from './dashboard/build.js';
export { CliError, ExitCode, StartupError, UsageError } from './errors.js';
export { formatJsonReport, JSON_REPORT_FORMAT } from './report/json.js';
export { formatJunitReport } from './report/junit.js';
export { receivedCounts } from './report/summary.js';
export { formatTextReport } from './report/text.js';
export { nextSteps, scaffoldFiles } from './scaffold/templates.js';
export type {
  CapturedLine,
  CheckDescription,
  CheckId,
  CheckResult,
  CliIo,
  CollectedTelemetry,
  DeclaredMetric,
  DeclaredOperation,
  DeclaredResource,
  DrivenRequest,
  ExportProblem,
  FailOn,
  FindingLevel,
  FindingSignal,
  PrometheusScrape,
  ReceivedCounts,
  ReportData,
  ScaffoldFile,
  ScaffoldFramework,
  ScaffoldOptions,
  Scenario,
  ScenarioRequest,
  ServiceRun,
  TelemetryDefinition,
  TelemetryDefinitionInput,
  TextReportOptions,
  ValidateOptions,
  ValidationFinding,
  ValidationResult,
} from './types.js';
export {
  loadDefinitionFile,
  mergeDefinitions,
  normalizeDefinition,
} from './validate/definition.js';
export { normalizeScenario } from './validate/scenario.js';
export { DEFAULT_MAX_SERIES, runChecks, validateTelemetry } from './validate-telemetry.js';
