#pragma once
// The entry process of `muzero train`: starts shared storage, the replay buffer, the trainer,
// the self-play workers and the test worker as child processes (posix_spawn of this binary),
// shows progress, restarts any that crash, and stops everything in order on Ctrl-C,
// SIGTERM or when training is done.
#include <filesystem>
#include <map>
#include <string>

#include "muzero/config.h"

namespace muzero {

struct SupervisorSummary {
  int exit_status = 0;
  bool interrupted = false;
  long training_steps = 0;
  long played_games = 0;
  long played_steps = 0;
  // MuZero's own reward per test game: for two-player games the share it won (the sum over
  // both players is 1 for every decided game, whoever won).
  double last_test_reward = 0;
  double seconds = 0;
  int restarts = 0;
  std::map<std::string, double> peak_memory_mib;  // by process name: VmHWM, sampled every second
};

// Workers on other machines (`muzero train --listen`).
struct ListenOptions {
  std::string listen;  // "HOST:PORT" (PORT 0: ports the system picks), or empty: Unix sockets only
  // The host workers are told to connect to in RUN_DIR/endpoint; empty: the listening HOST, or
  // this machine's host name when that is 0.0.0.0.
  std::string advertise;
};

// The binaries the children run: `torch` for the trainer and players that need LibTorch (empty:
// this binary), `muzero-role` next to this binary for the others when it is there.
struct ChildBinaries {
  std::string torch;
};

SupervisorSummary run_supervisor(const Config& config, const std::filesystem::path& run_dir,
                                 const ListenOptions& listen, const ChildBinaries& binaries = {});

// What `muzero train` does once the run directory is ready: logs to it, supervises the run and
// reports its summary (with `resuming` saying which word to log). Returns the exit status.
int supervise_and_report(const Config& config, const std::filesystem::path& run_dir,
                         const ListenOptions& listen, const ChildBinaries& binaries, bool resuming);

}  // namespace muzero
