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
#include "muzero/run_directory.h"
#include "muzero/runtime/io_loop.h"
#include "muzero/runtime/roles.h"
#include "replay_buffer/replay_buffer.h"

namespace muzero {
namespace {

constexpr auto kSavePeriod = std::chrono::seconds(60);

// File format: repeated [u64 payload size][kGame payload]; priorities are recomputed on load.
void save_buffer(const ReplayBuffer& buffer, const std::filesystem::path& path) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary);
    const GameId first = static_cast<GameId>(buffer.total_games_added() - buffer.num_games());
    for (GameId id = first; id < static_cast<GameId>(buffer.total_games_added()); ++id) {
      const std::vector<std::byte> payload = encode_game(*buffer.find(id));
      const std::uint64_t size = payload.size();
      out.write(reinterpret_cast<const char*>(&size), sizeof size);
      out.write(reinterpret_cast<const char*>(payload.data()), static_cast<std::streamsize>(size));
    }
  }
  std::filesystem::rename(temporary, path);
}

int load_buffer(ReplayBuffer& buffer, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  int loaded = 0;
  std::uint64_t size = 0;
  while (in.read(reinterpret_cast<char*>(&size), sizeof size)) {
    if (size > kMaxFramePayload)
      throw DecodeError("replay buffer file is corrupt: " + path.string());
    std::vector<std::byte> payload(size);
    if (!in.read(reinterpret_cast<char*>(payload.data()), static_cast<std::streamsize>(size))) {
      throw DecodeError("replay buffer file is truncated: " + path.string());
    }
    buffer.add(decode_game(payload));
    ++loaded;
  }
  return loaded;
}

}  // namespace

int run_replay_role(const RoleContext& context) {
  const Config& config = context.config;
  ReplayParams params = config.replay;
  if (params.augment_symmetries) params.symmetries = make_game(config.game_name)->symmetries();
  ReplayBuffer buffer(std::move(params));
  const std::filesystem::path file = context.run_dir / run_files::kReplayBuffer;
  if (std::filesystem::exists(file)) {
    try {
      spdlog::info("replay buffer: resumed {} games", load_buffer(buffer, file));
    } catch (const DecodeError& error) {
      // The games before the damage are in the buffer; the file is kept, since the save at
      // the end would overwrite it.
      spdlog::error("{}; resuming with the {} games read before the damage; the file is kept as {}",
                    error.what(), buffer.num_games(), move_aside(file).string());
    }
  }
  std::mt19937_64 rng(config.seed ^ 0xB0FFE4ull);
  std::int64_t played_steps = buffer.num_positions();

  boost::asio::io_context io;
  const FrameServer::Handler handler = [&](const Frame& frame) -> std::optional<Reply> {
    switch (frame.type) {
      case MessageType::kGame: {
        GameHistory game = decode_game(frame.payload);
        played_steps += game.num_moves();
        buffer.add(std::move(game));
        return Reply{MessageType::kGame, encode_int(buffer.total_games_added())};
      }
      case MessageType::kBatchRequest: {
        const std::int64_t size = decode_int(frame.payload);
        if (size < 1 || size > (1 << 20)) throw DecodeError("bad batch size");
        BatchReply reply;
        reply.played_games = buffer.total_games_added();
        reply.played_steps = played_steps;
        reply.ready = buffer.num_games() >= config.start_after_games;
        if (reply.ready) reply.batch = buffer.sample(static_cast<int>(size), rng);
        return Reply{MessageType::kBatch, encode_batch_reply(reply)};
      }
      case MessageType::kPriorities: {
        const PriorityUpdate update = decode_priorities(frame.payload);
        buffer.update_priorities(update.positions, update.errors, update.num_unroll_steps);
        return Reply{MessageType::kPriorities, encode_int(0)};
      }
      default:
        throw DecodeError("the replay buffer does not handle message type " +
                          std::to_string(static_cast<int>(frame.type)));
    }
  };
  const auto servers =
      serve(io, context.replay_address,
            context.listen.empty() ? "" : tcp_addresses(context.listen).second, handler);

  // Saved every minute too, so that a replay buffer that crashed and is restarted loses at most
  // a minute of games.
  run_until_stopped(io, *context.stop, {kSavePeriod, [&] { save_buffer(buffer, file); }});
  save_buffer(buffer, file);
  spdlog::info("replay buffer: saved {} games", buffer.num_games());
  return 0;
}

}  // namespace muzero
