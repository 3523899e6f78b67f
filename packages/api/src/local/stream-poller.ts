import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  type ShardIteratorType,
} from "@aws-sdk/client-dynamodb-streams";
import { awsClientDeadlines, config, dynamo } from "@users/core";
import { compareSequenceNumbers, type StreamRecord } from "@users/core/events/index";
import type { CheckpointStore } from "./checkpoint.ts";

/** What the poller hands a batch of records to; it answers which ones must be delivered again. */
export type RecordsHandler = (records: StreamRecord[], shardId: string) => Promise<{ failedSequenceNumbers: string[] }>;

export interface StreamPollerOptions {
  /** The stream to read, or the table whose latest stream to read. */
  streamArn?: string;
  tableName?: string;
  checkpoints: CheckpointStore;
  handleRecords: RecordsHandler;
  streams?: DynamoDBStreamsClient;
  /** Records per GetRecords (1–1000, default 1000). */
  batchSize?: number;
  /** Where a shard with no checkpoint starts (default TRIM_HORIZON: everything the stream still holds). */
  startingPosition?: "TRIM_HORIZON" | "LATEST";
  /** Pause when there is nothing new (default 250 ms). */
  idleDelayMs?: number;
  /** First pause after a batch had failures; doubles per consecutive failure, up to 30 s (default 500 ms). */
  retryDelayMs?: number;
  /**
   * After this many consecutive failures of the same record, hand the failed records to `deadLetter` and
   * move on (like an event source mapping's maximum retry attempts and on-failure destination). Without
   * `deadLetter` the poller retries forever: nothing is skipped.
   */
  maxRetries?: number;
  deadLetter?: (records: StreamRecord[], shardId: string, streamArn: string) => Promise<void>;
  /**
   * Called after a batch was handled and before its checkpoint is saved. Tests use it to "kill" the relay
   * in between (throwing stops the poller without saving), which must lead to redelivery, never to loss.
   */
  beforeCheckpoint?: (position: { shardId: string; sequenceNumber: string }) => Promise<void> | void;
  log?: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
}

interface ShardState {
  shardId: string;
  parentShardId?: string;
  iterator?: string;
  checkpoint?: string;
  /** Found after start-up (a child of a split shard): read from its first record, whatever startingPosition says. */
  fromStart: boolean;
  finished: boolean;
  failingSequence?: string;
  failures: number;
  retryAt: number;
}

const DESCRIBE_EVERY_MS = 10_000;

function defaultLog(level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) {
  console[level](JSON.stringify({ level, message, ...details }));
}

/**
 * Reads a DynamoDB stream (DynamoDB Local's, for `npm start` and the tests) the way Lambda's event source
 * mapping does: shard by shard, parents before children, batch after batch, handing each batch to
 * `handleRecords` and saving a checkpoint only once the batch is handled. A batch with failed records is
 * checkpointed just before the first failure and read again after a backoff, so delivery is at least
 * once: a crash between handling and checkpointing means those records are delivered again.
 */
export class StreamPoller {
  readonly #options: StreamPollerOptions;
  readonly #streams: DynamoDBStreamsClient;
  readonly #log: NonNullable<StreamPollerOptions["log"]>;
  readonly #shards = new Map<string, ShardState>();
  #streamArn?: string;
  #describedAt = 0;
  #running = false;
  #loop?: Promise<void>;
  #wake?: () => void;

