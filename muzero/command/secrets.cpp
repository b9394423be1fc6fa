// muzero secrets --out DIR
// Makes a run's secrets ahead of the run (token, TLS certificate and key), for schedulers that
// hand secrets to containers, such as Kubernetes: the learner starts with `muzero train
// --secrets DIR` and workers get the token from the same Secret (docs/distributed.md).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

#include "muzero/command/commands.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/runtime/role_context.h"
#include "muzero/runtime/run_secrets.h"

namespace muzero {
namespace {

int run(const std::string& out) {
  const std::filesystem::path dir = out;
  if (std::filesystem::exists(dir / run_files::kToken)) {
    std::cerr << "muzero: " << dir.string() << " already holds a run's secrets\n";
    return kExitBadConfig;
  }
  try {
    ensure_private_directory(dir);
    prepare_run_secrets(dir);
  } catch (const std::exception& error) {  // TokenError, FileWriteError, a foreign directory
    std::cerr << "muzero: " << error.what() << "\n";
    return kExitBadConfig;
  }
  std::cout << "wrote " << (dir / run_files::kToken).string() << ", " << run_files::kTlsCertificate
            << " and " << run_files::kTlsKey << "; start the learner with: muzero train --secrets "
            << dir.string() << " ...\n";
  return kExitOk;
}

}  // namespace

CommandRunner add_secrets_command(CLI::App& app) {
  auto out = std::make_shared<std::string>();
  CLI::App* command = app.add_subcommand(
      "secrets", "Make a run's token and TLS certificate ahead of the run (for Kubernetes)");
  command->add_option("--out", *out, "A new private directory for token, tls.crt and tls.key")
      ->required();
  return [command, out]() -> int { return command->parsed() ? run(*out) : -1; };
}

}  // namespace muzero
