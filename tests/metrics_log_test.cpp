#include "muzero/metrics/metrics_log.h"

#include <gtest/gtest.h>

#include <unistd.h>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/file_size_limit.h"

namespace muzero {
namespace {

std::vector<std::string> lines_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

double seconds_in(const std::string& line) {
  const std::string key = "\"seconds\":";
  const std::size_t at = line.find(key);
  return at == std::string::npos ? -1 : std::strtod(line.c_str() + at + key.size(), nullptr);
}

class MetricsLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("metrics_log_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(MetricsLogTest, WritesOneJsonLinePerCall) {
  {
    MetricsLog log(dir_);
    log.log(1, {{"a", 0.5}});
    log.log(2, {{"a", std::nan("")}});
  }
  const std::vector<std::string> lines = lines_of(dir_ / "metrics.jsonl");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].rfind("{\"step\":1,\"seconds\":", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(",\"a\":0.5}"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find(",\"a\":null}"), std::string::npos) << lines[1];
  EXPECT_GE(seconds_in(lines[0]), 0.0);
}

// A full disk loses the lines written meanwhile, not the log: once there is space again, each
// line is whole JSON on a line of its own.
TEST_F(MetricsLogTest, AFullDiskLosesLinesNotTheLog) {
  MetricsLog log(dir_);
  log.log(1, {{"a", 0.5}});
  const auto written = std::filesystem::file_size(dir_ / "metrics.jsonl");
  {
    testing::FileSizeLimit full(written + 10);
    log.log(2, {{"a", 1.5}});  // only its first 10 bytes fit
  }
  log.log(3, {{"a", 2.5}});
  const std::vector<std::string> lines = lines_of(dir_ / "metrics.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "{\"step\":2,");
  EXPECT_EQ(lines[2].rfind("{\"step\":3,\"seconds\":", 0), 0u) << lines[2];
  EXPECT_NE(lines[2].find(",\"a\":2.5}"), std::string::npos) << lines[2];
}

// A resumed run keeps what was logged before and goes on counting its run time, even after a
// writer that stopped inside a line.
TEST_F(MetricsLogTest, AResumedRunAppendsAndContinuesTheClock) {
  {
    std::ofstream earlier(dir_ / "metrics.jsonl");
    earlier << "{\"step\":5,\"seconds\":100.5,\"a\":1}\n{\"step\":6,\"sec";
  }
  {
    MetricsLog log(dir_);
    log.log(7, {{"a", 2.0}});
  }
  const std::vector<std::string> lines = lines_of(dir_ / "metrics.jsonl");
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "{\"step\":5,\"seconds\":100.5,\"a\":1}");
  EXPECT_EQ(lines[1], "{\"step\":6,\"sec");  // left as it was, alone on its line
  EXPECT_EQ(lines[2].rfind("{\"step\":7,\"seconds\":", 0), 0u) << lines[2];
  EXPECT_GE(seconds_in(lines[2]), 100.5);
}

}  // namespace
}  // namespace muzero
