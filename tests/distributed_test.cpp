// How workers on other machines find a run and come back to it: the endpoint file, the
// supervisor's publishing of it, the listening addresses and the reconnection delays.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "muzero/persist/atomic_file.h"
#include "muzero/persist/run_endpoint.h"
#include "muzero/runtime/endpoint_publisher.h"
#include "muzero/runtime/reconnect_delay.h"
#include "muzero/runtime/role_context.h"
#include "muzero/runtime/run_secrets.h"

namespace muzero {
namespace {

std::filesystem::path fresh_directory(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("muzero_distributed_test_" + name + "_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string error_of(const std::string& text) {
  try {
    RunEndpoint::from_text(text, "ENDPOINT");
  } catch (const EndpointError& error) {
    return error.what();
  }
  return "";
}

TEST(RunEndpoint, RoundTripsThroughItsText) {
  RunEndpoint endpoint{"tcp:node01.cluster:41000", "tcp:10.1.2.3:41001", "/shared/run/token",
                       RunStatus::kStopped};
  const RunEndpoint back = RunEndpoint::from_text(endpoint.to_text(), "x");
  EXPECT_EQ(back.storage, endpoint.storage);
  EXPECT_EQ(back.replay, endpoint.replay);
  EXPECT_EQ(back.token, endpoint.token);
  EXPECT_EQ(back.status, RunStatus::kStopped);
  EXPECT_EQ(back.to_text(), endpoint.to_text());
}

TEST(RunEndpoint, RefusesMalformedFilesNamingTheLine) {
  const std::string good = "storage: tcp:h:1\nreplay: tcp:h:2\ntoken: /t\nstatus: running\n";
  EXPECT_EQ(error_of(good), "");
  EXPECT_EQ(error_of("# comment\n\n" + good), "");
  EXPECT_EQ(error_of("storage tcp:h:1\n"), "ENDPOINT:1: expected 'key: value'");
  EXPECT_EQ(error_of(good + "port: 3\n"), "ENDPOINT:5: unknown key 'port'");
  EXPECT_EQ(error_of(good + "status: running\n"), "ENDPOINT:5: 'status' given twice");
  EXPECT_EQ(error_of("storage: tcp:h:1\nreplay: tcp:h:2\nstatus: running\n"),
            "ENDPOINT:4: no 'token' line");
  EXPECT_EQ(error_of("storage: unix:/x\nreplay: tcp:h:2\ntoken: /t\nstatus: running\n"),
            "ENDPOINT:5: expected tcp:HOST:PORT, got 'unix:/x'");
  EXPECT_EQ(error_of("storage: tcp:h:0\nreplay: tcp:h:2\ntoken: /t\nstatus: running\n"),
            "ENDPOINT:5: expected tcp:HOST:PORT, got 'tcp:h:0'");
  EXPECT_EQ(error_of("storage: tcp:h:70000\nreplay: tcp:h:2\ntoken: /t\nstatus: running\n"),
            "ENDPOINT:5: expected tcp:HOST:PORT, got 'tcp:h:70000'");
  EXPECT_EQ(error_of("storage: tcp:h:1\nreplay: tcp:h:2\ntoken: /t\nstatus: paused\n"),
            "ENDPOINT:5: status must be running, stopped or finished, got 'paused'");
}

TEST(RunEndpoint, IsReadFromTheRunDirectory) {
  const auto dir = fresh_directory("read");
  EXPECT_FALSE(read_run_endpoint(dir).has_value());  // not written yet: the worker waits
  write_run_endpoint(dir, {"tcp:a:1", "tcp:a:2", dir / "token", RunStatus::kFinished});
  const auto endpoint = read_run_endpoint(dir);
  ASSERT_TRUE(endpoint.has_value());
  EXPECT_EQ(endpoint->status, RunStatus::kFinished);
  write_file_atomically(dir / "endpoint", std::string(100 * 1024, 'x'));
  EXPECT_THROW(read_run_endpoint(dir), EndpointError);
  std::filesystem::remove_all(dir);
}

TEST(RunEndpoint, AdvertisesTheReachableHost) {
  EXPECT_EQ(with_host("tcp:0.0.0.0:41234", "node7"), "tcp:node7:41234");
  EXPECT_EQ(EndpointPublisher::advertised_host("0.0.0.0:0", "10.0.0.5"), "10.0.0.5");
  EXPECT_EQ(EndpointPublisher::advertised_host("10.0.0.9:7000", ""), "10.0.0.9");
  char name[256] = {};
  ASSERT_EQ(::gethostname(name, sizeof name - 1), 0);
  EXPECT_EQ(EndpointPublisher::advertised_host("0.0.0.0:7000", ""), name);
}

TEST(RunEndpoint, IsPublishedOnceBothServersListenAndFollowsThem) {
  const auto dir = fresh_directory("publish");
  ensure_private_directory(socket_directory(dir));
  const auto sockets = socket_directory(dir);
  write_file_atomically(sockets / run_files::kStorageTcpAddress, "tcp:0.0.0.0:5000");  // stale
  EndpointPublisher publisher(dir, "0.0.0.0:0", "learner");
  EXPECT_FALSE(std::filesystem::exists(sockets / run_files::kStorageTcpAddress));
  publisher.publish(RunStatus::kRunning);
  EXPECT_FALSE(read_run_endpoint(dir).has_value());  // no server has reported yet
  write_file_atomically(sockets / run_files::kStorageTcpAddress, "tcp:0.0.0.0:5001");
  publisher.publish(RunStatus::kRunning);
  EXPECT_FALSE(read_run_endpoint(dir).has_value());  // the replay buffer has not
  write_file_atomically(sockets / run_files::kReplayTcpAddress, "tcp:0.0.0.0:5002");
  publisher.publish(RunStatus::kRunning);
  auto endpoint = read_run_endpoint(dir);
  ASSERT_TRUE(endpoint.has_value());
  EXPECT_EQ(endpoint->storage, "tcp:learner:5001");
  EXPECT_EQ(endpoint->replay, "tcp:learner:5002");
  EXPECT_EQ(endpoint->token, std::filesystem::absolute(dir / "token"));
  EXPECT_EQ(endpoint->status, RunStatus::kRunning);
  // Storage restarted on another port: the file follows once it reports.
  publisher.server_starting("storage");
  publisher.publish(RunStatus::kRunning);
  EXPECT_EQ(read_run_endpoint(dir)->storage, "tcp:learner:5001");
  write_file_atomically(sockets / run_files::kStorageTcpAddress, "tcp:0.0.0.0:5003");
  publisher.publish(RunStatus::kRunning);
  EXPECT_EQ(read_run_endpoint(dir)->storage, "tcp:learner:5003");
  // Stopping with the servers gone: the last addresses, with the status.
  publisher.server_starting("storage");
  publisher.server_starting("replay");
  publisher.publish(RunStatus::kFinished);
  endpoint = read_run_endpoint(dir);
  EXPECT_EQ(endpoint->status, RunStatus::kFinished);
  EXPECT_EQ(endpoint->replay, "tcp:learner:5002");
  std::filesystem::remove_all(dir);
}

TEST(RunEndpoint, NothingIsPublishedWithoutListen) {
  const auto dir = fresh_directory("quiet");
  EndpointPublisher publisher(dir, "", "");
  publisher.publish(RunStatus::kRunning);
  EXPECT_FALSE(std::filesystem::exists(dir / "endpoint"));
  std::filesystem::remove_all(dir);
}

// `muzero secrets` then `muzero train --secrets`: the run uses the token made ahead (a
// Kubernetes Secret), and a resumed run refuses another one.
TEST(RunSecrets, MadeAheadAreImportedIntoTheRunAndKept) {
  const auto ahead = fresh_directory("ahead");
  const auto other = fresh_directory("other");
  const auto run = fresh_directory("run");
  const RunToken token = prepare_run_secrets(ahead);
  prepare_run_secrets(other);
  import_run_secrets(ahead, run);
  EXPECT_EQ(prepare_run_secrets(run).to_text(), token.to_text());
  EXPECT_EQ(load_run_token(run).to_text(), token.to_text());
  EXPECT_NO_THROW(load_server_tls(run));
  EXPECT_NO_THROW(import_run_secrets(ahead, run));  // resumed with the same Secret
  EXPECT_THROW(import_run_secrets(other, run), TokenError);
  // A certificate that is not the token's.
  std::filesystem::copy_file(other / run_files::kTlsCertificate, ahead / run_files::kTlsCertificate,
                             std::filesystem::copy_options::overwrite_existing);
  const auto fresh = fresh_directory("fresh");
  EXPECT_THROW(import_run_secrets(ahead, fresh), TokenError);
  EXPECT_FALSE(std::filesystem::exists(fresh / run_files::kToken));
  for (const auto& dir : {ahead, other, run, fresh}) std::filesystem::remove_all(dir);
}

TEST(ListenAddresses, PortZeroLetsEachServerPickItsOwn) {
  EXPECT_EQ(tcp_addresses("0.0.0.0:7000"),
            std::make_pair(std::string("tcp:0.0.0.0:7000"), std::string("tcp:0.0.0.0:7001")));
  EXPECT_EQ(tcp_addresses("0.0.0.0:0"),
            std::make_pair(std::string("tcp:0.0.0.0:0"), std::string("tcp:0.0.0.0:0")));
  EXPECT_THROW(tcp_addresses("0.0.0.0:65535"), std::invalid_argument);  // no room for PORT+1
  EXPECT_THROW(tcp_addresses("0.0.0.0"), std::invalid_argument);
  EXPECT_THROW(tcp_addresses("0.0.0.0:x"), std::invalid_argument);
}

TEST(ReconnectDelay, DoublesUpToTheLongestWithJitter) {
  std::mt19937_64 rng(3);
  using std::chrono::milliseconds;
  for (int trial = 0; trial < 200; ++trial) {
    for (int attempt = 0; attempt < 12; ++attempt) {
      const long full = std::min(30000L, 1000L << attempt);
      const long delay = reconnect_delay(attempt, rng).count();
      EXPECT_GE(delay, full / 2) << attempt;
      EXPECT_LE(delay, full) << attempt;
    }
  }
  EXPECT_LE(reconnect_delay(1000, rng), milliseconds(30000));
  EXPECT_GE(reconnect_delay(-5, rng), milliseconds(500));
  // Spread: workers cut off together do not come back together.
  std::set<long> delays;
  for (int i = 0; i < 50; ++i) delays.insert(reconnect_delay(3, rng).count());
  EXPECT_GT(delays.size(), 40u);
}

}  // namespace
}  // namespace muzero
