#pragma once
// The replay buffer's games on disk (RUN_DIR/replay_buffer.bin), read back when a run resumes or
// a crashed replay buffer restarts. Layout, little-endian:
//   magic "MUZR" u32 | format u32
//   repeated: payload size u64 | CRC-32C of the payload u32 | payload (a kGame message)
// Files written before the format had a header (repeated size u64 | payload) are still read.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "replay_buffer/game_history.h"
#include "replay_buffer/game_record_check.h"

namespace muzero {

constexpr std::uint32_t kReplayFileMagic = 0x525A554Du;  // bytes 'M' 'U' 'Z' 'R'
constexpr std::uint32_t kReplayFileFormat = 2;

// Writes the games through AtomicFileWriter: a failure leaves the previous file; throws
// FileWriteError.
void write_replay_file(const std::filesystem::path& path,
                       const std::function<const GameHistory*(std::size_t)>& game_at,
                       std::size_t count);

struct ReplayFileReport {
  std::size_t loaded = 0;
  std::size_t skipped = 0;                // intact records that do not fit the run
  std::vector<std::string> skip_reasons;  // the first few, for the log
  std::string damage;  // empty when the whole file read cleanly; else where and what
};

// Hands each intact record that fits the run to `add`, in order. Reading stops at the first
// damaged record (a checksum that does not match, a truncated or oversized record), which the
// report describes; a record that is intact but does not fit the run (another game's shape, a
// NaN) is skipped and reported, never added.
ReplayFileReport read_replay_file(std::istream& in, const GameRecordRules& rules,
                                  const std::function<void(GameHistory)>& add);

}  // namespace muzero
