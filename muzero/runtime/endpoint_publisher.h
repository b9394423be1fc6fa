#pragma once
// The supervisor's side of RUN_DIR/endpoint (run_endpoint.h): the storage and replay servers
// report the TCP addresses they really listen on (io_loop.h's report_tcp_address); the endpoint
// file is written when both are known, again whenever one moves (a restarted server on a port
// the system picked), and with the run's status as it stops.
#include <filesystem>
#include <optional>
#include <string>

#include "muzero/persist/run_endpoint.h"

namespace muzero {

class EndpointPublisher {
 public:
  // Does nothing when `listen` is empty (a run without remote workers).
  EndpointPublisher(std::filesystem::path run_dir, std::string listen, std::string advertise);

  // Before the storage or replay server starts: the address it reported last no longer holds.
  void server_starting(const std::string& role);
  // Writes the file if both addresses are known and it would change. A failed write is logged
  // and tried again at the next call.
  void publish(RunStatus status);

  // The host the endpoint names: `advertise`, else the listening host unless it is a wildcard
  // address, else this machine's host name.
  static std::string advertised_host(const std::string& listen, const std::string& advertise);

 private:
  std::filesystem::path run_dir_;
  std::string listen_;
  std::string host_;
  std::optional<RunEndpoint> written_;
};

}  // namespace muzero
