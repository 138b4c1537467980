// UpdateMaxRecordSize through the wire: the stream's record size cap (1024..10240 KiB) as PutRecord and PutRecords
// then apply it, UPDATING, and the documented errors.
#include "action_test_base.h"

namespace kemu {
namespace {

class UpdateMaxRecordSizeTest : public ActionTestBase {
 protected:
  Answer SetMax(int64_t kib) {
    return Call("UpdateMaxRecordSize", {{"StreamARN", Arn("s")}, {"MaxRecordSizeInKiB", kib}});
  }
  Answer PutBytes(size_t bytes) {
    return Call("PutRecord",
                {{"StreamName", "s"}, {"PartitionKey", "k"}, {"Data", Base64Encode(std::string(bytes, 'x'))}});
  }
};

TEST_F(UpdateMaxRecordSizeTest, RaisesAndLowersTheCap) {
  CreateStream("s");
  Answer raised = SetMax(4096);
  EXPECT_EQ(raised.status, 200) << raised.raw;
  EXPECT_EQ(raised.raw, "");
  EXPECT_EQ(Summary("s")["MaxRecordSizeInKiB"], 4096);
  // Data and partition key together up to 4 MiB.
  EXPECT_EQ(PutBytes(4 * 1024 * 1024 - 1).status, 200);
  ExpectError(PutBytes(4 * 1024 * 1024), "InvalidArgumentException",
              "The record size (data and partition key) of 4194305 bytes exceeds the maximum record size of 4194304 "
              "bytes for stream s.");
  ASSERT_EQ(SetMax(1024).status, 200);
  ExpectError(PutBytes(1024 * 1024), "InvalidArgumentException",
              "The record size (data and partition key) of 1048577 bytes exceeds the maximum record size of 1048576 "
              "bytes for stream s.");
  EXPECT_EQ(SetMax(10240).status, 200);
  EXPECT_EQ(Summary("s")["MaxRecordSizeInKiB"], 10240);
}

TEST_F(UpdateMaxRecordSizeTest, TheRangeIsTheModels) {
  CreateStream("s");
  ExpectError(
      SetMax(1023), "ValidationException",
      OneValidationError("'1023'", "maxRecordSizeInKiB", "Member must have value greater than or equal to 1024"));
  ExpectError(
      SetMax(10241), "ValidationException",
      OneValidationError("'10241'", "maxRecordSizeInKiB", "Member must have value less than or equal to 10240"));
  ExpectError(Call("UpdateMaxRecordSize", {{"StreamARN", Arn("s")}}), "ValidationException",
              OneValidationError("null", "maxRecordSizeInKiB", "Member must not be null"));
  EXPECT_EQ(Summary("s")["MaxRecordSizeInKiB"], 1024);
}

TEST_F(UpdateMaxRecordSizeTest, StreamMustExistAndBeActive) {
  ExpectError(SetMax(2048), "ResourceNotFoundException", NotFound("s"));
  backend_options_.update_stream_ms = 1000;
  Start();
  CreateStream("s");
  ASSERT_EQ(SetMax(2048).status, 200);
  EXPECT_EQ(Summary("s")["StreamStatus"], "UPDATING");
  ExpectError(SetMax(4096), "ResourceInUseException",
              "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING");
  // The new cap applies at once.
  EXPECT_EQ(PutBytes(2 * 1024 * 1024 - 1).status, 200);
}

}  // namespace
}  // namespace kemu
