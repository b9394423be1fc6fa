#pragma once
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "muzero/ipc/frame_server.h"
#include "muzero/runtime/role_context.h"

namespace muzero {

// Serves `handler` at `unix_address`, and at `tcp_address` as well unless it is empty (through
// TLS with the run's certificate), to peers that hold the run's secret.
std::vector<std::unique_ptr<FrameServer>> serve(boost::asio::io_context& io,
                                                const RoleContext& context,
                                                const std::string& unix_address,
                                                const std::string& tcp_address,
                                                const FrameServer::Handler& handler,
                                                FrameServerOptions options);

// Where a server's TCP listener really is (the port the system picked for PORT 0), written to
// `file` in the run's private socket directory for the supervisor, which advertises it in
// RUN_DIR/endpoint. Does nothing when the servers do not listen on TCP.
void report_tcp_address(const RoleContext& context,
                        const std::vector<std::unique_ptr<FrameServer>>& servers, const char* file);

// Refusals counted by `servers` since the last call, for the counters of shared storage.
long new_refusals(const std::vector<std::unique_ptr<FrameServer>>& servers, long& reported);

// Work done every `period` on the loop's own thread (a save, metrics), if `work` is set.
struct PeriodicWork {
  std::chrono::steady_clock::duration period{};
  std::function<void()> work;
};

// Runs `io` until `stop` becomes true (checked every 50 ms), doing `periodic` meanwhile.
void run_until_stopped(boost::asio::io_context& io, const std::atomic<bool>& stop,
                       const PeriodicWork& periodic = {});

}  // namespace muzero
