#pragma once
// RUN_DIR/endpoint: how self-play workers on other machines find a run. The learner's supervisor
// writes it once its storage and replay buffer listen on TCP (`muzero train --listen`), and again
// when they move (a restarted server on a port the system picked, a run resumed on another
// node); `muzero worker --run-dir RUN_DIR` reads it at every (re)join, so that nobody types an
// address. Plain text, one `key: value` a line:
//   storage: tcp:HOST:PORT
//   replay: tcp:HOST:PORT
//   token: /shared/results/cartpole/RUN/token
//   status: running | stopped | finished
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace muzero {

class EndpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class RunStatus { kRunning, kStopped, kFinished };

struct RunEndpoint {
  std::string storage;  // tcp:HOST:PORT, HOST a name or a numeric address
  std::string replay;
  std::filesystem::path token;  // the token file, as the learner sees it
  RunStatus status = RunStatus::kRunning;

  std::string to_text() const;
  // Throws EndpointError naming `source`, the line and the problem.
  static RunEndpoint from_text(const std::string& text, const std::string& source);
};

// Written atomically (a worker never reads half a file); throws FileWriteError.
void write_run_endpoint(const std::filesystem::path& run_dir, const RunEndpoint& endpoint);
// nullopt while the learner has not written one; throws EndpointError for a malformed file.
std::optional<RunEndpoint> read_run_endpoint(const std::filesystem::path& run_dir);

// "tcp:0.0.0.0:41234" advertised as "tcp:HOST:41234".
std::string with_host(const std::string& tcp_address, const std::string& host);

}  // namespace muzero
