#include "muzero/persist/run_endpoint.h"

#include <fstream>
#include <map>
#include <sstream>

#include "muzero/persist/atomic_file.h"

namespace muzero {
namespace {

constexpr const char* kEndpointFile = "endpoint";
constexpr std::size_t kMaxEndpointBytes = 64 * 1024;

const char* status_name(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning:
      return "running";
    case RunStatus::kStopped:
      return "stopped";
    case RunStatus::kFinished:
      return "finished";
  }
  return "running";
}

// A tcp:HOST:PORT with a port in 1..65535.
bool valid_tcp_address(const std::string& address) {
  if (address.rfind("tcp:", 0) != 0) return false;
  const auto colon = address.rfind(':');
  if (colon <= 4) return false;
  const std::string port = address.substr(colon + 1);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return false;
  const int value = std::stoi(port);
  return value >= 1 && value <= 65535;
}

}  // namespace

std::string RunEndpoint::to_text() const {
  std::ostringstream out;
  out << "# How self-play workers on other machines join this run: muzero worker --run-dir DIR\n"
      << "storage: " << storage << "\n"
      << "replay: " << replay << "\n"
      << "token: " << token.string() << "\n"
      << "status: " << status_name(status) << "\n";
  return out.str();
}

RunEndpoint RunEndpoint::from_text(const std::string& text, const std::string& source) {
  std::map<std::string, std::string> values;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  const auto fail = [&](const std::string& why) {
    throw EndpointError(source + ":" + std::to_string(number) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(": ");
    if (colon == std::string::npos) fail("expected 'key: value'");
    const std::string key = line.substr(0, colon);
    if (key != "storage" && key != "replay" && key != "token" && key != "status") {
      fail("unknown key '" + key + "'");
    }
    if (!values.emplace(key, line.substr(colon + 2)).second) fail("'" + key + "' given twice");
  }
  ++number;
  for (const char* key : {"storage", "replay", "token", "status"}) {
    if (values.count(key) == 0) fail(std::string("no '") + key + "' line");
  }
  RunEndpoint endpoint;
  endpoint.storage = values["storage"];
  endpoint.replay = values["replay"];
  endpoint.token = values["token"];
  for (const std::string* address : {&endpoint.storage, &endpoint.replay}) {
    if (!valid_tcp_address(*address)) fail("expected tcp:HOST:PORT, got '" + *address + "'");
  }
  if (endpoint.token.empty()) fail("empty token path");
  const std::string& status = values["status"];
  if (status == "running") {
    endpoint.status = RunStatus::kRunning;
  } else if (status == "stopped") {
    endpoint.status = RunStatus::kStopped;
  } else if (status == "finished") {
    endpoint.status = RunStatus::kFinished;
  } else {
    fail("status must be running, stopped or finished, got '" + status + "'");
  }
  return endpoint;
}

void write_run_endpoint(const std::filesystem::path& run_dir, const RunEndpoint& endpoint) {
  write_file_atomically(run_dir / kEndpointFile, endpoint.to_text());
}

std::optional<RunEndpoint> read_run_endpoint(const std::filesystem::path& run_dir) {
  const std::filesystem::path path = run_dir / kEndpointFile;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(kMaxEndpointBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxEndpointBytes) throw EndpointError(path.string() + ": too large");
  return RunEndpoint::from_text(text, path.string());
}

std::string with_host(const std::string& tcp_address, const std::string& host) {
  const auto colon = tcp_address.rfind(':');
  return "tcp:" + host + tcp_address.substr(colon);
}

}  // namespace muzero
