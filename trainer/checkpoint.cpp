#include "trainer/checkpoint.h"

#include <openssl/evp.h>
#include <torch/torch.h>

#include <filesystem>
#include <sstream>

#include "muzero/persist/atomic_file.h"
#include "trainer/optimizer_state.h"

namespace muzero {
namespace {

struct Contents {
  CheckpointInfo info;
  std::string weights;
  std::string optimizer_state;  // formats 2 and 3; empty when exported
  torch::serialize::InputArchive archive;
};

// SHA-256 (OpenSSL) over every field, each preceded by its length, as hex.
std::string contents_digest(std::int64_t format, const std::string& config, std::int64_t steps,
                            const std::string& weights, const std::string& optimizer_state) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  const auto add = [&](const void* data, std::size_t size) {
    const std::uint64_t length = size;
    EVP_DigestUpdate(context, &length, sizeof length);
    EVP_DigestUpdate(context, data, size);
  };
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  const bool ok = context != nullptr && EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1;
  if (ok) {
    add(&format, sizeof format);
    add(config.data(), config.size());
    add(&steps, sizeof steps);
    add(weights.data(), weights.size());
    add(optimizer_state.data(), optimizer_state.size());
    EVP_DigestFinal_ex(context, digest, &size);
  }
  EVP_MD_CTX_free(context);
  if (!ok || size != 32) throw std::runtime_error("SHA-256 failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (unsigned int i = 0; i < size; ++i) {
    text += kHex[digest[i] >> 4];
    text += kHex[digest[i] & 15];
  }
  return text;
}

c10::IValue read_value(torch::serialize::InputArchive& archive, const std::string& key,
                       const std::string& path) {
  c10::IValue value;
  if (!archive.try_read(key, value)) {
    throw CheckpointError(path + ": not a muzero checkpoint of a known format (no '" + key + "')");
  }
  return value;
}

Contents open_checkpoint(const std::string& path) {
  if (!std::filesystem::exists(path)) throw CheckpointError(path + ": no such checkpoint file");
  Contents contents;
  try {
    contents.archive.load_from(path);
    CheckpointInfo& info = contents.info;
    info.format = read_value(contents.archive, "format", path).toInt();
    if (info.format < 1 || info.format > kCheckpointFormat) {
      throw CheckpointError(path + ": checkpoint format " + std::to_string(info.format) +
                            " is not supported by this version of muzero (it reads formats 1 to " +
                            std::to_string(kCheckpointFormat) + ")");
    }
    info.training_step = read_value(contents.archive, "steps", path).toInt();
    info.config_yaml = read_value(contents.archive, "config", path).toStringRef();
    contents.weights = read_value(contents.archive, "weights", path).toStringRef();
    if (info.format == 1) return contents;  // written before checksums
    c10::IValue optimizer;
    if (contents.archive.try_read("optimizer_state", optimizer)) {
      contents.optimizer_state = optimizer.toStringRef();
    }
    const std::string recorded = read_value(contents.archive, "sha256", path).toStringRef();
    if (recorded != contents_digest(info.format, info.config_yaml, info.training_step,
                                    contents.weights, contents.optimizer_state)) {
      throw CheckpointError(path +
                            ": damaged: its contents do not match their SHA-256 (a changed or "
                            "corrupted file); it was not loaded");
    }
  } catch (const c10::Error& error) {
    throw CheckpointError(path + ": not a readable checkpoint (corrupt or truncated?): " +
                          error.what_without_backtrace());
  }
  return contents;
}

}  // namespace

CheckpointInfo read_checkpoint_info(const std::string& path) {
  return open_checkpoint(path).info;
}

void load_checkpoint_weights(const std::string& path, MuZeroNetwork& network) {
  const Contents contents = open_checkpoint(path);
  try {
    deserialize_weights(network, contents.weights);
  } catch (const std::runtime_error& error) {
    throw CheckpointError(path + ": " + error.what());
  }
}

void load_checkpoint_optimizer(const std::string& path, torch::optim::Optimizer& optimizer) {
  Contents contents = open_checkpoint(path);
  const std::string no_state =
      path +
      ": has no optimizer state (an exported checkpoint, for evaluate and play); resume "
      "from a training run's checkpoint";
  try {
    if (contents.info.format >= 3) {
      if (contents.optimizer_state.empty()) throw CheckpointError(no_state);
      decode_optimizer_state(contents.optimizer_state, optimizer);
      return;
    }
    // Formats 1 and 2 hold LibTorch's own archive, read by position: LibTorch 2.x's loader
    // puts a 1.13 archive's state on the wrong parameters (trainer/optimizer_state.h).
    torch::serialize::InputArchive state;
    if (contents.info.format == 1) {
      if (!contents.archive.try_read("optimizer", state)) throw CheckpointError(no_state);
    } else {
      if (contents.optimizer_state.empty()) throw CheckpointError(no_state);
      std::istringstream bytes(contents.optimizer_state);
      state.load_from(bytes);
    }
    load_libtorch_optimizer_archive(state, optimizer);
  } catch (const c10::Error& error) {
    throw CheckpointError(path +
                          ": the optimizer state does not load: " + error.what_without_backtrace());
  } catch (const OptimizerStateError& error) {
    throw CheckpointError(path + ": the optimizer state does not load: " + error.what());
  }
}

void write_checkpoint(const std::string& path, const std::string& config_yaml,
                      std::int64_t training_step, MuZeroNetwork& network,
                      const torch::optim::Optimizer* optimizer) {
  if (!all_finite(network)) {
    throw CheckpointError("refusing to write " + path +
                          ": the weights hold values that are not finite");
  }
  const std::string weights = serialize_weights(network);
  const std::string optimizer_state =
      optimizer != nullptr ? encode_optimizer_state(*optimizer) : std::string();
  torch::serialize::OutputArchive archive;
  archive.write("format", c10::IValue(kCheckpointFormat));
  archive.write("config", c10::IValue(config_yaml));
  archive.write("steps", c10::IValue(training_step));
  archive.write("weights", c10::IValue(weights));
  if (optimizer != nullptr) archive.write("optimizer_state", c10::IValue(optimizer_state));
  archive.write("sha256", c10::IValue(contents_digest(kCheckpointFormat, config_yaml, training_step,
                                                      weights, optimizer_state)));
  std::ostringstream file;
  archive.save_to(file);
  write_file_atomically(path, file.str());
}

}  // namespace muzero
