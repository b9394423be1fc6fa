// The shared-storage process: latest weights with their version, the run's counters, and the
// metrics files (TensorBoard and JSON lines), written every couple of seconds.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <fstream>

#include "games/registry.h"
#include "models/network_layout.h"
#include "models/parameters.h"
#include "muzero/ipc/connection.h"
#include "muzero/ipc/counters.h"
#include "muzero/ipc/frame_server.h"
#include "muzero/ipc/messages.h"
#include "muzero/metrics/metrics_log.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/persist/counters_file.h"
#include "muzero/run_directory.h"
#include "muzero/runtime/io_loop.h"
#include "muzero/runtime/roles.h"
#include "muzero/runtime/storage_client.h"
#include "shared_storage/shared_storage.h"

namespace muzero {
namespace {

constexpr auto kMetricsPeriod = std::chrono::seconds(2);

// A damaged file (a line that is not one, or a value that is not finite) is reported and kept
// aside, since the run rewrites it; the counters read before the damage carry on, the rest start
// from 0. Lines naming no counter of this version are skipped.
void load_counters(const std::filesystem::path& path, SharedStorage& storage) {
  std::ifstream in(path);
  if (!in) return;  // a new run
  const CountersFileReport report = read_counters_file(in);
  for (const auto& [name, value] : report.counters) storage.set_counter(name, value);
  if (report.unknown > 0) {
    spdlog::warn("{}: skipped {} lines naming no counter of this version", path.string(),
                 report.unknown);
  }
  if (!report.damage.empty()) {
    spdlog::error("{}:{}; the counters after it start from 0; the file is kept as {}",
                  path.string(), report.damage, move_aside(path).string());
  }
}

// The largest payload of each request storage serves. Weights are the run's parameters, whose
// encoded size the architecture fixes (the margin covers the message's own fields).
FrameLimits storage_limits(std::size_t weights_bytes) {
  const std::size_t stats = 8 + counters::rules().size() * (8 + 64 + 1 + 8);
  return FrameLimits()
      .allow(MessageType::kConfig, 0)
      .allow(MessageType::kWeights, 16 + 8 + 2 * weights_bytes + (64 << 10))
      .allow(MessageType::kWeightsRequest, 8)
      .allow(MessageType::kStats, stats)
      .allow(MessageType::kWaitForStep, 16);
}

// Moves per second of the local and the remote self-play workers, between two metric writes.
class MoveRates {
 public:
  struct Rates {
    double local = 0, remote = 0;
  };
  Rates update(double played_steps, double remote_steps) {
    const auto now = std::chrono::steady_clock::now();
    Rates rates;
    const double seconds = std::chrono::duration<double>(now - at_).count();
    if (started_ && seconds > 0) {
      rates.remote = std::max(0.0, remote_steps - remote_) / seconds;
      rates.local = std::max(0.0, (played_steps - remote_steps) - (played_ - remote_)) / seconds;
    }
    started_ = true;
    at_ = now;
    played_ = played_steps;
    remote_ = remote_steps;
    return rates;
  }

 private:
  bool started_ = false;
  std::chrono::steady_clock::time_point at_{};
  double played_ = 0, remote_ = 0;
};

// Reanalysed positions per second between two metric writes.
class ReanalyseRate {
 public:
  double update(double positions) {
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - at_).count();
    const double rate =
        started_ && seconds > 0 ? std::max(0.0, positions - positions_) / seconds : 0;
    started_ = true;
    at_ = now;
    positions_ = positions;
    return rate;
  }

