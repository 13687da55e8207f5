/**
 * Entry of a benchmark worker process (`node --import tsx scripts/bench/worker.ts <task>`): runs one
 * ceiling or the converter-CPU pass with the arguments in BENCH_WORKER_ARGS and prints its result as
 * one `BENCH_RESULT <json>` line. Ceilings run in their own process, as the sink does.
 */
import { consumeOnly, directLoad, type ConsumeOnlyArgs, type DirectLoadArgs } from './ceilings';
import { converterCpu, type ConverterCpuArgs } from './converter-cpu';
import { RESULT_PREFIX, WORKER_ARGS_VARIABLE, type WorkerTask } from './worker-process';

async function main(task: WorkerTask): Promise<unknown> {
  const args = JSON.parse(process.env[WORKER_ARGS_VARIABLE] ?? '{}') as unknown;
  switch (task) {
    case 'consume-only':
      return consumeOnly(args as ConsumeOnlyArgs);
    case 'direct-load':
      return directLoad(args as DirectLoadArgs);
    case 'converter-cpu':
      return converterCpu(args as ConverterCpuArgs);
  }
}

main(process.argv[2] as WorkerTask).then(
  (result) => {
    process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`bench worker ${process.argv[2]} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
