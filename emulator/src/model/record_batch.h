// RecordBatch: the records of one read from a shard, packed in one buffer.
//
// A read of up to 10,000 records costs one growing allocation instead of three strings per record: each record
// is a fixed header (counter, arrival time, three lengths) followed by its partition key, data and KMS key
// reference. The buffer starts with a batch header that also names the shard's sequence-number base (creation
// seconds and index, set by whoever knows the shard), so a record's sequence number can be derived where it is
// written out (model/sequence_number.h). The buffer alone is the whole value: api/record_list.h carries it
// inside a normalized Json without copying, and RecordBatchView reads it there.
//
// Ownership: RecordBatch owns its buffer; RecordBatchView and the Record fields borrow it.
// Thread-safety: a value type; not shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "model/sequence_number.h"

namespace kemu {

class RecordBatchView {
 public:
  struct Record {
    uint64_t counter = 0;
    int64_t arrival_ms = 0;
    std::string_view partition_key;
    std::string_view data;     // plaintext, or an envelope while key_ref is set (backend/kms.h)
    std::string_view key_ref;  // the emulated KMS key that encrypted the stored data; empty: stored plaintext
  };

  class Iterator {
   public:
    using value_type = Record;
    using difference_type = std::ptrdiff_t;
    Iterator() = default;
    Iterator(const uint8_t* p) : p_(p) {}
    Record operator*() const;
    Iterator& operator++();
    Iterator operator++(int) {
      Iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const Iterator& o) const { return p_ == o.p_; }

   private:
    const uint8_t* p_ = nullptr;
  };

  // `bytes` is a RecordBatch buffer (RecordBatch::IsBuffer says whether it looks like one).
  explicit RecordBatchView(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t size() const;
  bool empty() const { return size() == 0; }
  // Sum of the data and partition key sizes (what the throughput limits count).
  size_t payload_bytes() const;
  // Has at least one record stored encrypted.
  bool any_encrypted() const;
  // The first and last record (the batch must not be empty).
  Record front() const { return *begin(); }
  Record back() const;
  // The sequence number of `r` in this batch's shard.
  SequenceNumberParts SequenceParts(const Record& r) const;

  Iterator begin() const;
  Iterator end() const { return Iterator(bytes_.data() + bytes_.size()); }

 private:
  std::span<const uint8_t> bytes_;
};

class RecordBatch {
 public:
  using Record = RecordBatchView::Record;

  RecordBatch();
  // Adopts a buffer taken from a batch (TakeBuffer), e.g. one that travelled inside a Json value.
  explicit RecordBatch(std::vector<uint8_t> buffer) : buffer_(std::move(buffer)) {}

  // True when `bytes` is at least a batch header with a consistent size (no deep check).
  static bool IsBuffer(std::span<const uint8_t> bytes);

  void Reserve(size_t payload_bytes) { buffer_.reserve(buffer_.size() + payload_bytes); }
  void Append(uint64_t counter, int64_t arrival_ms, std::string_view partition_key, std::string_view data,
              std::string_view key_ref = {});
  // The shard the records belong to, for their sequence numbers.
  void SetSequenceBase(int64_t shard_created_s, uint32_t shard_index);

  RecordBatchView view() const { return RecordBatchView(buffer_); }
  size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  size_t payload_bytes() const { return view().payload_bytes(); }
  Record front() const { return view().front(); }
  Record back() const { return view().back(); }
  RecordBatchView::Iterator begin() const { return view().begin(); }
  RecordBatchView::Iterator end() const { return view().end(); }

  // Moves the buffer out; the batch is empty (no header) afterwards and must not be used but to be destroyed.
  std::vector<uint8_t> TakeBuffer() && { return std::move(buffer_); }

 private:
  std::vector<uint8_t> buffer_;
};

}  // namespace kemu
