#pragma once
// What every process of a training run knows: the resolved config, the run directory and the
// addresses of the two servers. Children read it from the run directory, so the supervisor only
// passes --run-dir, the role and a worker id on the command line.
#include <sys/types.h>
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "models/network_evaluator.h"
#include "muzero/config.h"
#include "muzero/ipc/connection.h"
#include "muzero/ipc/run_token.h"

namespace muzero {

// Makes the evaluator a player acts with, for the config's network and self_play.inference.
using EvaluatorFactory = std::function<std::unique_ptr<NetworkEvaluator>(const Config& config)>;

struct RoleContext {
  Config config;
  std::filesystem::path run_dir;
  std::string storage_address;
  std::string replay_address;
  int worker_id = 0;
  std::uint64_t seed_salt = 0;  // changes when a crashed worker is restarted
  std::string listen;  // HOST:PORT: servers also listen on TCP (storage PORT, replay PORT+1)
  const std::atomic<bool>* stop = nullptr;  // set by SIGINT / SIGTERM
  RunToken token;                           // the run's secret (run_secrets.h)
  // Unset in the torch-free role binary, which runs the native backend only.
  EvaluatorFactory make_evaluator;

  // How a process of this role connects to the run's servers.
  ConnectionOptions connection(PeerRole role) const {
    return {token, role, std::chrono::seconds(60), std::chrono::seconds(120), stop};
  }
};

// Files of a run directory.
namespace run_files {
inline constexpr const char* kConfig = "config.yaml";
inline constexpr const char* kCheckpoint = "checkpoint.pt";
inline constexpr const char* kReplayBuffer = "replay_buffer.bin";
inline constexpr const char* kCounters = "counters.txt";
inline constexpr const char* kToken = "token";
inline constexpr const char* kTlsCertificate = "tls.crt";
inline constexpr const char* kTlsKey = "tls.key";
inline constexpr const char* kStorageSocket = "storage.sock";
inline constexpr const char* kReplaySocket = "replay.sock";
// In the socket directory: the TCP addresses the servers listen on (role_context's --listen).
inline constexpr const char* kStorageTcpAddress = "storage.tcp";
inline constexpr const char* kReplayTcpAddress = "replay.tcp";
}  // namespace run_files

// Where the run's Unix sockets live: RUN_DIR/sockets, or /tmp/muzero-UID-HASH when that path
// would be too long for a socket address. Private (0700): run_secrets.h makes it so.
std::filesystem::path socket_directory(const std::filesystem::path& run_dir);

// Unix socket addresses in socket_directory(run_dir) and the run's token (throws TokenError if
// it cannot be read).
RoleContext make_role_context(const Config& config, const std::filesystem::path& run_dir,
                              int worker_id, const std::atomic<bool>* stop);

// The TCP addresses of storage (PORT) and the replay buffer (PORT + 1) for "HOST:PORT"; for
// PORT 0 both are "tcp:HOST:0" (each server gets a port the system picks). Throws
// std::invalid_argument for a malformed value.
std::pair<std::string, std::string> tcp_addresses(const std::string& host_port);

// Installs signal handlers that set the returned flag: SIGINT and SIGTERM for the supervisor
// and for `muzero worker`; SIGTERM only for a child of the supervisor (`parent_pid` > 0), which
// also gets SIGTERM when its parent dies, and stops at once if that already happened.
const std::atomic<bool>& install_stop_signals(pid_t parent_pid = 0);
// How many SIGINT / SIGTERM this process has received (a second one means "now"); signals within
// a second of the first count once.
int stop_signals_received();

}  // namespace muzero
