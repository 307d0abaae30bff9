// The AWS SDK for JavaScript v3, unpatched, against the simulator: a deploy pipeline's calls.
// Run by tests/conformance/test_js_sdk.py with SIM_* variables; prints "ok - <case>" or
// "not ok - <case>: <why>" per case and exits 1 if any failed. `node conformance.mjs describe`
// runs the first case alone (the wrong-shape test points it at a server that lies).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  CreateApplicationVersionCommand, CreateConfigurationTemplateCommand, CreateEnvironmentCommand,
  DescribeApplicationVersionsCommand, DescribeEnvironmentHealthCommand,
  DescribeEnvironmentsCommand, ElasticBeanstalkClient, ElasticBeanstalkSyntheticServiceException,
  InvalidRequestException, SwapEnvironmentCNAMEsCommand, TerminateEnvironmentCommand,
  UpdateEnvironmentCommand, paginateDescribeEvents, waitUntilEnvironmentExists,
  waitUntilEnvironmentTerminated, waitUntilEnvironmentUpdated,
} from "@aws-sdk/client-elastic-beanstalk";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";

const env = process.env;
const config = {
  endpoint: env.SIM_ENDPOINT,
  region: env.AWS_REGION,
  credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  maxAttempts: 1,
};
const eb = new ElasticBeanstalkClient(config);
const s3 = new S3Client({ ...config, forcePathStyle: true });
const APP = env.SIM_APP, BLUE = env.SIM_BLUE, BUCKET = env.SIM_BUCKET;
const GREEN = "shop-js", OTHER = "shop-js-platform";
// the EB waiters poll every 20 s by default; the simulator runs at speed 200
const WAIT = { client: eb, maxWaitTime: 30, minDelay: 1, maxDelay: 1 };
const ASG = "aws:autoscaling:asg";

async function one(name, ...args) {
  const found = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: [name], ...args[0] }));
  return found.Environments.at(-1);
}

async function refused(call) {
  try {
    await call();
  } catch (error) {
    return error;
  }
  assert.fail("the call succeeded");
}

