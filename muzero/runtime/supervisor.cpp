#include "muzero/runtime/supervisor.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "muzero/ipc/counters.h"
#include "muzero/persist/counters_file.h"
#include "muzero/runtime/child_process.h"
#include "muzero/runtime/endpoint_publisher.h"
#include "muzero/runtime/restart_policy.h"
#include "muzero/runtime/role_context.h"
#include "muzero/runtime/role_process.h"
#include "muzero/runtime/run_log.h"
#include "muzero/runtime/storage_client.h"

namespace muzero {
namespace {

using Clock = std::chrono::steady_clock;

// Processes that fail this soon after the replay buffer or storage did lost their connection.
constexpr auto kCollateralFailure = std::chrono::seconds(10);
// How long a stopping process has to save its state before it is killed.
constexpr auto kStopDeadline = std::chrono::seconds(20);

struct Child {
  std::string role;
  int worker_id = 0;
  pid_t pid = -1;
  int restarts = 0;
  Clock::time_point started{};
  QuickFailures quick_failures{};  // in a row, each soon after its start
  bool running() const { return pid > 0; }
  // The replay buffer and storage serve the others, which exit when a server dies.
  bool server() const { return role == "replay" || role == "storage"; }
  std::string name() const {
    if (role == "self_play") return "self-play worker " + std::to_string(worker_id);
    if (role == "reanalyse") return "reanalyse worker " + std::to_string(worker_id);
    return role;
  }
};

class Supervisor {
 public:
  Supervisor(const Config& config, std::filesystem::path run_dir, ListenOptions listen,
             ChildBinaries binaries)
      : config_(config),
        run_dir_(std::move(run_dir)),
        listen_(std::move(listen.listen)),
        binaries_(std::move(binaries)),
        endpoint_(run_dir_, listen_, listen.advertise) {}

