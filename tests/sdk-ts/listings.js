// What a TypeScript user of Hatchet does with schedules and crons, through
// the official SDK: create one of each for a workflow, then list each by
// the workflow's name (the SDK resolves the name to an id through
// `workflow:list`). Prints one JSON line with what it saw; the Rust test
// (tests/tests/sdk_ts.rs) runs it against hatchet-fake and checks it.
//
// Reads HATCHET_CLIENT_TOKEN (and the other HATCHET_CLIENT_* variables) as
// the SDK does; the workflow's name is the first argument.

const { HatchetClient } = require('@hatchet-dev/typescript-sdk/v1');

async function main() {
  const workflow = process.argv[2];
  const hatchet = HatchetClient.init();
  const triggerAt = new Date(Date.UTC(2040, 0, 1));
  const schedule = await hatchet.schedules.create(workflow, {
    triggerAt,
    input: { from: 'typescript' },
    additionalMetadata: { sdk: 'typescript' },
  });
  const cron = await hatchet.crons.create(workflow, {
    name: 'ts-nightly',
    expression: '0 2 * * *',
    input: { from: 'typescript' },
    additionalMetadata: { sdk: 'typescript' },
  });
  const schedules = await hatchet.schedules.list({ workflow });
  const crons = await hatchet.crons.list({ workflow });
  const workflowId = await hatchet.workflows.getWorkflowIdFromName(workflow);
  console.log(
    JSON.stringify({
      workflowId,
      schedule: schedule.metadata.id,
      cron: cron.metadata.id,
      listedSchedules: schedules.rows.map((row) => row.metadata.id),
      listedCrons: crons.rows.map((row) => row.metadata.id),
    }),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error && error.stack ? error.stack : String(error));
    process.exit(1);
  },
);
