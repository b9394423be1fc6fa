#pragma once
// Writes scalars in TensorBoard's event-file format, so `tensorboard --logdir results` shows
// them: TFRecord framing (length, masked CRC-32C of the length, data, masked CRC-32C of the
// data) around hand-encoded `Event` protocol buffers. No protobuf library needed.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace muzero {

class TensorBoardWriter {
 public:
  // Creates `directory`/events.out.tfevents.<seconds>.<host> and writes the version record.
  explicit TensorBoardWriter(const std::filesystem::path& directory);

  void add_scalar(const std::string& tag, double value, std::int64_t step);
  void flush() { out_.flush(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  void write_record(const std::vector<std::byte>& data);

  std::filesystem::path path_;
  std::ofstream out_;
};

// TFRecord's checksum: CRC-32C rotated right by 15 bits plus a constant.
std::uint32_t masked_crc32c(const std::vector<std::byte>& data);

}  // namespace muzero
