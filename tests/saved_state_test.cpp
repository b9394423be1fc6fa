// The run's saved state: files replaced only whole and only when written to the end (a full
// disk leaves the previous file), the replay-buffer file's checksums and its refusal of records
// that do not fit the run, and the counters file.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "muzero/ipc/crc32c.h"
#include "muzero/ipc/messages.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/persist/counters_file.h"
#include "muzero/persist/replay_file.h"
#include "tests/file_size_limit.h"
#include "tests/history_builder.h"

namespace muzero {
namespace {

std::filesystem::path fresh_path(const std::string& name) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("muzero_saved_state_" + std::to_string(getpid()) + "_" + name);
  std::filesystem::remove(path);
  return path;
}

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AtomicFile, AFailedWriteLeavesThePreviousFile) {
  const auto path = fresh_path("atomic");
  write_file_atomically(path, "the good state\n");
  {
    testing::FileSizeLimit full(1000);
    try {
      write_file_atomically(path, std::string(5000, 'x'));
      FAIL() << "a write past the limit succeeded";
    } catch (const FileWriteError& error) {
      EXPECT_EQ(std::string(error.what()),
                "cannot save " + path.string() +
                    ": File too large (writing; the previous file, if any, is unchanged)");
    }
  }
  EXPECT_EQ(read_all(path), "the good state\n");
  EXPECT_FALSE(std::filesystem::exists(path.string() + ".tmp")) << "the temporary file is removed";
  write_file_atomically(path, "newer\n");
  EXPECT_EQ(read_all(path), "newer\n");
  std::filesystem::remove(path);
}

TEST(AtomicFile, SecretsAreWrittenForTheOwnerOnly) {
  const auto path = fresh_path("secret");
  write_file_atomically(path, "s", 0600);
  EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove(path);
}

// make_history's games: observations of 1 value, 2 actions, up to 2 players.
const GameRecordRules kRules{{"test", {1, 1, 1}, 2, 2}, 10};

std::vector<GameHistory> some_games() {
  return {testing::make_history({0, 1, 0}, {0, 1, 0}, {0.5f, 0.1f}),
          testing::make_history({0, 0, 1, 1}, {0, 0, 0, 0}, {1.0f, 2.0f, 3.0f}),
          testing::make_history({0, -1}, {0, 1}, {-0.5f})};
}

void write_games(const std::filesystem::path& path, const std::vector<GameHistory>& games) {
  write_replay_file(
      path, [&](std::size_t i) { return &games[i]; }, games.size());
}

ReplayFileReport read_games(const std::string& bytes, std::vector<GameHistory>& out,
                            const GameRecordRules& rules = kRules) {
  std::istringstream in(bytes);
  return read_replay_file(in, rules, [&](GameHistory game) { out.push_back(std::move(game)); });
}

TEST(ReplayFile, RoundTrips) {
  const auto path = fresh_path("replay");
  write_games(path, some_games());
  std::vector<GameHistory> back;
  const ReplayFileReport report = read_games(read_all(path), back);
  EXPECT_EQ(report.loaded, 3u);
  EXPECT_EQ(report.skipped, 0u);
  EXPECT_EQ(report.damage, "");
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1].root_values, some_games()[1].root_values);
  EXPECT_EQ(back[2].rewards, some_games()[2].rewards);
  std::filesystem::remove(path);
}

// Offset of record `n` (from 1) in a file of some_games(): header, then size | crc | payload.
std::size_t record_offset(int n) {
  std::size_t offset = 8;
  const auto games = some_games();
  for (int i = 1; i < n; ++i) offset += 12 + encode_game(games[i - 1]).size();
  return offset;
}