 private:
  bool started_ = false;
  std::chrono::steady_clock::time_point at_{};
  double positions_ = 0;
};

void log_metrics(MetricsLog& log, const SharedStorage& storage, MoveRates& move_rates,
                 ReanalyseRate& reanalyse_rate) {
  const auto c = storage.counters();
  auto get = [&](const char* name) {
    auto it = c.find(name);
    return it == c.end() ? 0.0 : it->second;
  };
  const double step = get(counters::kTrainingStep);
  const double played_steps = get(counters::kPlayedSteps);
  std::vector<std::pair<std::string, double>> scalars{
      {"2.Workers/1.Self_played_games", get(counters::kPlayedGames)},
      {"2.Workers/2.Training_steps", step},
      {"2.Workers/3.Self_played_steps", played_steps},
      {"2.Workers/5.Training_steps_per_self_played_step_ratio", step / std::max(1.0, played_steps)},
      {"2.Workers/6.Learning_rate", get(counters::kLearningRate)},
      {"3.Loss/1.Total_weighted_loss", get(counters::kTotalLoss)},
      {"3.Loss/Value_loss", get(counters::kValueLoss)},
      {"3.Loss/Reward_loss", get(counters::kRewardLoss)},
      {"3.Loss/Policy_loss", get(counters::kPolicyLoss)},
  };
  if (c.count(counters::kConsistencyLoss) > 0) {  // training.consistency_loss_weight > 0 only
    scalars.push_back({"3.Loss/Consistency_loss", get(counters::kConsistencyLoss)});
  }
  if (c.count(counters::kLookaheadLoss) > 0) {  // training.lookahead_reward_loss_weight > 0 only
    scalars.push_back({"3.Loss/Lookahead_reward_loss", get(counters::kLookaheadLoss)});
  }
  if (c.count(counters::kAllMovesConsistencyLoss) > 0) {  // its weight > 0 only
    scalars.push_back(
        {"3.Loss/All_moves_consistency_loss", get(counters::kAllMovesConsistencyLoss)});
  }
  if (get(counters::kTestRounds) > 0) {
    scalars.insert(scalars.end(),
                   {{"1.Total_reward/1.Total_reward", get(counters::kTestReward)},
                    {"1.Total_reward/2.Mean_value", get(counters::kTestMeanValue)},
                    {"1.Total_reward/3.Episode_length", get(counters::kTestEpisodeLength)},
                    {"1.Total_reward/4.MuZero_reward", get(counters::kTestMuZeroReward)},
                    {"1.Total_reward/5.Opponent_reward", get(counters::kTestOpponentReward)}});
  }
  const MoveRates::Rates rates = move_rates.update(played_steps, get(counters::kPlayedStepsRemote));
  scalars.insert(scalars.end(),
                 {{"2.Workers/8.Attached_local_workers", get(counters::kWorkersLocal)},
                  {"2.Workers/9.Attached_remote_workers", get(counters::kWorkersRemote)},
                  {"2.Workers/10.Local_moves_per_second", rates.local},
                  {"2.Workers/11.Remote_moves_per_second", rates.remote}});
  const double reanalysed = get(counters::kReanalysedPositions);
  const double positions_per_second = reanalyse_rate.update(reanalysed);
  if (reanalysed > 0) {  // reanalyse.num_workers > 0 only
    scalars.insert(scalars.end(),
                   {{"5.Reanalyse/1.Reanalysed_positions", reanalysed},
                    {"5.Reanalyse/2.Reanalysed_positions_per_second", positions_per_second},
                    {"5.Reanalyse/3.Fresh_share_of_samples",
                     get(counters::kFreshSamples) / std::max(1.0, get(counters::kTrainedSamples))},
                    {"5.Reanalyse/4.Fresh_target_age_in_steps", get(counters::kFreshTargetAge)}});
  }
  if (get(counters::kRefusedByStorage) > 0) {
    scalars.push_back({"2.Workers/7.Refused_by_storage", get(counters::kRefusedByStorage)});
  }
  if (get(counters::kInferenceCalls) > 0) {
    scalars.push_back({"4.Performance/Mean_inference_batch",
                       get(counters::kInferences) / get(counters::kInferenceCalls)});
  }
  log.log(static_cast<std::int64_t>(step), scalars);
}

}  // namespace

