#include "muzero/metrics/tensorboard_writer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>

namespace muzero {
namespace {

struct Scalar {
  std::string tag;
  float value = 0;
  std::int64_t step = 0;
};

// A minimal reader of the record format and the Event fields we write, independent of the writer.
std::uint64_t read_varint(const std::vector<std::byte>& data, std::size_t& at) {
  std::uint64_t v = 0;
  for (int shift = 0;; shift += 7) {
    const auto b = std::to_integer<std::uint64_t>(data.at(at++));
    v |= (b & 0x7F) << shift;
    if (!(b & 0x80)) return v;
  }
}

// One field of a protocol-buffer message.
struct Field {
  int number = 0;
  int wire = 0;
  std::uint64_t varint = 0;
  std::vector<std::byte> bytes;  // fixed64, fixed32 and length-delimited contents
};

std::vector<Field> fields_of(const std::vector<std::byte>& data) {
  std::vector<Field> fields;
  std::size_t at = 0;
  while (at < data.size()) {
    const std::uint64_t key = read_varint(data, at);
    Field f;
    f.number = static_cast<int>(key >> 3);
    f.wire = static_cast<int>(key & 7);
    std::size_t n = 0;
    if (f.wire == 0) f.varint = read_varint(data, at);
    if (f.wire == 1) n = 8;
    if (f.wire == 5) n = 4;
    if (f.wire == 2) n = read_varint(data, at);
    f.bytes.assign(data.begin() + at, data.begin() + at + n);
    at += n;
    fields.push_back(std::move(f));
  }
  return fields;
}

// Event { 2: step, 3: file_version, 5: Summary { 1: Value { 1: tag, 2: simple_value } } }
void parse_event(const std::vector<std::byte>& data, Scalar& out, std::string& version) {
  for (const Field& f : fields_of(data)) {
    if (f.number == 2) out.step = static_cast<std::int64_t>(f.varint);
    if (f.number == 3)
      version.assign(reinterpret_cast<const char*>(f.bytes.data()), f.bytes.size());
    if (f.number != 5) continue;
    for (const Field& value : fields_of(f.bytes)) {
      for (const Field& v : fields_of(value.bytes)) {
        if (v.number == 1)
          out.tag.assign(reinterpret_cast<const char*>(v.bytes.data()), v.bytes.size());
        if (v.number == 2) std::memcpy(&out.value, v.bytes.data(), 4);
      }
    }
  }
}

TEST(TensorBoard, WritesCheckedRecordsOfScalarEvents) {
  const auto dir = std::filesystem::temp_directory_path() / "muzero_tb_test";
  std::filesystem::remove_all(dir);
  std::filesystem::path file;
  {
    TensorBoardWriter writer(dir);
    writer.add_scalar("2.Workers/1.Self_played_games", 12, 3);
    writer.add_scalar("3.Loss/1.Total_weighted_loss", 0.5, 4);
    file = writer.path();
  }
  EXPECT_EQ(file.filename().string().rfind("events.out.tfevents.", 0), 0u);
  std::ifstream in(file, std::ios::binary);
  const std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> bytes(raw.size());
  std::memcpy(bytes.data(), raw.data(), raw.size());

  std::vector<Scalar> scalars;
  std::string version;
  std::size_t at = 0;
  int records = 0;
  while (at < bytes.size()) {
    ASSERT_LE(at + 12, bytes.size());
    std::vector<std::byte> length_bytes(bytes.begin() + at, bytes.begin() + at + 8);
    std::uint64_t length;
    std::uint32_t length_crc, data_crc;
    std::memcpy(&length, &bytes[at], 8);
    std::memcpy(&length_crc, &bytes[at + 8], 4);
    EXPECT_EQ(length_crc, masked_crc32c(length_bytes));
    std::vector<std::byte> data(bytes.begin() + at + 12, bytes.begin() + at + 12 + length);
    std::memcpy(&data_crc, &bytes[at + 12 + length], 4);
    EXPECT_EQ(data_crc, masked_crc32c(data));
    at += 12 + length + 4;
    Scalar s;
    parse_event(data, s, version);
    if (records++ > 0) scalars.push_back(s);
  }
  EXPECT_EQ(version, "brain.Event:2");
  ASSERT_EQ(scalars.size(), 2u);
  EXPECT_EQ(scalars[0].tag, "2.Workers/1.Self_played_games");
  EXPECT_EQ(scalars[1].tag, "3.Loss/1.Total_weighted_loss");
  EXPECT_EQ(scalars[0].step, 3);
  EXPECT_FLOAT_EQ(scalars[0].value, 12.0f);
  EXPECT_FLOAT_EQ(scalars[1].value, 0.5f);
  EXPECT_EQ(scalars[1].step, 4);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace muzero