  SupervisorSummary run(const std::atomic<bool>& stop) {
    const auto start = Clock::now();
    context_ = make_role_context(config_, run_dir_, 0, &stop);
    // Servers first; clients retry their connections until the servers listen.
    children_.push_back({"storage"});
    children_.push_back({"replay"});
    children_.push_back({"trainer"});
    children_.push_back({"test"});
    for (int w = 0; w < config_.num_workers; ++w) children_.push_back({"self_play", w});
    for (int w = 0; w < config_.reanalyse_workers; ++w) children_.push_back({"reanalyse", w});
    for (Child& child : children_) spawn(child);

    bool trainer_done = false;
    auto trainer_done_at = Clock::now();
    while (!stop.load() && summary_.exit_status == 0) {
      reap();
      if (trainer_finished_) {
        if (!trainer_done) trainer_done_at = Clock::now();
        trainer_done = true;
        // Give the test worker time for its round on the final weights.
        const Child* test = find("test");
        if (test == nullptr || !test->running() ||
            Clock::now() - trainer_done_at > std::chrono::seconds(120)) {
          break;
        }
      }
      endpoint_.publish(RunStatus::kRunning);
      sample_peak_memory();
      report(false);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    summary_.interrupted = stop.load();
    report(true);
    shutdown();
    // Remote workers leave for good on "finished", and wait for a resumed run on "stopped".
    endpoint_.publish(trainer_finished_ && summary_.exit_status == 0 ? RunStatus::kFinished
                                                                     : RunStatus::kStopped);
    summarize_saved_counters();
    summary_.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return summary_;
  }

 private:
  void spawn(Child& child) {
    std::vector<std::string> args{"__role",       child.role,
                                  "--run-dir",    run_dir_.string(),
                                  "--worker-id",  std::to_string(child.worker_id),
                                  "--seed-salt",  std::to_string(child.restarts),
                                  "--parent-pid", std::to_string(getpid())};
    if (!listen_.empty() && child.server()) {
      args.insert(args.end(), {"--listen", listen_});
      endpoint_.server_starting(child.role);
    }
    // Roles that never need LibTorch start as the torch-free binary where it is installed; the
    // others as the LibTorch binary (this one, unless the supervisor runs in muzero-role).
    const std::string lite = role_binary();
    if (runs_without_torch(child.role, config_)) {
      child.pid = lite.empty() ? spawn_self(args) : spawn_program(lite, args);
    } else {
      child.pid = binaries_.torch.empty() ? spawn_self(args) : spawn_program(binaries_.torch, args);
    }
    child.started = Clock::now();
  }

  Child* find_pid(pid_t pid) {
    for (Child& c : children_) {
      if (c.pid == pid) return &c;
    }
    return nullptr;
  }

  Child* find(const std::string& role) {
    for (Child& c : children_) {
      if (c.role == role) return &c;
    }
    return nullptr;
  }

  // Collects exited children. While running, a child that crashed is restarted (the trainer from
  // its last checkpoint, the replay buffer from its last save, both at most a minute old, and
  // storage from its counters, saved every two seconds) unless it keeps failing at once, which
  // ends the run with an error. While stopping, failures are only reported.
  void reap(bool stopping = false) {
    struct Exit {
      pid_t pid;
      int status;
    };
    std::vector<Exit> exits;
    Exit next{};
    while ((next.pid = waitpid(-1, &next.status, WNOHANG)) > 0) exits.push_back(next);
    // Servers first, so that the clients that died of their lost connections are seen as such.
    std::stable_partition(exits.begin(), exits.end(), [&](const Exit& e) {
      const Child* child = find_pid(e.pid);
      return child != nullptr && child->server();
    });
    for (const auto& [pid, status] : exits) {
      for (Child& child : children_) {
        if (child.pid != pid) continue;
        child.pid = -1;
        const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
        const bool player =
            child.role == "self_play" || child.role == "test" || child.role == "reanalyse";
        if (stopping) {
          if (!clean) spdlog::warn("{} {} while stopping", child.name(), describe_exit(status));
          continue;
        }
        if (clean && child.role == "trainer") {
          trainer_finished_ = true;
          continue;
        }
        if (clean && player) continue;  // a player that stopped by itself: training is done
        // A crash, or a server (replay buffer, storage) that quit while the run goes on. The
        // others lose their connections when a server dies and exit too: not their fault.
        const auto now = Clock::now();
        if (child.server()) server_failed_at_ = now;
        const bool collateral = !child.server() && now - server_failed_at_ < kCollateralFailure;
        if (!collateral) child.quick_failures.record(child.started, now);
        if (!child.quick_failures.give_up()) {
          spdlog::warn("{} (pid {}) {}; restarting it{}", child.name(), pid, describe_exit(status),
                       resumes_from(child));
          ++child.restarts;
          ++summary_.restarts;
          spawn(child);
        } else {
          spdlog::error(
              "{} (pid {}) {}: {} failures in a row, each within {} s of its start; "
              "stopping the run",
              child.name(), pid, describe_exit(status), child.quick_failures.count(),
              std::chrono::duration_cast<std::chrono::seconds>(kQuickFailure).count());
          summary_.exit_status = 1;
        }
      }
    }
  }

  // Where a restarted child carries on from, for the log.
  std::string resumes_from(const Child& child) const {
    if (child.role == "trainer") {
      return std::filesystem::exists(run_dir_ / run_files::kCheckpoint)
                 ? " from its last checkpoint"
                 : " from the start (it had not written a checkpoint yet)";
    }
    if (child.role == "replay") return " from its last save";
    if (child.role == "storage") return " from its saved counters";
    return "";
  }

  // Each running child's peak resident memory (VmHWM), sampled about once a second. Not
  // wait4's ru_maxrss: a spawned child starts its count at the supervisor's own size (it
  // shares the parent's memory until exec, and the count survives exec).
  void sample_peak_memory() {
    const auto now = Clock::now();
    if (now - memory_sampled_at_ < std::chrono::seconds(1)) return;
    memory_sampled_at_ = now;
    for (const Child& child : children_) {
      if (!child.running()) continue;
      std::ifstream status("/proc/" + std::to_string(child.pid) + "/status");
      std::string line;
      while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) != 0) continue;
        const double mib = std::strtod(line.c_str() + 6, nullptr) / 1024.0;  // in kB
        double& peak = summary_.peak_memory_mib[child.name()];
        peak = std::max(peak, mib);
        break;
      }
    }
  }

