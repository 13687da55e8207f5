/**
 * kafkajs 2.2.4 internals the sink relies on (the package is pinned): the per-connection request
 * queue, whose idle re-check kafkajs-runtime.ts corrects, the consumer group whose fetch limits it
 * sets before each fetch, and the protocol and retry modules whose real error shapes the tests build.
 */
declare module 'kafkajs/src/network/requestQueue' {
  class RequestQueue {
    constructor(options: { maxInFlightRequests: number | null; requestTimeout: number; enforceRequestTimeout: boolean; clientId: string; broker: string; logger: unknown });
    pending: unknown[];
    /** ms since the epoch until which the broker throttles this client; -1 when it never did. */
    throttledUntil: number;
    throttleCheckTimeoutId: NodeJS.Timeout | null;
    checkPendingRequests(): void;
    scheduleCheckPendingRequests(): void;
  }
  export = RequestQueue;
}

declare module 'kafkajs/src/consumer/consumerGroup' {
  /** What `fetch` reads: the group and the limits it puts in its Fetch request. */
  class ConsumerGroup {
    groupId: string;
    maxBytesPerPartition: number;
    maxBytes: number;
    fetch(nodeId: string): Promise<unknown[]>;
  }
  export = ConsumerGroup;
}

declare module 'kafkajs/src/protocol/error' {
  import type { KafkaJSProtocolError } from 'kafkajs';
  export function createErrorFromCode(code: number): KafkaJSProtocolError;
}

declare module 'kafkajs/src/retry' {
  type Retrier = <T>(fn: (bail: (err: Error) => void, retryCount: number, retryTime: number) => Promise<T>) => Promise<T>;
  function createRetry(options?: { retries?: number; initialRetryTime?: number }): Retrier;
  export = createRetry;
}

declare module 'kafkajs/src/protocol/recordBatch/v0' {
  import type { Encoder } from 'kafkajs';
  export function RecordBatch(batch: { compression?: number; records: Encoder[] }): Promise<Encoder>;
}

declare module 'kafkajs/src/protocol/recordBatch/record/v0' {
  import type { Encoder } from 'kafkajs';
  function Record(record: { offsetDelta?: number; key: Buffer | null; value: Buffer | null }): Encoder;
  export = Record;
}

declare module 'kafkajs/src/protocol/recordBatch/v0/decoder' {
  function decodeRecordBatch(decoder: unknown): Promise<{ records: { offset: string; key: Buffer | null; value: Buffer | null }[] }>;
  export = decodeRecordBatch;
}

declare module 'kafkajs/src/protocol/decoder' {
  class Decoder {
    constructor(buffer: Buffer);
  }
  export = Decoder;
}

declare module 'kafkajs/src/errors' {
  /** kafkajs's own test for the errors its runner answers by rejoining the group. */
  export function isRebalancing(err: unknown): boolean;
}

declare module 'lz4js/xxh32.js' {
  /** XXH32 of `len` bytes of `src` from `index`. */
  export function hash(seed: number, src: Uint8Array, index: number, len: number): number;
}