TEST(ReplayFile, StopsAtDamageWithTheGamesBeforeIt) {
  const auto path = fresh_path("damaged");
  write_games(path, some_games());
  const std::string good = read_all(path);
  std::vector<GameHistory> back;

  std::string flipped = good;
  flipped[record_offset(2) + 12 + 20] ^= 0x10;  // a bit inside the second game
  ReplayFileReport report = read_games(flipped, back);
  EXPECT_EQ(report.loaded, 1u);
  EXPECT_EQ(report.damage, "record 2 fails its checksum (the file is damaged)");

  back.clear();
  report = read_games(good.substr(0, good.size() - 3), back);
  EXPECT_EQ(report.loaded, 2u);
  EXPECT_EQ(report.damage, "record 3 is truncated");

  back.clear();
  std::string huge = good;
  const std::uint64_t absurd = 1ull << 40;  // a size field pointing past the file
  std::memcpy(huge.data() + record_offset(2), &absurd, sizeof absurd);
  report = read_games(huge, back);
  EXPECT_EQ(report.loaded, 1u);
  EXPECT_EQ(report.damage, "record 2 is truncated or fails its checksum (the file is damaged)");

  back.clear();
  std::string format = good;
  format[4] = 9;
  report = read_games(format, back);
  EXPECT_EQ(report.loaded, 0u);
  EXPECT_EQ(report.damage, "replay buffer file of an unknown format 9");
  std::filesystem::remove(path);
}

// An intact record that does not fit the run (another game's shape, a NaN: what a hostile peer
// once made the replay buffer save) is skipped and reported, and the records after it load.
TEST(ReplayFile, SkipsIntactRecordsThatDoNotFitTheRun) {
  std::vector<GameHistory> games = some_games();
  GameHistory wide(65536, 2, std::vector<float>(65536, 0.0f), 0);
  wide.add_move(std::vector<float>{1.0f, 0.0f}, 0.0f, 0, 0.0f, std::vector<float>(65536, 0.0f), 0);
  GameHistory nan_game = games[0];
  nan_game.observations[1] = std::numeric_limits<float>::quiet_NaN();
  games.insert(games.begin() + 1, wide);
  games.insert(games.begin() + 3, nan_game);
  const auto path = fresh_path("misfits");
  write_games(path, games);
  std::vector<GameHistory> back;
  const ReplayFileReport report = read_games(read_all(path), back);
  EXPECT_EQ(report.loaded, 3u);
  EXPECT_EQ(report.skipped, 2u);
  EXPECT_EQ(report.damage, "");
  ASSERT_EQ(report.skip_reasons.size(), 2u);
  EXPECT_NE(report.skip_reasons[0].find("record 2: 524"), std::string::npos)
      << report.skip_reasons[0];  // larger than any game of the run: never read into memory
  EXPECT_EQ(report.skip_reasons[1],
            "record 4: game record refused: an observation that is not finite at position 1");
  for (const GameHistory& game : back) EXPECT_EQ(game.observation_size, 1);
  std::filesystem::remove(path);
}

// replay_buffer.bin of older versions: records from the start, without checksums.
TEST(ReplayFile, ReadsTheFormatWithoutHeaderOrChecksums) {
  std::string legacy;
  for (const GameHistory& game : some_games()) {
    const std::vector<std::byte> payload = encode_game(game);
    const std::uint64_t size = payload.size();
    legacy.append(reinterpret_cast<const char*>(&size), sizeof size);
    legacy.append(reinterpret_cast<const char*>(payload.data()), payload.size());
  }
  std::vector<GameHistory> back;
  ReplayFileReport report = read_games(legacy, back);
  EXPECT_EQ(report.loaded, 3u);
  EXPECT_EQ(report.damage, "");
  back.clear();
  report = read_games(legacy.substr(0, legacy.size() - 1), back);
  EXPECT_EQ(report.loaded, 2u);
  EXPECT_NE(report.damage.find("record 3"), std::string::npos) << report.damage;
}

TEST(CountersFile, RoundTripsAndSkipsWhatIsNotACounter) {
  const auto path = fresh_path("counters");
  write_counters_file(path, {{"training_step", 120}, {"total_loss", 0.125}});
  std::ifstream in(path);
  CountersFileReport report = read_counters_file(in);
  EXPECT_EQ(report.counters,
            (std::map<std::string, double>{{"training_step", 120}, {"total_loss", 0.125}}));
  std::istringstream odd("training_step 5\nsomething_else 3\n\nplayed_games 7\n");
  report = read_counters_file(odd);
  EXPECT_EQ(report.counters.size(), 2u);
  EXPECT_EQ(report.unknown, 1u);
  std::istringstream damaged("training_step 5\nplayed_games nan\nplayed_steps 9\n");
  report = read_counters_file(damaged);
  EXPECT_EQ(report.counters, (std::map<std::string, double>{{"training_step", 5}}));
  EXPECT_EQ(report.damage, "2: not a counter line ('played_games nan')");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace muzero
