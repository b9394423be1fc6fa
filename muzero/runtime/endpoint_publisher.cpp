#include "muzero/runtime/endpoint_publisher.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>

#include "muzero/persist/atomic_file.h"
#include "muzero/runtime/role_context.h"

namespace muzero {
namespace {

const char* address_file(const std::string& role) {
  return role == "storage" ? run_files::kStorageTcpAddress : run_files::kReplayTcpAddress;
}

// What a server reported, or "" while it has not.
std::string reported_address(const std::filesystem::path& run_dir, const std::string& role) {
  std::ifstream in(socket_directory(run_dir) / address_file(role));
  std::string address;
  if (!(in >> address) || address.rfind("tcp:", 0) != 0) return "";
  return address;
}

}  // namespace

EndpointPublisher::EndpointPublisher(std::filesystem::path run_dir, std::string listen,
                                     std::string advertise)
    : run_dir_(std::move(run_dir)), listen_(std::move(listen)) {
  if (listen_.empty()) return;
  host_ = advertised_host(listen_, advertise);
  for (const char* role : {"storage", "replay"}) server_starting(role);
}

std::string EndpointPublisher::advertised_host(const std::string& listen,
                                               const std::string& advertise) {
  if (!advertise.empty()) return advertise;
  const std::string host = listen.substr(0, listen.rfind(':'));
  if (!host.empty() && host != "0.0.0.0" && host != "::" && host != "[::]") return host;
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

void EndpointPublisher::server_starting(const std::string& role) {
  if (listen_.empty()) return;
  std::error_code ignored;
  std::filesystem::remove(socket_directory(run_dir_) / address_file(role), ignored);
}

void EndpointPublisher::publish(RunStatus status) {
  if (listen_.empty()) return;
  RunEndpoint endpoint;
  const std::string storage = reported_address(run_dir_, "storage");
  const std::string replay = reported_address(run_dir_, "replay");
  if (!storage.empty() && !replay.empty()) {
    endpoint.storage = with_host(storage, host_);
    endpoint.replay = with_host(replay, host_);
  } else if (written_ && status != RunStatus::kRunning) {
    // Stopping: the servers are gone, but workers should still learn the run's status.
    endpoint.storage = written_->storage;
    endpoint.replay = written_->replay;
  } else {
    return;  // a server is (re)starting
  }
  endpoint.token = std::filesystem::absolute(run_dir_ / run_files::kToken);
  endpoint.status = status;
  if (written_ && written_->to_text() == endpoint.to_text()) return;
  try {
    write_run_endpoint(run_dir_, endpoint);
    if (!written_ || written_->storage != endpoint.storage || written_->replay != endpoint.replay) {
      spdlog::info("remote workers join with: muzero worker --run-dir {} (storage {}, replay {})",
                   std::filesystem::absolute(run_dir_).string(), endpoint.storage, endpoint.replay);
    }
    written_ = endpoint;
  } catch (const FileWriteError& error) {
    spdlog::error("{}", error.what());
  }
}

}  // namespace muzero
