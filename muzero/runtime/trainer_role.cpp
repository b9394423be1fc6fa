// The trainer process: gradient steps on batches prefetched from the replay buffer, new
// priorities back to it, weights to shared storage every checkpoint_interval steps, and the
// checkpoint (weights, optimizer state, step) written on stop, at the end and every minute.
#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <thread>

#include "games/registry.h"
#include "models/device.h"
#include "muzero/runtime/counters.h"
#include "muzero/runtime/roles.h"
#include "muzero/runtime/storage_client.h"
#include "trainer/trainer.h"

namespace muzero {
namespace {

constexpr auto kCheckpointPeriod = std::chrono::seconds(60);
constexpr long kStatsInterval = 5;  // training steps between loss reports

}  // namespace

int run_trainer_role(const RoleContext& context) {
  const Config& config = context.config;
  torch::manual_seed(config.seed);
  const torch::Device device = select_device(config.device);
  auto probe = make_game(config.game_name);
  auto network =
      make_network(config.network, probe->observation_shape(), probe->action_space_size());
  Trainer trainer(network, config.train, device);
  const std::filesystem::path checkpoint = context.run_dir / run_files::kCheckpoint;
  const std::string config_yaml = config_to_yaml(config);
  if (std::filesystem::exists(checkpoint)) {
    const CheckpointInfo info = trainer.load_checkpoint(checkpoint.string());
    const Config saved = parse_config(info.config_yaml, checkpoint.string());
    if (saved.game_name != config.game_name) {
      throw CheckpointError(checkpoint.string() + " is for " + saved.game_name + ", not " +
                            config.game_name);
    }
    spdlog::info("trainer: resumed from step {}", trainer.steps());
  }
  auto save = [&] { trainer.save_checkpoint(checkpoint.string(), config_yaml); };

  try {
    StorageClient storage(context.storage_address, context.stop);
    Connection batches(context.replay_address, std::chrono::seconds(60), context.stop);
    Connection priorities(context.replay_address, std::chrono::seconds(60), context.stop);
    storage.publish_weights(serialize_weights(*network), trainer.steps());
    batches.send(MessageType::kBatchRequest, encode_int(config.batch_size));  // prefetch
    auto last_save = std::chrono::steady_clock::now();
    TrainStepResult last;
    while (trainer.steps() < config.training_steps && !context.stop->load()) {
      std::vector<CounterUpdate> updates{
          {counters::kTrainingStep, false, static_cast<double>(trainer.steps())}};
      if (trainer.steps() % kStatsInterval == 0 && trainer.steps() > 0) {
        updates.insert(updates.end(), {{counters::kTotalLoss, false, last.total_loss},
                                       {counters::kValueLoss, false, last.value_loss},
                                       {counters::kRewardLoss, false, last.reward_loss},
                                       {counters::kPolicyLoss, false, last.policy_loss},
                                       {counters::kLearningRate, false, last.learning_rate}});
      }
      const auto counts = storage.update(updates);
      if (config.ratio &&
          trainer.steps() > *config.ratio * counter(counts, counters::kPlayedSteps)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));  // self-play is behind
        continue;
      }
      const Frame frame = batches.receive();
      if (frame.type != MessageType::kBatch)
        throw std::runtime_error("replay buffer sent no batch");
      BatchReply reply = decode_batch_reply(frame.payload);
      batches.send(MessageType::kBatchRequest, encode_int(config.batch_size));
      if (!reply.ready) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // too few games yet
        continue;
      }
      last = trainer.train_step(reply.batch);
      priorities.request(MessageType::kPriorities,
                         encode_priorities({reply.batch.num_unroll_steps, reply.batch.positions,
                                            last.value_errors}));
      if (trainer.steps() % config.checkpoint_interval == 0) {
        storage.publish_weights(serialize_weights(*network), trainer.steps());
      }
      if (std::chrono::steady_clock::now() - last_save > kCheckpointPeriod) {
        save();
        last_save = std::chrono::steady_clock::now();
      }
    }
    save();
    storage.publish_weights(serialize_weights(*network), trainer.steps());
    const bool done = trainer.steps() >= config.training_steps;
    storage.update({{counters::kTrainingStep, false, static_cast<double>(trainer.steps())},
                    {counters::kTrainingDone, false, done ? 1.0 : 0.0}});
  } catch (const std::exception& error) {
    // Storage or the buffer went away (a shutdown, or a crash): keep what was learned.
    save();
    if (context.stop->load()) return 0;
    throw;
  }
  return 0;
}

}  // namespace muzero
