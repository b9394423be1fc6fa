#include "muzero/runtime/io_loop.h"

#include <boost/asio/steady_timer.hpp>
#include <functional>

#include "muzero/ipc/connection.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/runtime/run_secrets.h"

namespace muzero {

std::vector<std::unique_ptr<FrameServer>> serve(boost::asio::io_context& io,
                                                const RoleContext& context,
                                                const std::string& unix_address,
                                                const std::string& tcp_address,
                                                const FrameServer::Handler& handler,
                                                FrameServerOptions options) {
  options.secret = context.token.secret;
  std::vector<std::unique_ptr<FrameServer>> servers;
  servers.push_back(std::make_unique<FrameServer>(io, unix_address, handler, options));
  if (!tcp_address.empty()) {
    options.tls = load_server_tls(context.run_dir);
    servers.push_back(std::make_unique<FrameServer>(io, tcp_address, handler, options));
  }
  return servers;
}

void report_tcp_address(const RoleContext& context,
                        const std::vector<std::unique_ptr<FrameServer>>& servers,
                        const char* file) {
  if (servers.size() < 2) return;
  write_file_atomically(socket_directory(context.run_dir) / file, servers[1]->bound_address());
}

long new_refusals(const std::vector<std::unique_ptr<FrameServer>>& servers, long& reported) {
  long total = 0;
  for (const auto& server : servers) {
    const FrameServer::Stats stats = server->stats();
    total += stats.refused_connections + stats.refused_messages;
  }
  const long added = total - reported;
  reported = total;
  return added;
}

void run_until_stopped(boost::asio::io_context& io, const std::atomic<bool>& stop,
                       const PeriodicWork& periodic) {
  boost::asio::steady_timer timer(io);
  auto due = std::chrono::steady_clock::now() + periodic.period;
  std::function<void()> poll = [&] {
    timer.expires_after(std::chrono::milliseconds(50));
    timer.async_wait([&](boost::system::error_code error) {
      if (error) return;
      if (stop.load()) {
        io.stop();
        return;
      }
      if (periodic.work && std::chrono::steady_clock::now() >= due) {
        periodic.work();
        due = std::chrono::steady_clock::now() + periodic.period;
      }
      poll();
    });
  };
  poll();
  io.run();
}

}  // namespace muzero
