// The trainer process: gradient steps on batches prefetched from the replay buffer, new
// priorities back to it, weights to shared storage every checkpoint_interval steps, and the
// checkpoint (weights, optimizer state, step) written on stop, at the end and every few seconds
// (SavePacing: a crash loses at most that much training).
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <thread>

#include "games/registry.h"
#include "models/device.h"
#include "muzero/ipc/counters.h"
#include "muzero/runtime/roles.h"
#include "muzero/runtime/save_pacing.h"
#include "muzero/runtime/storage_client.h"
#include "trainer/last_good_state.h"
#include "trainer/trainer.h"

namespace muzero {
namespace {

constexpr long kStatsInterval = 5;  // training steps between loss reports

// Where the trainer's time goes, in seconds: logged at the end to show what limits training.
struct PhaseTimes {
  double gradient = 0, batches = 0, ratio = 0, storage = 0, priorities = 0;
  // Runs `work`, adds its duration to `total` and returns what it returns (or nothing).
  template <typename F>
  decltype(auto) measure(double& total, F&& work) {
    struct Stopwatch {
      double& total;
      std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
      ~Stopwatch() {
        total += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
    } stopwatch{total};
    return work();
  }
};

// reanalyse: how many samples started at fresh positions, of how many, and their targets' mean
// age in training steps when drawn, over the batches since the last report.
struct FreshTargetStats {
  double samples = 0, trained = 0;
  std::optional<double> age;
  void add(const Batch& batch, long step) {
    trained += batch.batch_size;
    if (batch.fresh_samples == 0) return;
    double sum = 0;
    for (int i = 0; i < batch.fresh_samples; ++i) {
      sum += static_cast<double>(step - batch.target_steps[i]);
    }
    age = sum / batch.fresh_samples;
    samples += batch.fresh_samples;
  }
};

// A copy of the checkpoint at this step under checkpoints/, for evaluating the run's history.
void keep_checkpoint(const Trainer& trainer, const std::filesystem::path& run_dir,
                     const std::string& config_yaml) {
  const std::filesystem::path folder = run_dir / "checkpoints";
  std::filesystem::create_directories(folder);
  const std::string name = fmt::format("step-{:08d}.pt", trainer.steps());
  trainer.save_checkpoint((folder / name).string(), config_yaml);
}

// Which positions a batch holds, for the log: "game 12 position 3, ...".
std::string describe_positions(const Batch& batch) {
  std::string text;
  for (std::size_t i = 0; i < batch.positions.size() && i < 8; ++i) {
    text += (i == 0 ? "" : ", ") + fmt::format("game {} position {}", batch.positions[i].game_id,
                                               batch.positions[i].position);
  }
  return batch.positions.size() > 8 ? text + ", ..." : text;
}

}  // namespace

int run_trainer_role(const RoleContext& context) {
  const Config& config = context.config;
  torch::manual_seed(config.seed);
  const torch::Device device = select_device(config.device);
  const GameSpec game = game_spec(config.game_name);
  auto network = make_network(config.network, game.observation_shape, game.action_space_size);
  std::shared_ptr<MuZeroNetwork> target_network;
  if (config.train.target_update_interval > 0) {
    target_network = make_network(config.network, game.observation_shape, game.action_space_size);
  }
  Trainer trainer(network, config.train, device, target_network);
  const std::filesystem::path checkpoint = context.run_dir / run_files::kCheckpoint;
  const std::string config_yaml = config_to_yaml(config);
  if (std::filesystem::exists(checkpoint)) {
    const CheckpointInfo info = trainer.load_checkpoint(checkpoint.string());
    // The run's digests of its game files win over the checkpoint's: resuming with --set
    // game.plugin_sha256=... is how a user accepts a rebuilt plugin.
    std::vector<std::string> accepted;
    if (!config.game_plugin_sha256.empty()) {
      accepted.push_back("game.plugin_sha256=" + config.game_plugin_sha256);
    }
    if (!config.game_python_sha256.empty()) {
      accepted.push_back("game.python_sha256=" + config.game_python_sha256);
    }
    const Config saved = parse_config(info.config_yaml, checkpoint.string(), accepted);
    if (saved.game_name != config.game_name) {
      throw CheckpointError(checkpoint.string() + " is for " + saved.game_name + ", not " +
                            config.game_name);
    }
    spdlog::info("trainer: resumed from step {}", trainer.steps());
  }
  // Saving never destroys the last good checkpoint: a full disk or weights that are not finite
  // leave the file as it was, and the error is logged.
  LastGoodState last_good(trainer, checkpoint.string(), config_yaml);
  SavePacing pacing;
  auto save = [&]() -> bool {
    const auto start = SavePacing::Clock::now();
    const auto failure = last_good.save();
    if (failure) {
      pacing.failed(SavePacing::Clock::now());
      spdlog::error("trainer: {}", *failure);
    } else {
      pacing.saved(start, SavePacing::Clock::now());
    }
    return !failure;
  };
  auto go_back_if_not_finite = [&](const std::string& why) {
    if (last_good.go_back_if_not_finite("trainer: " + why)) {
      spdlog::error("trainer: {}; went back to the checkpoint of step {}", why, trainer.steps());
      return true;
    }
    return false;
  };
  if (!std::filesystem::exists(checkpoint) && !save()) {
    throw std::runtime_error("trainer: cannot write the first checkpoint");
  }
  double skipped_batches = 0;  // not yet reported to storage
  bool final_save_tried = false;

  try {
    StorageClient storage(context.storage_address, context.connection(PeerRole::kTrainer));
    Connection batches(context.replay_address, context.connection(PeerRole::kTrainer));
    Connection priorities(context.replay_address, context.connection(PeerRole::kTrainer));
    storage.publish_weights(encode_parameters(to_parameters(*network)), trainer.steps());
    batches.send(MessageType::kBatchRequest, encode_int(config.batch_size));  // prefetch
    TrainStepResult last;
    PhaseTimes times;
    bool priorities_pending = false;
    FreshTargetStats fresh;  // not yet reported
    // Whether the last batch request got a batch. Self-play does not wait for training while
    // it is false: after a replay buffer restarted with fewer games than it needs, only new
    // games can end the wait.
    bool buffer_ready = false;
    while (trainer.steps() < config.training_steps && !context.stop->load()) {
      std::vector<CounterUpdate> updates{
          {counters::kTrainingStep, false, static_cast<double>(trainer.steps())},
          {counters::kBufferReady, false, buffer_ready ? 1.0 : 0.0}};
      if (skipped_batches > 0) {
        updates.push_back({counters::kSkippedBatches, true, skipped_batches});
        skipped_batches = 0;
      }
      if (config.reanalyse_workers > 0) {
        updates.insert(updates.end(), {{counters::kFreshSamples, true, fresh.samples},
                                       {counters::kTrainedSamples, true, fresh.trained}});
        if (fresh.age) updates.push_back({counters::kFreshTargetAge, false, *fresh.age});
        fresh = {};
      }
      if (trainer.steps() % kStatsInterval == 0 && trainer.steps() > 0) {
        updates.insert(updates.end(), {{counters::kTotalLoss, false, last.total_loss},
                                       {counters::kValueLoss, false, last.value_loss},
                                       {counters::kRewardLoss, false, last.reward_loss},
                                       {counters::kPolicyLoss, false, last.policy_loss},
                                       {counters::kLearningRate, false, last.learning_rate}});
        if (config.train.consistency_loss_weight > 0.0) {
          updates.push_back({counters::kConsistencyLoss, false, last.consistency_loss});
        }
        if (config.train.lookahead_reward_loss_weight > 0.0) {
          updates.push_back({counters::kLookaheadLoss, false, last.lookahead_loss});
        }
        if (config.train.all_moves_consistency_loss_weight > 0.0) {
          updates.push_back(
              {counters::kAllMovesConsistencyLoss, false, last.all_moves_consistency_loss});
        }
      }
      const auto counts = times.measure(times.storage, [&] { return storage.update(updates); });
      if (config.ratio &&
          trainer.steps() > *config.ratio * counter(counts, counters::kPlayedSteps)) {
        times.measure(times.ratio, [] {  // self-play is behind
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
        });
        continue;
      }
      const Frame frame = times.measure(times.batches, [&] { return batches.receive(); });
      if (frame.type != MessageType::kBatch)
        throw std::runtime_error("replay buffer sent no batch");
      BatchReply reply = decode_batch_reply(frame.payload);
      batches.send(MessageType::kBatchRequest, encode_int(config.batch_size));
      buffer_ready = reply.ready;
      if (!reply.ready) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // too few games yet
        continue;
      }
      fresh.add(reply.batch, trainer.steps());
      last = times.measure(times.gradient, [&] { return trainer.train_step(reply.batch); });
      if (last.skipped) {
        ++skipped_batches;
        if (!go_back_if_not_finite(
                "the weights are no longer finite (a step before made them so)")) {
          spdlog::error("trainer: skipped a batch whose loss is not finite ({})",
                        describe_positions(reply.batch));
        }
        continue;
      }
      // Priorities go out without waiting: the reply to the previous ones is read just before,
      // so the replay buffer updates them while the next gradient step runs.
      times.measure(times.priorities, [&] {
        if (priorities_pending) priorities.receive();
        priorities.send(MessageType::kPriorities,
                        encode_priorities({reply.batch.num_unroll_steps, reply.batch.positions,
                                           last.value_errors}));
        priorities_pending = true;
      });
      if (trainer.steps() % config.checkpoint_interval == 0) {
        if (go_back_if_not_finite("the weights are no longer finite after step " +
                                  std::to_string(trainer.steps()))) {
          continue;
        }
        times.measure(times.storage, [&] {
          storage.publish_weights(encode_parameters(to_parameters(*network)), trainer.steps());
        });
      }
      if (config.keep_checkpoint_every > 0 && trainer.steps() % config.keep_checkpoint_every == 0) {
        try {
          keep_checkpoint(trainer, context.run_dir, config_yaml);
        } catch (const std::exception& error) {
          spdlog::error("trainer: {}", error.what());
        }
      }
      if (pacing.due()) save();
    }
    if (priorities_pending) priorities.receive();
    spdlog::info(
        "trainer: time in gradient steps {:.1f} s, waiting for batches {:.1f} s, for self-play "
        "(ratio) {:.1f} s, storage {:.1f} s, priorities {:.1f} s",
        times.gradient, times.batches, times.ratio, times.storage, times.priorities);
    final_save_tried = true;
    const bool saved = save();
    storage.publish_weights(encode_parameters(to_parameters(*network)), trainer.steps());
    if (!saved) throw std::runtime_error("trainer: the final checkpoint was not saved");
    const bool done = trainer.steps() >= config.training_steps;
    storage.update({{counters::kTrainingStep, false, static_cast<double>(trainer.steps())},
                    {counters::kTrainingDone, false, done ? 1.0 : 0.0}});
  } catch (const std::exception& error) {
    // Storage or the buffer went away (a shutdown, or a crash): keep what was learned.
    if (!final_save_tried) save();
    if (context.stop->load()) return 0;
    throw;
  }
  return 0;
}

}  // namespace muzero
