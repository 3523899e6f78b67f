import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from "@aws-sdk/client-dynamodb-streams";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { StreamRecord } from "@users/core/events/index";
import { memoryCheckpointStore } from "../../src/local/checkpoint.ts";
import { StreamPoller } from "../../src/local/stream-poller.ts";

const streams = mockClient(DynamoDBStreamsClient);
const streamArn = "arn:aws:dynamodb:local:0:table/t/stream/1";
const rec = (n: number): StreamRecord => ({ eventName: "INSERT", dynamodb: { SequenceNumber: String(n) } });

/** One shard holding records 1..3; iterators name the position after which they read. */
function fakeStream() {
  streams.reset();
  streams.on(DescribeStreamCommand).resolves({ StreamDescription: { Shards: [{ ShardId: "s1" }] } });
  streams.on(GetShardIteratorCommand).callsFake((input) => ({
    ShardIterator: input.ShardIteratorType === "AFTER_SEQUENCE_NUMBER" ? `after:${input.SequenceNumber}` : "after:0",
  }));
  streams.on(GetRecordsCommand).callsFake((input) => {
    const after = Number(input.ShardIterator.split(":")[1]);
    const records = [1, 2, 3].filter((n) => n > after).map(rec);
    return { Records: records, NextShardIterator: `after:${records.length ? 3 : after}` };
  });
}

const client = () => new DynamoDBStreamsClient({ region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

describe("the stream poller", () => {
  beforeEach(fakeStream);

  it("checkpoints just before the first failed record, and reads again from there", async () => {
    const checkpoints = memoryCheckpointStore();
    const batches: string[][] = [];
    let failuresLeft = 2;
    const poller = new StreamPoller({
      streamArn,
      streams: client(),
      checkpoints,
      retryDelayMs: 0,
      log: () => {},
      handleRecords: async (records) => {
        batches.push(records.map((r) => r.dynamodb!.SequenceNumber!));
        return { failedSequenceNumbers: failuresLeft-- > 0 ? ["2"] : [] };
      },
    });
    await poller.pollOnce();
    expect(checkpoints.snapshot()).toEqual({ [streamArn]: { s1: "1" } });
    await poller.pollOnce();
    await poller.pollOnce();
    expect(batches).toEqual([["1", "2", "3"], ["2", "3"], ["2", "3"]]);
    expect(checkpoints.snapshot()).toEqual({ [streamArn]: { s1: "3" } });
    await poller.pollOnce();
    expect(batches).toHaveLength(3);
  });

  it("without a dead-letter store it never skips a failing record; with one it hands it over after maxRetries", async () => {
    const dead: StreamRecord[][] = [];
    const checkpoints = memoryCheckpointStore();
    const options = {
      streamArn,
      streams: client(),
      checkpoints,
      retryDelayMs: 0,
      log: () => {},
      handleRecords: async () => ({ failedSequenceNumbers: ["2"] }),
    };
    const stubborn = new StreamPoller(options);
    for (let i = 0; i < 20; i++) await stubborn.pollOnce();
    expect(checkpoints.snapshot()[streamArn]).toEqual({ s1: "1" });

    const giving = new StreamPoller({ ...options, maxRetries: 3, deadLetter: async (records) => void dead.push(records) });
    for (let i = 0; i < 4; i++) await giving.pollOnce();
    expect(dead).toEqual([[rec(2)]]);
    expect(checkpoints.snapshot()[streamArn]).toEqual({ s1: "3" });
  });

  it("resumes after its saved checkpoint", async () => {
    const checkpoints = memoryCheckpointStore();
    await checkpoints.save(streamArn, "s1", "2");
    const seen: string[] = [];
    const poller = new StreamPoller({
      streamArn,
      streams: client(),
      checkpoints,
      log: () => {},
      handleRecords: async (records) => {
        seen.push(...records.map((r) => r.dynamodb!.SequenceNumber!));
        return { failedSequenceNumbers: [] };
      },
    });
    await poller.drain();
    expect(seen).toEqual(["3"]);
  });
});