const cases = {
  async describe() {
    const blue = await one(BLUE);
    assert.equal(blue.Status, "Ready");
    assert.equal(blue.Health, "Green");
    assert.ok(blue.DateCreated instanceof Date && !Number.isNaN(blue.DateCreated.getTime()));
    assert.equal(blue.AbortableOperationInProgress, false);  // a boolean, not "false"
    const none = await eb.send(new DescribeEnvironmentsCommand({ EnvironmentNames: ["nope"] }));
    assert.deepEqual(none.Environments, []);  // an empty list, not undefined
  },
  async versions() {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "js/v3.zip", Body: readFileSync(env.SIM_BUNDLE) }));
    const source = { S3Bucket: BUCKET, S3Key: "js/v3.zip" };
    const plain = await eb.send(new CreateApplicationVersionCommand({
      ApplicationName: APP, VersionLabel: "v3", SourceBundle: source }));
    assert.equal(plain.ApplicationVersion.Status, "UNPROCESSED");
    const processed = await eb.send(new CreateApplicationVersionCommand({
      ApplicationName: APP, VersionLabel: "v4", SourceBundle: source, Process: true }));
    assert.equal(processed.ApplicationVersion.Status, "PROCESSING");
    for (let i = 0; i < 100; i += 1) {
      const found = await eb.send(new DescribeApplicationVersionsCommand({ ApplicationName: APP, VersionLabels: ["v4"] }));
      if (found.ApplicationVersions[0].Status === "PROCESSED") return;
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.fail("v4 was never PROCESSED");
  },
  async template() {
    const blue = await one(BLUE);
    const made = await eb.send(new CreateConfigurationTemplateCommand({
      ApplicationName: APP, TemplateName: "js-run", EnvironmentId: blue.EnvironmentId }));
    assert.ok(made.OptionSettings.some((o) => o.Namespace === ASG && o.OptionName === "MaxSize" && o.Value === "7"));
  },
  async environmentFromTemplate() {
    const made = await eb.send(new CreateEnvironmentCommand({
      ApplicationName: APP, EnvironmentName: GREEN, TemplateName: "js-run", VersionLabel: "v3" }));
    assert.equal(made.Status, "Launching");
    const waited = await waitUntilEnvironmentExists(WAIT, { EnvironmentNames: [GREEN] });
    assert.equal(waited.state, "SUCCESS");
    assert.equal((await one(GREEN)).VersionLabel, "v3");
  },
  async environmentFromPlatform() {
    const made = await eb.send(new CreateEnvironmentCommand({
      ApplicationName: APP, EnvironmentName: OTHER, PlatformArn: env.SIM_OLDER_ARN }));
    assert.equal(made.PlatformArn, env.SIM_OLDER_ARN);
    assert.equal(made.SolutionStackName, env.SIM_OLDER_STACK);  // its own stack, not the ARN
    await waitUntilEnvironmentExists(WAIT, { EnvironmentNames: [OTHER] });
  },
  async updateWithOptions() {
    await eb.send(new UpdateEnvironmentCommand({ EnvironmentName: GREEN,
      OptionSettings: [{ Namespace: ASG, OptionName: "MaxSize", Value: "3" }] }));
    const waited = await waitUntilEnvironmentUpdated(WAIT, { EnvironmentNames: [GREEN] });
    assert.equal(waited.state, "SUCCESS");
  },
  async swap() {
    const [blue, green] = [await one(BLUE), await one(GREEN)];
    await eb.send(new SwapEnvironmentCNAMEsCommand({
      SourceEnvironmentName: BLUE, DestinationEnvironmentName: GREEN }));
    await waitUntilEnvironmentUpdated(WAIT, { EnvironmentNames: [BLUE, GREEN] });
    assert.equal((await one(BLUE)).CNAME, green.CNAME);
    assert.equal((await one(GREEN)).CNAME, blue.CNAME);
  },
  async refusedOption() {
    const error = await refused(() => eb.send(new UpdateEnvironmentCommand({ EnvironmentName: GREEN,
      OptionSettings: [{ Namespace: ASG, OptionName: "MinSize", Value: "two" }] })));
    // an unmodeled code: the base class of every service error, named by the code (the
    // pinned SDK names its base class ElasticBeanstalkSyntheticServiceException)
    assert.ok(error instanceof ElasticBeanstalkSyntheticServiceException, error.constructor.name);
    assert.equal(error.name, "ConfigurationValidationException");
    assert.equal(error.$metadata.httpStatusCode, 400);
    assert.match(error.message, /OptionName: 'MinSize'\): Value is not an integer\./);
  },
  async modeledError() {
    const error = await refused(() => eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: "nope" })));
    assert.ok(error instanceof InvalidRequestException, `${error.name}: ${error.message}`);
  },
  async eventPaging() {
    let pages = 0;
    for await (const page of paginateDescribeEvents({ client: eb, pageSize: 2 }, { ApplicationName: APP })) {
      pages += 1;
      assert.ok(page.Events.length <= 2);
      page.Events.forEach((event) => assert.ok(event.EventDate instanceof Date));
      if (pages === 3) break;
    }
    assert.equal(pages, 3);
  },
  async health() {
    const health = await eb.send(new DescribeEnvironmentHealthCommand({ EnvironmentName: BLUE, AttributeNames: ["All"] }));
    assert.equal(health.Color, "Green");
    assert.ok(health.RefreshedAt instanceof Date);
    // All eight counters, as numbers (not text): one instance, Ok.
    assert.deepEqual(health.InstancesHealth, {
      Degraded: 0, Info: 0, NoData: 0, Ok: 1, Pending: 0, Severe: 0, Unknown: 0, Warning: 0,
    });
    assert.deepEqual(health.Causes, []);
  },
  async terminate() {
    await eb.send(new TerminateEnvironmentCommand({ EnvironmentName: OTHER }));
    const waited = await waitUntilEnvironmentTerminated(WAIT, { EnvironmentNames: [OTHER] });
    assert.equal(waited.state, "SUCCESS");
  },
};

const only = process.argv[2];
let failed = 0;
for (const [name, run] of Object.entries(cases)) {
  if (only && name !== only) continue;
  try {
    await run();
    console.log(`ok - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok - ${name}: ${error.name}: ${error.message}`.replaceAll("\n", " "));
  }
}
process.exit(failed ? 1 : 0);
