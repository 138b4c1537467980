#include "faults/call_journal.h"

#include <gtest/gtest.h>

namespace kemu {
namespace {

CallRecord Call(int64_t time_ms, const char* op, const char* stream, int status, const char* fault = "") {
  CallRecord r;
  r.time_ms = time_ms;
  r.operation = op;
  r.stream = stream;
  r.status = status;
  r.fault_id = fault;
  return r;
}

std::vector<uint64_t> Seqs(const std::vector<CallRecord>& calls) {
  std::vector<uint64_t> out;
  for (const auto& c : calls) out.push_back(c.seq);
  return out;
}

class CallJournalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    journal_.Add(Call(1000, "PutRecord", "a", 200));              // 1
    journal_.Add(Call(1500, "PutRecord", "a", 400, "fault-1"));   // 2
    journal_.Add(Call(2100, "GetRecords", "b", 200));             // 3
    journal_.Add(Call(2200, "GetRecords", "b", 500, "fault-2"));  // 4
    journal_.Add(Call(2300, "PutRecords", "a", 0, "fault-3"));    // 5 (dropped connection)
    journal_.Add(Call(4999, "ListStreams", "", 400));             // 6
  }
  std::vector<uint64_t> Find(std::map<std::string, std::string> query, size_t limit = 100) {
    CallFilter f;
    f.limit = limit;
    Status s = ParseCallFilter(query, f);
    EXPECT_TRUE(s.ok()) << s.message();
    return Seqs(journal_.QueryNewest(f));
  }
  CallJournal journal_{100};
};

TEST_F(CallJournalTest, NewestFirstWithLimitAndBefore) {
  EXPECT_EQ(Find({}), (std::vector<uint64_t>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(Find({}, 2), (std::vector<uint64_t>{6, 5}));
  EXPECT_EQ(Find({{"before", "5"}}, 2), (std::vector<uint64_t>{4, 3}));
  EXPECT_EQ(Find({{"before", "1"}}), (std::vector<uint64_t>{}));
  // The old query keeps its order: the most recent `limit`, oldest first.
  EXPECT_EQ(Seqs(journal_.Query("PutRecord", "a", 1)), (std::vector<uint64_t>{2}));
  EXPECT_EQ(Seqs(journal_.Query("", "", 3)), (std::vector<uint64_t>{4, 5, 6}));
}

TEST_F(CallJournalTest, StatusFilters) {
  EXPECT_EQ(Find({{"status", "200"}}), (std::vector<uint64_t>{3, 1}));
  EXPECT_EQ(Find({{"status", "4xx"}}), (std::vector<uint64_t>{6, 2}));
  EXPECT_EQ(Find({{"status", "5xx"}}), (std::vector<uint64_t>{4}));
  EXPECT_EQ(Find({{"status", "0"}}), (std::vector<uint64_t>{5}));
  EXPECT_EQ(Find({{"status", "error"}}), (std::vector<uint64_t>{6, 5, 4, 2}));
  EXPECT_EQ(Find({{"status", ""}}), Find({}));
}

TEST_F(CallJournalTest, FaultFiltersCombineWithTheOthers) {
  EXPECT_EQ(Find({{"fault", "any"}}), (std::vector<uint64_t>{5, 4, 2}));
  EXPECT_EQ(Find({{"fault", "none"}}), (std::vector<uint64_t>{6, 3, 1}));
  EXPECT_EQ(Find({{"fault", "fault-2"}}), (std::vector<uint64_t>{4}));
  EXPECT_EQ(Find({{"fault", "fault-9"}}), (std::vector<uint64_t>{}));
  CallFilter f;
  f.stream = "a";
  ASSERT_TRUE(ParseCallFilter({{"fault", "any"}, {"status", "4xx"}}, f).ok());
  EXPECT_EQ(Seqs(journal_.QueryNewest(f)), (std::vector<uint64_t>{2}));
}

TEST_F(CallJournalTest, BadFiltersAreRefused) {
  for (const char* status : {"abc", "6xx", "1234", "4XX", "-1", "2x"}) {
    CallFilter f;
    EXPECT_FALSE(ParseCallFilter({{"status", status}}, f).ok()) << status;
  }
  for (const char* before : {"x", "-1", "12345678901234567890"}) {
    CallFilter f;
    EXPECT_FALSE(ParseCallFilter({{"before", before}}, f).ok()) << before;
  }
}

TEST_F(CallJournalTest, PerSecondCountsTheWindowByOutcome) {
  const std::vector<CallSecond> s = journal_.PerSecond(/*now_ms=*/4999, /*seconds=*/4);
  ASSERT_EQ(s.size(), 4u);
  EXPECT_EQ(s[0].second, 1);
  EXPECT_EQ(s[3].second, 4);
  // second 1: calls 1 (200) and 2 (400, faulted); second 2: 3 (200), 4 (500, faulted), 5 (dropped, faulted)
  EXPECT_EQ((std::vector<int>{s[0].ok, s[0].client_error, s[0].server_error, s[0].dropped, s[0].faulted}),
            (std::vector<int>{1, 1, 0, 0, 1}));
  EXPECT_EQ((std::vector<int>{s[1].ok, s[1].client_error, s[1].server_error, s[1].dropped, s[1].faulted}),
            (std::vector<int>{1, 0, 1, 1, 2}));
  EXPECT_EQ(s[2].ok + s[2].client_error + s[2].server_error + s[2].dropped, 0);
  EXPECT_EQ(s[3].client_error, 1);
  // A window that ends before the newest calls (the clock moved back) leaves them out; so does one after them.
  const std::vector<CallSecond> early = journal_.PerSecond(1999, 1);
  EXPECT_EQ(early[0].ok + early[0].client_error, 2);
  for (const auto& b : journal_.PerSecond(60000, 30)) EXPECT_EQ(b.ok + b.client_error + b.server_error + b.dropped, 0);
  EXPECT_TRUE(journal_.PerSecond(4999, 0).empty());
}

}  // namespace
}  // namespace kemu
