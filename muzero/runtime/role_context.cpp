#include "muzero/runtime/role_context.h"

#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <ctime>
#include <functional>
#include <stdexcept>

#include "muzero/runtime/run_secrets.h"

namespace muzero {
namespace {

std::atomic<bool> stop_flag{false};
std::atomic<int> stop_signals{0};
std::atomic<long long> first_stop_signal_ns{0};

// A signal within this long of the first is the same request: a scheduler and a batch script
// that forwards the signal (Slurm's scancel) both deliver SIGTERM at once, and taking the
// second for "again, now" killed the children before they saved.
constexpr long long kRepeatAfterNs = 1'000'000'000;

extern "C" void on_stop_signal(int) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);  // async-signal-safe
  const long long ns = static_cast<long long>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
  long long first = 0;
  stop_flag.store(true);
  if (first_stop_signal_ns.compare_exchange_strong(first, ns)) {
    stop_signals.fetch_add(1);
  } else if (ns - first >= kRepeatAfterNs) {
    stop_signals.fetch_add(1);
  }
}

std::string socket_address(const std::filesystem::path& run_dir, const char* name) {
  return "unix:" + (socket_directory(run_dir) / name).string();
}

}  // namespace

std::filesystem::path socket_directory(const std::filesystem::path& run_dir) {
  const std::filesystem::path inside = std::filesystem::absolute(run_dir) / "sockets";
  // Unix socket paths are limited to 107 bytes, names included.
  if (inside.string().size() < 90) return inside;
  const std::size_t hash = std::hash<std::string>{}(inside.string());
  return "/tmp/muzero-" + std::to_string(getuid()) + "-" + std::to_string(hash);
}

RoleContext make_role_context(const Config& config, const std::filesystem::path& run_dir,
                              int worker_id, const std::atomic<bool>* stop) {
  RoleContext context;
  context.config = config;
  context.run_dir = run_dir;
  context.storage_address = socket_address(run_dir, run_files::kStorageSocket);
  context.replay_address = socket_address(run_dir, run_files::kReplaySocket);
  context.worker_id = worker_id;
  context.stop = stop;
  context.token = load_run_token(run_dir);
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
  if (port < 0 || port > 65534) throw std::invalid_argument("bad port in '" + host_port + "'");
  const std::string host = host_port.substr(0, colon);
  if (port == 0) return {"tcp:" + host + ":0", "tcp:" + host + ":0"};
  return {"tcp:" + host + ":" + std::to_string(port),
          "tcp:" + host + ":" + std::to_string(port + 1)};
}

int stop_signals_received() {
  return stop_signals.load();
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