int run_storage_role(const RoleContext& context) {
  const Config& config = context.config;
  // The run's architecture, to check that weights sent here fit it and are finite before any
  // player receives them.
  const GameSpec game = game_spec(config.game_name);
  const ParameterLayout layout =
      network_layout(config.network, game.observation_shape, game.action_space_size);
  SharedStorage storage;
  const std::filesystem::path counters_file = context.run_dir / run_files::kCounters;
  load_counters(counters_file, storage);  // resuming or restarted: carry on counting
  storage.continue_versions_after(
      static_cast<std::int64_t>(counter(storage.counters(), counters::kWeightsVersion)));
  // The state of processes that start again with this one, not of the run: the trainer says
  // again when the replay buffer serves batches (until then self-play is not held back by the
  // ratio, which after a hard kill would wait for a trainer that waits for games).
  storage.set_counter(counters::kTrainingDone, 0);
  storage.set_counter(counters::kBufferReady, 0);
  std::int64_t training_step_of_weights = 0;
  MetricsLog metrics(context.run_dir);

  boost::asio::io_context io;
  std::vector<std::unique_ptr<FrameServer>> servers;  // Unix socket first, then TCP if any
  // The self-play workers connected now: each holds one connection to storage.
  const auto count_workers = [&] {
    double local = 0, remote = 0;
    for (std::size_t i = 0; i < servers.size(); ++i) {
      const double open = static_cast<double>(servers[i]->stats().open_of(PeerRole::kSelfPlay));
      (i == 0 ? local : remote) += open;
    }
    storage.set_counter(counters::kWorkersLocal, local);
    storage.set_counter(counters::kWorkersRemote, remote);
  };
  // Self-play workers ahead of the ratio, waiting for a training step (kWaitForStep): answered
  // when the trainer reports it, or at their deadline.
  struct Waiter {
    explicit Waiter(boost::asio::io_context& context) : deadline(context) {}
    double step = 0;
    boost::asio::steady_timer deadline;
    Responder respond;
    bool answered = false;
  };
  std::vector<std::shared_ptr<Waiter>> waiters;
  const auto answer = [&](Waiter& waiter) {
    if (waiter.answered) return;
    waiter.answered = true;
    waiter.deadline.cancel();
    waiter.respond(Reply{MessageType::kStats, encode_counters(storage.counters())});
  };
  const auto answer_reached = [&] {
    const double step = counter(storage.counters(), counters::kTrainingStep);
    for (const auto& waiter : waiters) {
      if (step >= waiter->step) answer(*waiter);
    }
    std::erase_if(waiters, [](const auto& waiter) { return waiter->answered; });
  };
  const std::string config_yaml = config_to_yaml(context.config);
  const FrameServer::Handler handler = [&](const Frame& frame,
                                           const Peer& peer) -> std::optional<Reply> {
    switch (frame.type) {
      case MessageType::kConfig: {
        PayloadWriter w;
        w.put_string(config_yaml);
        return Reply{MessageType::kConfig, std::move(w.bytes())};
      }
      case MessageType::kWeights: {
        require_role(peer, PeerRole::kTrainer, "weights");
        WeightsMessage weights = decode_weights(frame.payload);
        if (weights.blob.empty()) throw DecodeError("empty weights");
        // Throws (ParametersError) what does not fit or is not finite.
        check_layout(decode_parameters(weights.blob), layout);
        training_step_of_weights = weights.training_step;
        const std::int64_t version = storage.publish_weights(std::move(weights.blob));
        storage.set_counter(counters::kWeightsVersion, static_cast<double>(version));
        return Reply{MessageType::kWeights, encode_int(version)};
      }
      case MessageType::kWeightsRequest: {
        const std::int64_t known = decode_int(frame.payload);
        const WeightsSnapshot latest = storage.latest_weights();
        WeightsMessage reply{latest.version, training_step_of_weights, {}};
        if (latest.version > known && latest.blob) reply.blob = *latest.blob;
        return Reply{MessageType::kWeights, encode_weights(reply)};
      }
      case MessageType::kStats: {
        const std::vector<CounterUpdate> updates = decode_counter_updates(frame.payload);
        for (const CounterUpdate& u : updates) {
          if (auto refused = counters::refusal(u.name, u.add, u.value, peer.role)) {
            throw DecodeError("counters: " + *refused);
          }
        }
        for (const CounterUpdate& u : updates) {
          if (u.add) {
            storage.add_to_counter(u.name, u.value);
          } else {
            storage.set_counter(u.name, u.value);
          }
          if (peer.remote && u.name == counters::kPlayedSteps) {
            storage.add_to_counter(counters::kPlayedStepsRemote, u.value);
          }
        }
        count_workers();
        answer_reached();
        return Reply{MessageType::kStats, encode_counters(storage.counters())};
      }
      case MessageType::kWaitForStep: {
        require_role(peer, PeerRole::kSelfPlay, "waits for training steps");
        const WaitForStep wait = decode_wait_for_step(frame.payload);
        auto waiter = std::make_shared<Waiter>(io);
        waiter->step = static_cast<double>(wait.step);
        waiter->respond = peer.defer_reply();
        waiters.push_back(waiter);
        waiter->deadline.expires_after(std::chrono::milliseconds(wait.max_milliseconds));
        waiter->deadline.async_wait([&answer, waiter](const boost::system::error_code& error) {
          if (!error) answer(*waiter);
        });
        answer_reached();  // already there
        return std::nullopt;
      }
      default:
        throw DecodeError("shared storage does not handle message type " +
                          std::to_string(static_cast<int>(frame.type)));
    }
  };
  FrameServerOptions options;
  options.name = "storage";
  options.limits = storage_limits(encoded_parameters_size(layout));
  servers =
      serve(io, context, context.storage_address,
            context.listen.empty() ? "" : tcp_addresses(context.listen).first, handler, options);
  report_tcp_address(context, servers, run_files::kStorageTcpAddress);

  long refusals_reported = 0;
  MoveRates move_rates;
  ReanalyseRate reanalyse_rate;
  const auto write_state = [&] {
    if (const long refused = new_refusals(servers, refusals_reported); refused > 0) {
      storage.add_to_counter(counters::kRefusedByStorage, static_cast<double>(refused));
    }
    count_workers();
    log_metrics(metrics, storage, move_rates, reanalyse_rate);
    try {
      write_counters_file(counters_file, storage.counters());
    } catch (const FileWriteError& error) {
      spdlog::error("storage: {}", error.what());  // the previous counters stay on disk
    }
  };
  run_until_stopped(io, *context.stop, {kMetricsPeriod, write_state});
  write_state();
  return 0;
}

}  // namespace muzero
