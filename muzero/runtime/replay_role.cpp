// The replay-buffer process: takes finished games, serves sampled batches and priority updates.
// It writes its games to the run directory every minute and on stop, and reads them back when
// resuming or restarted after a crash.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <fstream>
#include <utility>

#include "games/registry.h"
#include "muzero/ipc/connection.h"
#include "muzero/ipc/frame_server.h"
#include "muzero/ipc/messages.h"
#include "muzero/ipc/reanalyse_messages.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/persist/replay_file.h"
#include "muzero/run_directory.h"
#include "muzero/runtime/io_loop.h"
#include "muzero/runtime/roles.h"
#include "replay_buffer/fresh_targets.h"
#include "replay_buffer/game_record_check.h"
#include "replay_buffer/replay_buffer.h"

namespace muzero {
namespace {

constexpr auto kSavePeriod = std::chrono::seconds(60);

// A failed save (a full disk) keeps the previous file and the games in memory: it is logged and
// tried again at the next period.
bool save_buffer(const ReplayBuffer& buffer, const std::filesystem::path& path) {
  const GameId first = static_cast<GameId>(buffer.total_games_added() - buffer.num_games());
  try {
    write_replay_file(
        path, [&](std::size_t i) { return buffer.find(first + static_cast<GameId>(i)); },
        static_cast<std::size_t>(buffer.num_games()));
    return true;
  } catch (const FileWriteError& error) {
    spdlog::error("replay buffer: {}", error.what());
    return false;
  }
}

void load_buffer(ReplayBuffer& buffer, const std::filesystem::path& path,
                 const GameRecordRules& rules) {
  std::ifstream in(path, std::ios::binary);
  const ReplayFileReport report =
      read_replay_file(in, rules, [&](GameHistory game) { buffer.add(std::move(game)); });
  spdlog::info("replay buffer: resumed {} games", report.loaded);
  if (report.skipped > 0) {
    spdlog::warn("replay buffer: skipped {} saved games that do not fit this run, e.g. {}",
                 report.skipped, report.skip_reasons.front());
  }
  if (!report.damage.empty()) {
    // The games before the damage are in the buffer; the file is kept, since the next save
    // would overwrite it.
    spdlog::error(
        "{}: {}; resuming with the {} games read before the damage; the file is kept as {}",
        path.string(), report.damage, report.loaded, move_aside(path).string());
  }
}

// Fresh windows held for batches: enough for a few batches at reanalyse.fraction, so that the
// workers rest (back-pressure) once they are that far ahead of the trainer.
constexpr int kFreshBatches = 4;

ReanalyseShape reanalyse_shape(const GameRecordRules& rules, const Config& config) {
  return {rules.game.observation_shape.size(), rules.game.action_space_size,
          config.replay.targets.num_unroll_steps + 1, config.reanalyse_windows};
}

// The largest payload of each request the replay buffer serves.
FrameLimits replay_limits(const GameRecordRules& rules, const Config& config) {
  const std::size_t B = static_cast<std::size_t>(config.batch_size);
  const std::size_t K = static_cast<std::size_t>(config.replay.targets.num_unroll_steps);
  return FrameLimits()
      .allow(MessageType::kGame, max_game_payload(rules))
      .allow(MessageType::kBatchRequest, 8)
      .allow(MessageType::kPriorities, 4 + (8 + 8 * B) + (8 + 4 * B) + (8 + 4 * B * (K + 1)))
      .allow(MessageType::kReanalyseRequest, 8)
      .allow(MessageType::kReanalysedTargets,
             max_reanalyse_payload(reanalyse_shape(rules, config)));
}

}  // namespace

int run_replay_role(const RoleContext& context) {
  const Config& config = context.config;
  ReplayParams params = config.replay;
  if (params.augment_symmetries) params.symmetries = make_game(config.game_name)->symmetries();
  ReplayBuffer buffer(std::move(params));
  const GameRecordRules rules{game_spec(config.game_name), config.self_play.max_moves};
  const std::filesystem::path file = context.run_dir / run_files::kReplayBuffer;
  if (std::filesystem::exists(file)) load_buffer(buffer, file, rules);
  std::mt19937_64 rng(config.seed ^ 0xB0FFE4ull);
  std::int64_t played_steps = buffer.num_positions();
  const ReanalyseShape shape = reanalyse_shape(rules, config);
  const std::size_t fresh_per_batch =
      static_cast<std::size_t>(std::lround(config.reanalyse_fraction * config.batch_size));
  FreshTargets fresh(std::max<std::size_t>(1, kFreshBatches * fresh_per_batch));
  const auto stored = [&](const SampledPosition& p) { return buffer.find(p.game_id) != nullptr; };

  boost::asio::io_context io;
  const FrameServer::Handler handler = [&](const Frame& frame,
                                           const Peer& peer) -> std::optional<Reply> {
    switch (frame.type) {
      case MessageType::kGame: {
        require_role(peer, PeerRole::kSelfPlay, "games");
        GameHistory game = decode_game(frame.payload);
        check_game_record(game, rules);  // a refusal closes the connection, as DecodeError does
        played_steps += game.num_moves();
        buffer.add(std::move(game));
        return Reply{MessageType::kGame, encode_int(buffer.total_games_added())};
      }
      case MessageType::kBatchRequest: {
        require_role(peer, PeerRole::kTrainer, "batch requests");
        const std::int64_t size = decode_int(frame.payload);
        if (size < 1 || size > config.batch_size) {
          throw DecodeError("a batch of " + std::to_string(size) + " samples; this run's is " +
                            std::to_string(config.batch_size));
        }
        BatchReply reply;
        reply.played_games = buffer.total_games_added();
        reply.played_steps = played_steps;
        reply.ready = buffer.num_games() >= config.start_after_games;
        if (reply.ready) {
          const std::vector<SampledPosition> chosen = fresh.take(
              std::min<std::size_t>(fresh_per_batch, static_cast<std::size_t>(size)), stored);
          reply.batch = buffer.sample(static_cast<int>(size), rng, chosen);
        }
        return Reply{MessageType::kBatch, encode_batch_reply(reply)};
      }
      case MessageType::kPriorities: {
        require_role(peer, PeerRole::kTrainer, "priorities");
        const PriorityUpdate update = decode_priorities(frame.payload);
        if (update.num_unroll_steps != config.replay.targets.num_unroll_steps ||
            update.positions.size() > static_cast<std::size_t>(config.batch_size)) {
          throw DecodeError("priorities for another unroll length or batch size than the run's");
        }
        buffer.update_priorities(update.positions, update.errors, update.num_unroll_steps);
        return Reply{MessageType::kPriorities, encode_int(0)};
      }
      case MessageType::kReanalyseRequest: {
        require_role(peer, PeerRole::kReanalyse, "reanalyse requests");
        const std::int64_t windows = decode_int(frame.payload);
        if (windows < 1 || windows > shape.max_windows) {
          throw DecodeError("a reanalyse request for " + std::to_string(windows) +
                            " windows; this run's is at most " + std::to_string(shape.max_windows));
        }
        // No work until training has started, nor while the fresh windows would outrun it.
        ReanalyseWork work;
        if (buffer.num_games() >= config.start_after_games && !fresh.full()) {
          work = buffer.reanalyse_work(static_cast<int>(windows), rng);
        }
        return Reply{MessageType::kReanalyseWork, encode_reanalyse_work(work)};
      }
      case MessageType::kReanalysedTargets: {
        require_role(peer, PeerRole::kReanalyse, "reanalysed targets");
        const ReanalysedTargets targets = decode_reanalysed_targets(frame.payload, shape);
        if (const auto problem = buffer.reanalysed_targets_problem(targets)) {
          throw DecodeError("reanalysed targets refused: " + *problem);
        }
        const std::vector<SampledPosition> refreshed = buffer.apply_reanalysed(targets);
        if (fresh_per_batch > 0) fresh.add(refreshed);
        return Reply{MessageType::kReanalysedTargets,
                     encode_int(static_cast<std::int64_t>(refreshed.size()))};
      }
      default:
        throw DecodeError("the replay buffer does not handle message type " +
                          std::to_string(static_cast<int>(frame.type)));
    }
  };
  FrameServerOptions options;
  options.name = "replay buffer";
  options.limits = replay_limits(rules, config);
  const auto servers =
      serve(io, context, context.replay_address,
            context.listen.empty() ? "" : tcp_addresses(context.listen).second, handler, options);
  report_tcp_address(context, servers, run_files::kReplayTcpAddress);

  // Saved every minute too, so that a replay buffer that crashed and is restarted loses at most
  // a minute of games.
  long refusals_reported = 0;
  const auto periodic = [&] {
    save_buffer(buffer, file);
    if (const long refused = new_refusals(servers, refusals_reported); refused > 0) {
      spdlog::warn("replay buffer: refused {} connections or messages in the last minute", refused);
    }
  };
  run_until_stopped(io, *context.stop, {kSavePeriod, periodic});
  if (save_buffer(buffer, file)) {
    spdlog::info("replay buffer: saved {} games", buffer.num_games());
  } else {
    spdlog::error("replay buffer: {} games not saved; {} keeps those of its last save",
                  buffer.num_games(), file.string());
  }
  return 0;
}

}  // namespace muzero
