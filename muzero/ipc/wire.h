#pragma once
// Little-endian binary encoding of message payloads. The reader checks every length against
// what is left, so a truncated or hostile payload raises DecodeError instead of reading past
// the end or allocating without bound.
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace muzero {

class DecodeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PayloadWriter {
 public:
  template <typename T>
  requires std::is_arithmetic_v<T>
  void put(T value) { append(&value, sizeof(T)); }
  template <typename T>
  requires std::is_arithmetic_v<T>
  void put_vector(std::span<const T> values) {
    put<std::uint64_t>(values.size());
    append(values.data(), values.size_bytes());
  }
  void put_raw(std::span<const std::byte> data) { append(data.data(), data.size()); }
  void put_string(const std::string& text) {
    put_vector(std::span<const char>(text.data(), text.size()));
  }
  std::vector<std::byte>& bytes() { return bytes_; }

 private:
  // Not inlined: inlined into callers with constant sizes, GCC 12 warns falsely about the
  // vector growth (-Wstringop-overflow, -Warray-bounds).
  [[gnu::noinline]] void append(const void* data, std::size_t size) {
    if (size == 0) return;
    const std::size_t at = bytes_.size();
    bytes_.resize(at + size);
    std::memcpy(bytes_.data() + at, data, size);
  }
  std::vector<std::byte> bytes_;
};

class PayloadReader {
 public:
  explicit PayloadReader(std::span<const std::byte> bytes) : bytes_(bytes) {}

  template <typename T>
  requires std::is_arithmetic_v<T> T get() {
    T value;
    std::memcpy(&value, take(sizeof(T)).data(), sizeof(T));
    return value;
  }
  template <typename T>
  requires std::is_arithmetic_v<T> std::vector<T> get_vector() {
    const auto count = get<std::uint64_t>();
    if (count > remaining() / sizeof(T)) throw DecodeError("vector length exceeds the payload");
    std::vector<T> values(count);
    const auto source = take(count * sizeof(T));
    if (count > 0) std::memcpy(values.data(), source.data(), count * sizeof(T));  // never null
    return values;
  }
  std::string get_string() {
    const std::vector<char> chars = get_vector<char>();
    return std::string(chars.begin(), chars.end());
  }
  std::size_t remaining() const { return bytes_.size() - offset_; }
  // Refuses trailing bytes: a payload must be exactly one message.
  void expect_end() const {
    if (remaining() != 0) throw DecodeError("unexpected bytes after the message");
  }

 private:
  std::span<const std::byte> take(std::size_t n) {
    if (n > remaining()) throw DecodeError("payload is truncated");
    const auto out = bytes_.subspan(offset_, n);
    offset_ += n;
    return out;
  }
  std::span<const std::byte> bytes_;
  std::size_t offset_ = 0;
};

}  // namespace muzero
