// One field list for both directions of a saved options section: a file's
// encoder and decoder call the same template, `OptionFields(io, options,
// ...)`, with an OptionsWriter or an OptionsReader, so the order and the
// widths of the fields are written once and cannot drift apart.
#ifndef STORYSIFT_STREAM_OPTION_FIELDS_H_
#define STORYSIFT_STREAM_OPTION_FIELDS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "stream/bytes.h"

namespace storysift::internal {

// Appends each field, little-endian, at the width its call names.
class OptionsWriter {
 public:
  explicit OptionsWriter(std::string* out) : w_(out) {}
  // Every field is written: the writer always writes the newest version.
  bool Since(uint32_t /*version*/) const { return true; }
  template <typename T>
  void U8(const T& v) { w_.U8(static_cast<uint8_t>(v)); }
  template <typename T>
  void U32(const T& v) { w_.U32(static_cast<uint32_t>(v)); }
  void U64(const uint64_t& v) { w_.U64(v); }
  void I32(const int32_t& v) { w_.I32(v); }
  void I64(const int64_t& v) { w_.I64(v); }
  // A float is stored as f64 (its exact value).
  template <typename T>
  void F64(const T& v) { w_.F64(static_cast<double>(v)); }

 private:
  ByteWriter w_;
};

// Reads each field back into its member. A failed read (too few bytes)
// sticks: the later fields keep their values and ok() is false. Values the
// member cannot hold are recorded, not fatal, for the caller to name.
class OptionsReader {
 public:
  // `version`: the file's format version; fields added later are absent.
  OptionsReader(std::string_view payload, uint32_t version) : r_(payload), version_(version) {}
  bool Since(uint32_t version) const { return version_ >= version; }
  template <typename T>
  void U8(T& v) {
    uint8_t x = 0;
    if (!Read(&ByteReader::U8, &x)) return;
    if constexpr (std::is_same_v<T, bool>) bad_flag_ |= x > 1;
    v = static_cast<T>(x);
  }
  template <typename T>
  void U32(T& v) {
    uint32_t x = 0;
    if (Read(&ByteReader::U32, &x)) v = static_cast<T>(x);
  }
  void U64(uint64_t& v) { Read(&ByteReader::U64, &v); }
  void I32(int32_t& v) { Read(&ByteReader::I32, &v); }
  void I64(int64_t& v) { Read(&ByteReader::I64, &v); }
  template <typename T>
  void F64(T& v) {
    double x = 0;
    if (!Read(&ByteReader::F64, &x)) return;
    v = static_cast<T>(x);
    if constexpr (std::is_same_v<T, float>) inexact_ |= static_cast<double>(v) != x;
  }

  // True when every field was read and no byte is left over.
  bool complete() { return ok_ && r_.remaining() == 0; }
  // A flag (bool) field held a byte other than 0 or 1.
  bool bad_flag() const { return bad_flag_; }
  // An f64 field read into a float did not hold a float's value (or NaN).
  bool inexact() const { return inexact_; }

 private:
  template <typename T>
  bool Read(bool (ByteReader::*read)(T*), T* out) {
    ok_ = ok_ && (r_.*read)(out);
    return ok_;
  }
  ByteReader r_;
  uint32_t version_;
  bool ok_ = true;
  bool bad_flag_ = false;
  bool inexact_ = false;
};

}  // namespace storysift::internal

#endif  // STORYSIFT_STREAM_OPTION_FIELDS_H_