  // SIGTERM to the children of `roles` (and SIGCONT, so that one frozen with SIGSTOP wakes up to
  // save), then SIGKILL to any still running after kStopDeadline or at a second Ctrl-C: the run
  // ends within seconds whatever a child does.
  void stop_children(const std::vector<std::string>& roles) {
    const auto selected = [&](const Child& child) {
      return child.running() && std::find(roles.begin(), roles.end(), child.role) != roles.end();
    };
    for (Child& child : children_) {
      if (!selected(child)) continue;
      kill(child.pid, SIGTERM);
      kill(child.pid, SIGCONT);
    }
    const auto deadline = Clock::now() + kStopDeadline;
    bool told = false;
    while (true) {
      reap(/*stopping=*/true);
      if (std::none_of(children_.begin(), children_.end(), selected)) return;
      const bool again = stop_signals_received() >= 2;
      if (Clock::now() > deadline || again) {
        for (Child& child : children_) {
          if (!selected(child)) continue;
          spdlog::warn("{} did not stop {}; killing it", child.name(),
                       again ? "before the second interrupt" : "in time");
          kill(child.pid, SIGKILL);
        }
      } else if (!told && Clock::now() > deadline - kStopDeadline + std::chrono::seconds(2)) {
        told = true;
        spdlog::info("waiting up to {} s for the processes to save (Ctrl-C again to kill them)",
                     std::chrono::duration_cast<std::chrono::seconds>(kStopDeadline).count());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // Players and the trainer first (the trainer saves its checkpoint), then the replay buffer
  // (saves its games) and shared storage (writes the last metrics and counters).
  void shutdown() {
    storage_.reset();
    stop_children({"self_play", "reanalyse", "test", "trainer"});
    stop_children({"replay", "storage"});
  }

  // The counters storage saved as it stopped: the run's final figures, also when the status
  // line could not read them (a storage that did not answer).
  void summarize_saved_counters() {
    std::ifstream in(run_dir_ / run_files::kCounters);
    if (!in) return;
    const auto c = read_counters_file(in).counters;
    summary_.training_steps = static_cast<long>(counter(c, counters::kTrainingStep));
    summary_.played_games = static_cast<long>(counter(c, counters::kPlayedGames));
    summary_.played_steps = static_cast<long>(counter(c, counters::kPlayedSteps));
    summary_.last_test_reward = counter(c, counters::kTestMuZeroReward);
  }

  void report(bool force) {
    const auto now = Clock::now();
    const bool interactive = isatty(STDERR_FILENO) != 0;
    if (!force && now - last_report_ < (interactive ? std::chrono::milliseconds(500)
                                                    : std::chrono::milliseconds(10000))) {
      return;
    }
    std::map<std::string, double> c;
    try {
      if (!storage_)
        // Short deadlines: the status line must never hold up the supervisor, whatever
        // storage does (a storage stopped with SIGSTOP answers nothing).
        storage_ = std::make_unique<StorageClient>(
            context_.storage_address,
            ConnectionOptions{context_.token, PeerRole::kSupervisor, std::chrono::milliseconds(200),
                              std::chrono::seconds(2), nullptr});
      c = storage_->update({});
    } catch (const std::exception&) {
      storage_.reset();
      return;
    }
    const double seconds = std::chrono::duration<double>(now - last_report_).count();
    const double steps = counter(c, counters::kTrainingStep);
    const double moves = counter(c, counters::kPlayedSteps);
    // The ETA counts only the steps trained since this process first saw the counters (a resumed
    // run starts at its checkpoint's step) or since the trainer went back to an older
    // checkpoint after a crash.
    if (!eta_from_ || steps < last_steps_) eta_from_ = {steps, now};
    const double step_rate = seconds > 0 ? std::max(0.0, steps - last_steps_) / seconds : 0;
    const double move_rate = seconds > 0 ? (moves - last_moves_) / seconds : 0;
    const double remote_moves = counter(c, counters::kPlayedStepsRemote);
    const double remote_rate = seconds > 0 ? (remote_moves - last_remote_moves_) / seconds : 0;
    last_report_ = now;
    last_steps_ = steps;
    last_moves_ = moves;
    last_remote_moves_ = remote_moves;
    summary_.training_steps = static_cast<long>(steps);
    summary_.played_games = static_cast<long>(counter(c, counters::kPlayedGames));
    summary_.played_steps = static_cast<long>(moves);
    summary_.last_test_reward = counter(c, counters::kTestMuZeroReward);
    const double trained = steps - eta_from_->steps;
    const double elapsed = std::chrono::duration<double>(now - eta_from_->time).count();
    const std::string eta =
        trained > 0 ? fmt::format("{:.0f}s", (config_.training_steps - steps) * elapsed / trained)
                    : "-";
    // Workers on other machines, when the run accepts them: how many, and their share.
    const double remote_workers = counter(c, counters::kWorkersRemote);
    const std::string workers =
        listen_.empty() && remote_workers == 0
            ? ""
            : fmt::format(" | workers {:.0f} + {:.0f} remote ({:.0f} moves/s)",
                          counter(c, counters::kWorkersLocal), remote_workers,
                          std::max(0.0, remote_rate));
    // Reanalyse, when it runs: positions searched again per second, and the share of samples
    // that started at fresh ones.
    const double reanalysed = counter(c, counters::kReanalysedPositions);
    const double reanalyse_rate =
        seconds > 0 ? std::max(0.0, reanalysed - last_reanalysed_) / seconds : 0;
    last_reanalysed_ = reanalysed;
    const std::string reanalyse =
        config_.reanalyse_workers == 0
            ? ""
            : fmt::format(" | reanalyse {:.0f} pos/s, {:.0f}% fresh", reanalyse_rate,
                          100.0 * counter(c, counters::kFreshSamples) /
                              std::max(1.0, counter(c, counters::kTrainedSamples)));
    char line[384];
    std::snprintf(line, sizeof line,
                  "step %.0f/%d | games %ld | test reward %.2f | loss %.3f | %.0f moves/s%s%s | "
                  "%.1f steps/s | ETA %s",
                  steps, config_.training_steps, summary_.played_games, summary_.last_test_reward,
                  counter(c, counters::kTotalLoss), move_rate, workers.c_str(), reanalyse.c_str(),
                  step_rate, eta.c_str());
    if (interactive) {
      std::fprintf(stderr, "\r\033[K%s%s", line, force ? "\n" : "");
      std::fflush(stderr);
    } else {
      spdlog::info("{}", line);
    }
  }

  Config config_;
  std::filesystem::path run_dir_;
  std::string listen_;
  ChildBinaries binaries_;
  EndpointPublisher endpoint_;
  RoleContext context_;
  std::vector<Child> children_;
  std::unique_ptr<StorageClient> storage_;
  SupervisorSummary summary_;
  bool trainer_finished_ = false;
  Clock::time_point server_failed_at_{};  // when the replay buffer or storage last failed
  Clock::time_point last_report_{};
  Clock::time_point memory_sampled_at_{};
  double last_steps_ = 0, last_moves_ = 0, last_remote_moves_ = 0, last_reanalysed_ = 0;
  struct Progress {
    double steps;
    Clock::time_point time;
  };
  std::optional<Progress> eta_from_;  // where the ETA's rate is measured from
};

}  // namespace

SupervisorSummary run_supervisor(const Config& config, const std::filesystem::path& run_dir,
                                 const ListenOptions& listen, const ChildBinaries& binaries) {
  const std::atomic<bool>& stop = install_stop_signals();
  Supervisor supervisor(config, run_dir, listen, binaries);
  return supervisor.run(stop);
}

int supervise_and_report(const Config& config, const std::filesystem::path& run_dir,
                         const ListenOptions& listen, const ChildBinaries& binaries,
                         bool resuming) {
  log_to_run_directory(run_dir, "supervisor");
  spdlog::info("{} {} in {}", resuming ? "resuming" : "training", config.game_name,
               run_dir.string());
  const SupervisorSummary summary = run_supervisor(config, run_dir, listen, binaries);
  spdlog::info(
      "{} after {} training steps, {} games, {} moves in {:.1f} s; last test reward {:.2f}",
      summary.exit_status != 0 ? "failed"
      : summary.interrupted    ? "stopped"
                               : "finished",
      summary.training_steps, summary.played_games, summary.played_steps, summary.seconds,
      summary.last_test_reward);
  std::string memory;
  for (const auto& [name, mib] : summary.peak_memory_mib) {
    memory +=
        (memory.empty() ? "" : ", ") + name + " " + std::to_string(static_cast<long>(mib)) + " MiB";
  }
  spdlog::info("peak memory: {}", memory);
  spdlog::info("checkpoint: {} (continue with: muzero train --resume {})",
               (run_dir / run_files::kCheckpoint).string(), run_dir.string());
  return summary.exit_status;
}

}  // namespace muzero