  constructor(options: StreamPollerOptions) {
    if (!options.streamArn && !options.tableName) throw new Error("StreamPoller needs a streamArn or a tableName");
    this.#options = options;
    this.#log = options.log ?? defaultLog;
    this.#streams =
      options.streams ??
      new DynamoDBStreamsClient({
        region: config().region,
        endpoint: config().dynamoEndpoint,
        ...awsClientDeadlines(),
        ...(config().dynamoEndpoint ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
      });
  }

  get streamArn(): string | undefined {
    return this.#streamArn;
  }

  async #resolveStreamArn(): Promise<string> {
    if (this.#streamArn) return this.#streamArn;
    if (this.#options.streamArn) return (this.#streamArn = this.#options.streamArn);
    const { Table } = await dynamo().send(new DescribeTableCommand({ TableName: this.#options.tableName }));
    if (!Table?.LatestStreamArn) throw new Error(`Table ${this.#options.tableName} has no stream enabled`);
    return (this.#streamArn = Table.LatestStreamArn);
  }

  async #describeShards(streamArn: string): Promise<void> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const { StreamDescription } = await this.#streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      shards.push(...(StreamDescription?.Shards ?? []));
      start = StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const initial = this.#shards.size === 0;
    const checkpoints = initial ? await this.#options.checkpoints.load(streamArn) : {};
    for (const shard of shards) {
      if (!shard.ShardId || this.#shards.has(shard.ShardId)) continue;
      this.#shards.set(shard.ShardId, {
        shardId: shard.ShardId,
        parentShardId: shard.ParentShardId,
        checkpoint: checkpoints[shard.ShardId],
        fromStart: !initial,
        finished: false,
        failures: 0,
        retryAt: 0,
      });
    }
    this.#describedAt = Date.now();
  }

  async #iterator(streamArn: string, shard: ShardState): Promise<string | undefined> {
    const position: { ShardIteratorType: ShardIteratorType; SequenceNumber?: string } = shard.checkpoint
      ? { ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: shard.checkpoint }
      : { ShardIteratorType: shard.fromStart ? "TRIM_HORIZON" : (this.#options.startingPosition ?? "TRIM_HORIZON") };
    try {
      const { ShardIterator } = await this.#streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.shardId, ...position }),
      );
      return ShardIterator;
    } catch (error) {
      if ((error as Error).name !== "TrimmedDataAccessException") throw error;
      // The stream no longer holds the checkpoint's records (older than its retention): say so loudly.
      this.#log("error", "Stream records after the checkpoint were trimmed before being relayed", {
        streamArn,
        shardId: shard.shardId,
        checkpoint: shard.checkpoint,
      });
      const { ShardIterator } = await this.#streams.send(
        new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shard.shardId, ShardIteratorType: "TRIM_HORIZON" }),
      );
      return ShardIterator;
    }
  }

  async #checkpoint(streamArn: string, shard: ShardState, sequenceNumber: string): Promise<void> {
    await this.#options.beforeCheckpoint?.({ shardId: shard.shardId, sequenceNumber });
    await this.#options.checkpoints.save(streamArn, shard.shardId, sequenceNumber);
    shard.checkpoint = sequenceNumber;
  }

  /** A batch is done (handled, or dead-lettered): clear its failures, checkpoint it, read on. */
  async #moveOn(streamArn: string, shard: ShardState, last: string, next: string | undefined): Promise<void> {
    shard.failures = 0;
    shard.failingSequence = undefined;
    await this.#checkpoint(streamArn, shard, last);
    shard.iterator = next;
    if (!shard.iterator) shard.finished = true;
  }

  /** Reads and handles one batch from each readable shard; resolves with how many records it read. */
  async pollOnce(): Promise<number> {
    const streamArn = await this.#resolveStreamArn();
    if (this.#shards.size === 0 || Date.now() - this.#describedAt > DESCRIBE_EVERY_MS) {
      await this.#describeShards(streamArn);
    }
    let read = 0;
    for (const shard of this.#shards.values()) {
      if (shard.finished || Date.now() < shard.retryAt) continue;
      const parent = shard.parentShardId ? this.#shards.get(shard.parentShardId) : undefined;
      if (parent && !parent.finished) continue; // a child's records come after its parent's
      read += await this.#pollShard(streamArn, shard);
    }
    return read;
  }

  async #pollShard(streamArn: string, shard: ShardState): Promise<number> {
    shard.iterator ??= await this.#iterator(streamArn, shard);
    if (!shard.iterator) {
      shard.finished = true;
      return 0;
    }
    let result;
    try {
      result = await this.#streams.send(
        new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.#options.batchSize ?? 1000 }),
      );
    } catch (error) {
      if ((error as Error).name === "ExpiredIteratorException") {
        shard.iterator = undefined; // start again from the checkpoint
        return 0;
      }
      throw error;
    }
    const records = (result.Records ?? []) as StreamRecord[];
    if (records.length === 0) {
      shard.iterator = result.NextShardIterator;
      if (!shard.iterator) shard.finished = true; // a closed shard, read to its end
      return 0;
    }

    const { failedSequenceNumbers } = await this.#options.handleRecords(records, shard.shardId);
    const last = records[records.length - 1]!.dynamodb!.SequenceNumber!;
    if (failedSequenceNumbers.length === 0) {
      await this.#moveOn(streamArn, shard, last, result.NextShardIterator);
      return records.length;
    }

    const firstFailed = [...failedSequenceNumbers].sort(compareSequenceNumbers)[0]!;
    shard.failures = shard.failingSequence === firstFailed ? shard.failures + 1 : 1;
    shard.failingSequence = firstFailed;
    const maxRetries = this.#options.maxRetries ?? 10;
    if (this.#options.deadLetter && shard.failures > maxRetries) {
      const failed = new Set(failedSequenceNumbers);
      const dead = records.filter((r) => failed.has(r.dynamodb?.SequenceNumber ?? ""));
      await this.#options.deadLetter(dead, shard.shardId, streamArn);
      this.#log("error", "Stream records sent to the dead-letter store after repeated failures", {
        streamArn,
        shardId: shard.shardId,
        sequenceNumbers: failedSequenceNumbers,
        attempts: shard.failures,
      });
      await this.#moveOn(streamArn, shard, last, result.NextShardIterator);
      return records.length;
    }

    // Keep what succeeded before the first failure; read again from there after a backoff.
    const before = records.filter((r) => compareSequenceNumbers(r.dynamodb!.SequenceNumber!, firstFailed) < 0);
    if (before.length > 0) await this.#checkpoint(streamArn, shard, before[before.length - 1]!.dynamodb!.SequenceNumber!);
    shard.iterator = undefined;
    const delay = Math.min(30_000, (this.#options.retryDelayMs ?? 500) * 2 ** (shard.failures - 1));
    shard.retryAt = Date.now() + delay;
    this.#log("warn", "Stream records failed; retrying from the first failure", {
      streamArn,
      shardId: shard.shardId,
      firstFailed,
      failed: failedSequenceNumbers.length,
      attempt: shard.failures,
      retryInMs: delay,
    });
    return records.length;
  }

  /** Polls until a pass over every shard reads nothing new (tests, scripts). */
  async drain(): Promise<void> {
    while ((await this.pollOnce()) > 0);
  }

  /**
   * Polls in the background until `stop()`. An error (DynamoDB Local restarting, a failing checkpoint
   * write) is logged and the loop carries on from the last checkpoint after a pause: nothing is skipped.
   */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      let errors = 0;
      while (this.#running) {
        let read = 0;
        try {
          read = await this.pollOnce();
          errors = 0;
        } catch (error) {
          errors += 1;
          // Whatever was in hand is read again from the checkpoint.
          for (const shard of this.#shards.values()) shard.iterator = undefined;
          this.#log("error", "Stream poller error; retrying from the checkpoint", {
            error: (error as Error).message,
            attempt: errors,
          });
        }
        if (read === 0 && this.#running) {
          const pause = errors > 0 ? Math.min(30_000, 1000 * 2 ** (errors - 1)) : (this.#options.idleDelayMs ?? 250);
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pause);
            this.#wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.#wake = undefined;
        }
      }
    })();
  }

  get running(): boolean {
    return this.#running;
  }

  /** Stops after the batch in hand is handled and checkpointed. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }
}
