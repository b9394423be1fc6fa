#include "muzero/persist/replay_file.h"

#include <algorithm>
#include <cstring>

#include "muzero/ipc/crc32c.h"
#include "muzero/ipc/messages.h"
#include "muzero/persist/atomic_file.h"

namespace muzero {
namespace {

constexpr std::size_t kReasonsKept = 5;

template <typename T>
bool read_value(std::istream& in, T& value) {
  return static_cast<bool>(in.read(reinterpret_cast<char*>(&value), sizeof value));
}

void note_skip(ReplayFileReport& report, std::string reason) {
  ++report.skipped;
  if (report.skip_reasons.size() < kReasonsKept) report.skip_reasons.push_back(std::move(reason));
}

// Reads past a record of `size` bytes; false when the file ends first or, with checksums, the
// bytes do not match `checksum`.
bool skip_record(std::istream& in, std::uint64_t size, bool checksums, std::uint32_t checksum) {
  std::vector<std::byte> piece(1 << 16);
  std::uint32_t crc = 0;
  while (size > 0) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, piece.size()));
    if (!in.read(reinterpret_cast<char*>(piece.data()), static_cast<std::streamsize>(n))) {
      return false;
    }
    crc = crc32c(std::span(piece).first(n), crc);
    size -= n;
  }
  return !checksums || crc == checksum;
}

}  // namespace

void write_replay_file(const std::filesystem::path& path,
                       const std::function<const GameHistory*(std::size_t)>& game_at,
                       std::size_t count) {
  AtomicFileWriter out(path);
  out.write(&kReplayFileMagic, sizeof kReplayFileMagic);
  out.write(&kReplayFileFormat, sizeof kReplayFileFormat);
  for (std::size_t i = 0; i < count; ++i) {
    const std::vector<std::byte> payload = encode_game(*game_at(i));
    const std::uint64_t size = payload.size();
    const std::uint32_t checksum = crc32c(payload);
    out.write(&size, sizeof size);
    out.write(&checksum, sizeof checksum);
    out.write(payload.data(), payload.size());
  }
  out.commit();
}

ReplayFileReport read_replay_file(std::istream& in, const GameRecordRules& rules,
                                  const std::function<void(GameHistory)>& add) {
  ReplayFileReport report;
  const std::size_t max_size = max_game_payload(rules);
  std::uint32_t magic = 0, format = 0;
  bool checksums = false;
  if (read_value(in, magic) && magic == kReplayFileMagic) {
    if (!read_value(in, format) || format != kReplayFileFormat) {
      report.damage = "replay buffer file of an unknown format " + std::to_string(format);
      return report;
    }
    checksums = true;
  } else {
    in.clear();
    in.seekg(0);  // a file of the first format: records from the start, no checksums
  }
  for (std::size_t record = 1;; ++record) {
    std::uint64_t size = 0;
    if (!read_value(in, size)) {
      if (in.gcount() != 0) report.damage = "record " + std::to_string(record) + " is truncated";
      return report;
    }
    const std::string where = "record " + std::to_string(record);
    std::uint32_t checksum = 0;
    if (checksums && !read_value(in, checksum)) {
      report.damage = where + " is truncated";
      return report;
    }
    if (size > max_size) {
      // Larger than any game of this run: read through it in pieces (memory stays bounded),
      // checking it is intact, and skip it.
      if (!skip_record(in, size, checksums, checksum)) {
        report.damage = where + " is truncated or fails its checksum (the file is damaged)";
        return report;
      }
      note_skip(report, where + ": " + std::to_string(size) +
                            " bytes, more than any game of this run takes (" +
                            std::to_string(max_size) + ")");
      continue;
    }
    std::vector<std::byte> payload(size);
    if (!in.read(reinterpret_cast<char*>(payload.data()), static_cast<std::streamsize>(size))) {
      report.damage = where + " is truncated";
      return report;
    }
    if (checksums && crc32c(payload) != checksum) {
      report.damage = where + " fails its checksum (the file is damaged)";
      return report;
    }
    GameHistory game;
    try {
      game = decode_game(payload);
    } catch (const DecodeError& error) {
      // Intact bytes (their checksum matches) that are no game, or, in a file without
      // checksums, damage: the framing after it cannot be trusted either.
      report.damage = where + " is not a game record: " + error.what();
      return report;
    }
    try {
      check_game_record(game, rules);
    } catch (const InvalidGameRecord& error) {
      note_skip(report, where + ": " + error.what());
      continue;
    }
    add(std::move(game));
    ++report.loaded;
  }
}

}  // namespace muzero
