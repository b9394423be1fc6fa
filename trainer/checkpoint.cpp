#include "trainer/checkpoint.h"

#include <torch/torch.h>

#include <cstdio>
#include <filesystem>

namespace muzero {
namespace {

torch::serialize::InputArchive open_archive(const std::string& path) {
  if (!std::filesystem::exists(path)) throw CheckpointError(path + ": no such checkpoint file");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const c10::Error& error) {
    throw CheckpointError(path + ": not a readable checkpoint (corrupt or truncated?): " +
                          error.what_without_backtrace());
  }
  return archive;
}

c10::IValue read_value(torch::serialize::InputArchive& archive, const std::string& key,
                       const std::string& path) {
  c10::IValue value;
  if (!archive.try_read(key, value)) {
    throw CheckpointError(path + ": not a muzero checkpoint of a known format (no '" + key + "')");
  }
  return value;
}

}  // namespace

CheckpointInfo read_checkpoint_info(const std::string& path) {
  torch::serialize::InputArchive archive = open_archive(path);
  CheckpointInfo info;
  info.format = read_value(archive, "format", path).toInt();
  if (info.format != kCheckpointFormat) {
    throw CheckpointError(path + ": checkpoint format " + std::to_string(info.format) +
                          " is not supported by this version of muzero (it reads format " +
                          std::to_string(kCheckpointFormat) + ")");
  }
  info.training_step = read_value(archive, "steps", path).toInt();
  info.config_yaml = read_value(archive, "config", path).toStringRef();
  return info;
}

void load_checkpoint_weights(const std::string& path, MuZeroNetwork& network) {
  read_checkpoint_info(path);
  torch::serialize::InputArchive archive = open_archive(path);
  try {
    deserialize_weights(network, read_value(archive, "weights", path).toStringRef());
  } catch (const std::runtime_error& error) {
    throw CheckpointError(path + ": " + error.what());
  }
}

void write_checkpoint(const std::string& path, const std::string& config_yaml,
                      std::int64_t training_step, MuZeroNetwork& network,
                      const torch::optim::Optimizer* optimizer) {
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(kCheckpointFormat));
  archive.write("config", c10::IValue(config_yaml));
  archive.write("steps", c10::IValue(training_step));
  archive.write("weights", c10::IValue(serialize_weights(network)));
  if (optimizer != nullptr) {
    torch::serialize::OutputArchive optimizer_archive;
    optimizer->save(optimizer_archive);
    archive.write("optimizer", optimizer_archive);
  }
  const std::string temporary = path + ".tmp";
  archive.save_to(temporary);
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    throw std::runtime_error("could not move checkpoint into place at " + path);
  }
}

}  // namespace muzero
