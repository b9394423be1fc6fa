#include "muzero/metrics/tensorboard_writer.h"

#include <unistd.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

#include "muzero/ipc/crc32c.h"

namespace muzero {
namespace {

// Protocol-buffer wire format, just what Event and Summary need.
class ProtoWriter {
 public:
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      bytes.push_back(static_cast<std::byte>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    bytes.push_back(static_cast<std::byte>(v));
  }
  void tag(int field, int wire_type) { varint(static_cast<std::uint64_t>(field << 3 | wire_type)); }
  void double_field(int field, double v) {
    tag(field, 1);
    append(&v, sizeof v);
  }
  void float_field(int field, float v) {
    tag(field, 5);
    append(&v, sizeof v);
  }
  void int64_field(int field, std::int64_t v) {
    tag(field, 0);
    varint(static_cast<std::uint64_t>(v));
  }
  void bytes_field(int field, const void* data, std::size_t size) {
    tag(field, 2);
    varint(size);
    append(data, size);
  }
  void message_field(int field, const ProtoWriter& message) {
    bytes_field(field, message.bytes.data(), message.bytes.size());
  }
  std::vector<std::byte> bytes;

 private:
  void append(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::byte*>(data);
    bytes.insert(bytes.end(), p, p + size);
  }
};

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::uint32_t masked_crc32c(const std::vector<std::byte>& data) {
  const std::uint32_t crc = crc32c(data);
  return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

TensorBoardWriter::TensorBoardWriter(const std::filesystem::path& directory) {
  std::filesystem::create_directories(directory);
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  path_ = directory / ("events.out.tfevents." +
                       std::to_string(static_cast<long long>(now_seconds())) + "." + host);
  out_.open(path_, std::ios::binary);
  if (!out_) throw std::runtime_error("cannot write TensorBoard events to " + path_.string());
  ProtoWriter event;  // Event { wall_time = 1; file_version = 3 }
  event.double_field(1, now_seconds());
  const std::string version = "brain.Event:2";
  event.bytes_field(3, version.data(), version.size());
  write_record(event.bytes);
  out_.flush();
}

void TensorBoardWriter::add_scalar(const std::string& tag, double value, std::int64_t step) {
  ProtoWriter summary_value;  // Summary.Value { tag = 1; simple_value = 2 }
  summary_value.bytes_field(1, tag.data(), tag.size());
  summary_value.float_field(2, static_cast<float>(value));
  ProtoWriter summary;  // Summary { repeated Value value = 1 }
  summary.message_field(1, summary_value);
  ProtoWriter event;  // Event { wall_time = 1; step = 2; summary = 5 }
  event.double_field(1, now_seconds());
  event.int64_field(2, step);
  event.message_field(5, summary);
  write_record(event.bytes);
}

void TensorBoardWriter::write_record(const std::vector<std::byte>& data) {
  std::vector<std::byte> length(8);
  const std::uint64_t size = data.size();
  std::memcpy(length.data(), &size, sizeof size);  // little-endian on every target we build for
  const std::uint32_t length_crc = masked_crc32c(length);
  const std::uint32_t data_crc = masked_crc32c(data);
  out_.write(reinterpret_cast<const char*>(length.data()), 8);
  out_.write(reinterpret_cast<const char*>(&length_crc), 4);
  out_.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  out_.write(reinterpret_cast<const char*>(&data_crc), 4);
}

}  // namespace muzero
