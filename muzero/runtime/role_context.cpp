#include "muzero/runtime/role_context.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <functional>
#include <stdexcept>

namespace muzero {
namespace {

std::atomic<bool> stop_flag{false};

extern "C" void on_stop_signal(int) {
  stop_flag.store(true);
}

std::string socket_address(const std::filesystem::path& run_dir, const char* name) {
  const std::filesystem::path path = std::filesystem::absolute(run_dir) / name;
  if (path.string().size() < 100) return "unix:" + path.string();
  // Unix socket paths are limited to 107 bytes: fall back to a short name unique to the run.
  const std::size_t hash = std::hash<std::string>{}(path.string());
  return "unix:/tmp/muzero-" + std::to_string(hash) + "-" + name;
}

}  // namespace

RoleContext make_role_context(const Config& config, const std::filesystem::path& run_dir,
                              int worker_id, const std::atomic<bool>* stop) {
  RoleContext context;
  context.config = config;
  context.run_dir = run_dir;
  context.storage_address = socket_address(run_dir, run_files::kStorageSocket);
  context.replay_address = socket_address(run_dir, run_files::kReplaySocket);
  context.worker_id = worker_id;
  context.stop = stop;
  return context;
}

std::pair<std::string, std::string> tcp_addresses(const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos)
    throw std::invalid_argument("expected HOST:PORT, got '" + host_port + "'");
  int port = -1;
  try {
    port = std::stoi(host_port.substr(colon + 1));
  } catch (const std::exception&) {
  }
  if (port < 1 || port > 65534) throw std::invalid_argument("bad port in '" + host_port + "'");
  const std::string host = host_port.substr(0, colon);
  return {"tcp:" + host + ":" + std::to_string(port),
          "tcp:" + host + ":" + std::to_string(port + 1)};
}

const std::atomic<bool>& install_stop_signals(pid_t parent_pid) {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  const bool child = parent_pid > 0;
  // Ctrl-C reaches the whole process group; children leave it to the supervisor, which stops
  // them in order (players and trainer first, then the replay buffer and storage).
  if (child) {
    signal(SIGINT, SIG_IGN);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    // The supervisor may have died before prctl took effect: then we were re-parented.
    if (getppid() != parent_pid) stop_flag.store(true);
  } else {
    sigaction(SIGINT, &action, nullptr);
  }
  return stop_flag;
}

}  // namespace muzero
