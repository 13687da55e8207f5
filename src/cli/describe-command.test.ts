import * as path from 'node:path';
import { describeCommand } from './describe-command';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'configs');

describe('describeCommand', () => {
  it('prints a table of the values in force for a person by default, secrets hidden', () => {
    const r = describeCommand(path.join(FIXTURES, 'confluent-cloud-avro-upsert.json'));
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^key +value +from$/);
    expect(lines).toContainEqual(expect.stringMatching(/^group\.id +connect-orders-to-databend +computed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^batch\.size +5000 +set$/));
    expect(lines).toContainEqual(expect.stringMatching(/^linger\.ms +1000 +default$/));
    expect(lines).toContainEqual(expect.stringMatching(/^connection\.password +\[hidden\] +set$/));
    for (const secret of ['fixture-databend-password-7f3a', 'fixture-sr-secret-91c2', 'fixture-kafka-secret-55d0']) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('without a config: the key definitions, as a table or (--json) as Kafka Connect lists them', () => {
    const table = describeCommand(undefined);
    expect(table.stdout).toMatch(/^key +type +default +group\n/);
    expect(table.stdout).toMatch(/\nkafka\.api\.secret +PASSWORD +Confluent Cloud\n/);
    const json = JSON.parse(describeCommand(undefined, { json: true }).stdout);
    expect(json.find((d: { name: string }) => d.name === 'connection.query_timeout')).toMatchObject({ type: 'INT', group: 'Connection' });
  });

  it('--json: prints the resolved config with secrets hidden', () => {
    const r = describeCommand(path.join(FIXTURES, 'confluent-cloud-avro-upsert.json'), { json: true });
    expect(r.exitCode).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({ name: 'orders-to-databend', connector_class: 'com.databend.kafka.connect.DatabendSinkConnector', valid: true, warnings: [], notes: [] });
    expect(body.config.connection).toMatchObject({ dsn: 'databend://sink_writer:[hidden]@tn3ftqihs.gw.aws-us-east-2.default.databend.com:443/analytics?sslmode=enable', password: '[hidden]' });
    expect(body.config.valueConverter.basicAuthUserInfo).toBe('[hidden]');
    expect(body.config.kafka.clientSettings['sasl.jaas.config']).toBe('[hidden]');
    expect(body.effective).toMatchObject({ 'group.id': 'connect-orders-to-databend', 'batch.size': '5000', 'linger.ms': '1000', 'connection.password': '[hidden]' });
    for (const secret of ['fixture-databend-password-7f3a', 'fixture-sr-secret-91c2', 'fixture-kafka-secret-55d0']) expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('exits 2 with the problems for an invalid config', () => {
    const r = describeCommand(path.join(FIXTURES, 'five-mistakes.json'), { json: true });
    expect(r.exitCode).toBe(2);
    const body = JSON.parse(r.stdout);
    expect(body.valid).toBe(false);
    expect(body.problems).toHaveLength(5);
  });

  it('exits 2 for a missing file', () => {
    expect(describeCommand(path.join(FIXTURES, 'nope.json')).exitCode).toBe(2);
  });
});
