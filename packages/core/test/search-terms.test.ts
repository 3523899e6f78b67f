import { describe, expect, it } from "vitest";
import {
  MAX_WORDS_PER_USER,
  TERM_SHARDS,
  compareKeys,
  emittingWord,
  matchesAll,
  normalizeText,
  probeWord,
  queryWords,
  searchWords,
  termChanges,
  termItems,
  termRange,
  termSort,
  userShard,
} from "../src/search/search-terms.ts";

const ada = {
  userId: "3f1c2a9e-6f3b-4c1d-9a57-2b8e4d7c1f00",
  email: "ada.king-lovelace+news@example.com",
  username: "countess_ada",
  firstName: "Ada",
  lastName: "Lovelace",
  status: "active",
  createdAt: "2026-11-22T10:15:30.123Z",
};

describe("normalizeText", () => {
  it("folds case, accents and compatibility forms", () => {
    expect(normalizeText("Zoë")).toBe("zoe");
    expect(normalizeText("Ångström")).toBe("angstrom");
    expect(normalizeText("İSTANBUL")).toBe("istanbul");
    expect(normalizeText("ﬁnn")).toBe("finn");
    expect(normalizeText("a\u0000b\u200bc")).toBe("abc");
  });
});

describe("searchWords", () => {
  it("takes the whole address, the local part's pieces, the username and each name's words", () => {
    expect(searchWords(ada)).toEqual([
      "ada.king-lovelace+news@example.com",
      "ada",
      "king",
      "lovelace",
      "news",
      "countess_ada",
    ]);
    expect(searchWords({ email: "x@y.z", firstName: "Mary Ann", lastName: "Ó Briain-Smith" })).toEqual([
      "x@y.z",
      "x",
      "mary",
      "ann",
      "o",
      "briain",
      "smith",
    ]);
  });

  it("keeps at most MAX_WORDS_PER_USER words", () => {
    const many = Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ");
    expect(searchWords({ email: "a@b.c", firstName: many, lastName: "z" })).toHaveLength(MAX_WORDS_PER_USER);
  });
});

describe("queryWords and matching", () => {
  it("splits at white space and drops words a longer one implies", () => {
    expect(queryWords("  Ada   LOV  ad ")).toEqual(["ada", "lov"]);
    expect(probeWord(["ada", "lov", "king"])).toBe("king");
  });

  it("needs every query word to start some word of the user", () => {
    const words = searchWords(ada);
    expect(matchesAll(words, queryWords("ada lov"))).toBe(true);
    expect(matchesAll(words, queryWords("ada.king"))).toBe(true);
    expect(matchesAll(words, queryWords("countess"))).toBe(true);
    expect(matchesAll(words, queryWords("ada smith"))).toBe(false);
    expect(matchesAll(words, queryWords("example"))).toBe(false);
  });

  it("emits a user at its first matching word only", () => {
    expect(emittingWord(["adam", "ada", "lovelace"], "ad")).toBe("ada");
    expect(emittingWord(["adam", "ada"], "x")).toBeUndefined();
  });
});

describe("term keys", () => {
  it("orders by word, then newest first", () => {
    const older = termSort("ada", "2026-01-01T00:00:00.000Z", "b");
    const newer = termSort("ada", "2026-06-01T00:00:00.000Z", "a");
    const longer = termSort("adam", "2027-01-01T00:00:00.000Z", "c");
    const punct = termSort("ada!", "2027-01-01T00:00:00.000Z", "c");
    expect([longer, older, punct, newer].sort(compareKeys)).toEqual([newer, older, punct, longer]);
  });

  it("a range holds every key of words starting with the probe, and resumes strictly after a key", () => {
    const keys = ["ad", "ada", "adam", "adé", "ad\u{1F600}"].map((w) => termSort(w, ada.createdAt, ada.userId));
    const { from, to } = termRange("ad", null);
    expect(keys.every((k) => compareKeys(k, from) >= 0 && compareKeys(k, to) <= 0)).toBe(true);
    const resumed = termRange("ad", keys[1]!);
    expect(compareKeys(resumed.from, keys[1]!)).toBeGreaterThan(0);
    expect(compareKeys(resumed.from, keys[2]!)).toBeLessThan(0);
    expect(compareKeys(termSort("ae", ada.createdAt, ada.userId), to)).toBeGreaterThan(0);
  });

  it("spreads users over the shards", () => {
    const counts = new Array(TERM_SHARDS).fill(0);
    for (let i = 0; i < 8000; i++) counts[userShard(crypto.randomUUID(), TERM_SHARDS)]++;
    expect(Math.min(...counts)).toBeGreaterThan(800);
  });
});

describe("termChanges", () => {
  it("writes nothing when neither words nor status change", () => {
    expect(termChanges(ada, { ...ada, username: "countess_ada" })).toEqual({ remove: [], put: [] });
  });

  it("removes the terms of words that went and puts the new set", () => {
    const { remove, put } = termChanges(ada, { ...ada, lastName: "Byron" });
    expect(remove.map((t) => t.word)).toEqual([]);
    expect(put.map((t) => t.word)).toContain("byron");
    const renamed = termChanges(ada, { ...ada, email: "augusta@example.com", username: null });
    expect(renamed.remove.map((t) => t.word).sort()).toEqual(
      ["ada.king-lovelace+news@example.com", "king", "news", "countess_ada"].sort(), // "ada" stays: the first name
    );
    expect(renamed.put.every((t) => t.words.includes("augusta"))).toBe(true);
  });

  it("rewrites every term when the status changes, and all from scratch for a new user", () => {
    expect(termChanges(ada, { ...ada, status: "suspended" }).put.every((t) => t.status === "suspended")).toBe(true);
    expect(termChanges(null, ada).put).toEqual(termItems(ada));
  });
});
