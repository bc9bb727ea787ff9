import { Option, type Command } from 'commander';
import type { CliDeps } from './deps.js';

const formatOption = () => new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text');
const repeat = (v: string, prev: string[] = []) => [...prev, v];

/** `quarry rules …` and `quarry incidents …` (commands load their modules lazily, like the others). */
export function registerDetectionCommands(program: Command, deps: CliDeps, setStatus: (code: number) => void, workspaceOption: () => Option): void {
  const rules = program.command('rules').description('Sentinel analytics rules: validate, test, run');
  rules
    .command('validate')
    .description("check rule files (fields, Sentinel's limits, the query against the catalog); exit 1 if any is invalid")
    .argument('[path]', 'a rule file or folder (default: the workspace rules/ folder)')
    .addOption(formatOption())
    .addOption(workspaceOption())
    .action(async (target: string | undefined, flags) => {
      const { runRulesValidate } = await import('./rules-command.js');
      setStatus(await runRulesValidate(target, flags, deps));
    });
  rules
    .command('test')
    .description('run one rule over past data and show what it would have raised; creates nothing')
    .argument('<file>', 'the rule file')
    .option('--from <time>', 'start of the period (ISO 8601, UTC)')
    .option('--to <time>', 'end of the period (ISO 8601, UTC, or now)')
    .addOption(formatOption())
    .addOption(workspaceOption())
    .action(async (file: string, flags) => {
      const { runRulesTest } = await import('./rules-command.js');
      setStatus(await runRulesTest(file, flags, deps));
    });
  rules
    .command('run')
    .description("run the workspace's enabled rules once now, or replay their schedule over --from/--to, creating alerts and incidents")
    .option('--from <time>', 'start of the period to replay (ISO 8601, UTC)')
    .option('--to <time>', 'end of the period to replay')
    .addOption(workspaceOption())
    .action(async (flags) => {
      const { runRulesRun } = await import('./rules-command.js');
      setStatus(await runRulesRun(flags, deps));
    });

  rules
    .command('schedule')
    .description('run the scheduler in the foreground: scheduled rules on their schedule (catching up missed windows), NRT rules on new data')
    .option('--once', 'one pass over what is due, then exit')
    .addOption(workspaceOption())
    .action(async (flags) => {
      const { runRulesSchedule } = await import('./rules-command.js');
      setStatus(await runRulesSchedule(flags, deps));
    });

  const incidents = program.command('incidents').description('incidents: list, show, update, comment');
  incidents
    .command('list')
    .description('incidents with their current state')
    .option('--status <status>', 'New, Active or Closed')
    .option('--severity <severity>', 'Informational, Low, Medium or High')
    .option('--owner <owner>', 'assigned to')
    .option('--rule <id>', 'raised by this analytics rule id')
    .option('--since <time>', 'created at or after')
    .option('--limit <n>', 'the newest n')
    .addOption(formatOption())
    .addOption(workspaceOption())
    .action(async (flags) => {
      const { runIncidentsList } = await import('./incidents-command.js');
      setStatus(await runIncidentsList(flags, deps));
    });
  incidents
    .command('show')
    .description('one incident with its alerts, entities, events, comments and audit trail')
    .argument('<number>', 'incident number')
    .addOption(formatOption())
    .addOption(workspaceOption())
    .action(async (n: string, flags) => {
      const { runIncidentsShow } = await import('./incidents-command.js');
      setStatus(await runIncidentsShow(n, flags, deps));
    });
  incidents
    .command('update')
    .description('change status, owner, severity, classification or tags')
    .argument('<number>', 'incident number')
    .option('--status <status>', 'New, Active or Closed (closing needs --classification)')
    .option('--owner <owner>', 'assign to (empty to unassign)')
    .option('--severity <severity>', 'Informational, Low, Medium or High')
    .option('--classification <c>', 'TruePositive, BenignPositive, FalsePositive or Undetermined')
    .option('--reason <reason>', 'SuspiciousActivity, SuspiciousButExpected, IncorrectAlertLogic or InaccurateData')
    .option('--comment <text>', 'classification comment')
    .option('--tag <tag>', 'add a tag (repeatable)', repeat)
    .option('--untag <tag>', 'remove a tag (repeatable)', repeat)
    .option('--as <name>', 'who makes the change (default: the OS user)')
    .addOption(workspaceOption())
    .action(async (n: string, flags) => {
      const { runIncidentsUpdate } = await import('./incidents-command.js');
      setStatus(await runIncidentsUpdate(n, flags, deps));
    });
  incidents
    .command('comment')
    .description('add a comment to an incident')
    .argument('<number>', 'incident number')
    .argument('<text>', 'the comment')
    .option('--as <name>', 'author (default: the OS user)')
    .addOption(workspaceOption())
    .action(async (n: string, text: string, flags) => {
      const { runIncidentsComment } = await import('./incidents-command.js');
      setStatus(await runIncidentsComment(n, text, flags, deps));
    });
}
