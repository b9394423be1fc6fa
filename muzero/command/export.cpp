// muzero export --checkpoint PATH --output PATH
// Writes a checkpoint's weights and config without the optimizer state: a file to share for
// evaluate and play, a third of the size with Adam. Training cannot resume from it.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iostream>
#include <memory>

#include "muzero/agent.h"
#include "muzero/command/commands.h"
#include "trainer/checkpoint.h"

namespace muzero {
namespace {

struct ExportOptions {
  std::string checkpoint;
  std::string output;
};

int run(const ExportOptions& options) {
  std::optional<Agent> loaded = load_agent_or_explain(options.checkpoint);
  if (!loaded) return kExitBadConfig;
  const CheckpointInfo info = read_checkpoint_info(options.checkpoint);
  write_checkpoint(options.output, info.config_yaml, info.training_step, *loaded->network, nullptr);
  std::cout << "wrote " << options.output << " (" << std::filesystem::file_size(options.output)
            << " bytes; " << loaded->config.game_name << ", step " << info.training_step
            << "; no optimizer state: for evaluate and play, not --resume)\n";
  return kExitOk;
}

}  // namespace

CommandRunner add_export_command(CLI::App& app) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* command = app.add_subcommand(
      "export", "Write a checkpoint's weights and config without the optimizer state");
  command->add_option("--checkpoint", options->checkpoint, "checkpoint.pt of a training run")
      ->required();
  command->add_option("--output", options->output, "the file to write")->required();
  return [command, options]() -> int { return command->parsed() ? run(*options) : -1; };
}

}  // namespace muzero
