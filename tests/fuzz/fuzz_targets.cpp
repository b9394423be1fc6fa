#include "tests/fuzz/fuzz_targets.h"

#include <random>
#include <sstream>
#include <string>

#include "games/connect4.h"
#include "games/tictactoe.h"
#include "models/native/fully_connected_evaluator.h"
#include "models/network_layout.h"
#include "muzero/ipc/counters.h"
#include "muzero/ipc/frame.h"
#include "muzero/ipc/handshake.h"
#include "muzero/ipc/messages.h"
#include "muzero/ipc/reanalyse_messages.h"
#include "muzero/ipc/run_token.h"
#include "muzero/persist/counters_file.h"
#include "muzero/persist/replay_file.h"
#include "muzero/persist/run_endpoint.h"
#include "replay_buffer/replay_buffer.h"
#include "self_play/analysis.h"

namespace muzero::fuzz {
namespace {

std::span<const std::byte> bytes(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const std::byte*>(data), size};
}

// A small two-player game like TicTacToe's records (3 values per observation, 4 actions), so
// that inputs can fit it.
const GameRecordRules kRules{{"fuzz", {1, 1, 3}, 4, 2}, 8};

// What the replay buffer does with what it accepts: stores it, samples and updates priorities.
void store_and_sample(std::vector<GameHistory>& games) {
  ReplayParams params;
  params.window_size = 4;
  params.targets.num_unroll_steps = 2;
  params.targets.td_steps = 3;
  params.lookahead_rewards = true;
  params.next_observations = true;
  params.move_observations = true;
  ReplayBuffer buffer(params);
  for (GameHistory& game : games) buffer.add(std::move(game));
  if (buffer.num_games() == 0) return;
  std::mt19937_64 rng(1);
  const Batch batch = buffer.sample(3, rng);
  buffer.update_priorities(batch.positions, std::vector<float>(batch.positions.size() * 3, 0.5f),
                           2);
}

}  // namespace

int frame(const std::uint8_t* data, std::size_t size) {
  FrameDecoder decoder(FrameLimits::any(1 << 16));
  try {
    for (std::size_t at = 0; at < size;) {
      const std::size_t piece = std::min<std::size_t>(size - at, 1 + data[at] % 64);
      decoder.feed(bytes(data + at, piece));
      at += piece;
      while (decoder.next()) {
      }
    }
  } catch (const DecodeError&) {
  }
  return 0;
}

int messages(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto payload = bytes(data + 1, size - 1);
  try {
    switch (data[0] % 7) {
      case 0: {
        GameHistory game = decode_game(payload);
        check_game_record(game, kRules);
        std::vector<GameHistory> games{std::move(game)};
        store_and_sample(games);
        break;
      }
      case 1:
        decode_batch_reply(payload);
        break;
      case 2:
        decode_priorities(payload);
        break;
      case 3:
        decode_weights(payload);
        break;
      case 4:
        for (const CounterUpdate& u : decode_counter_updates(payload)) {
          counters::refusal(u.name, u.add, u.value, PeerRole::kSelfPlay);
        }
        break;
      case 5:
        decode_counters(payload);
        break;
      default:  // the fixed-size payloads
        try {
          decode_int(payload);
        } catch (const DecodeError&) {
        }
        decode_wait_for_step(payload);
    }
  } catch (const DecodeError&) {
  } catch (const InvalidGameRecord&) {
  }
  return 0;
}

int handshake(const std::uint8_t* data, std::size_t size) {
  const auto payload = bytes(data, size);
  Secret secret;
  secret.fill(42);
  const Nonce nonce{};
  try {
    const AuthRequest request = decode_auth_request(payload);
    // Forging a proof from nothing must not happen: a fuzzer that finds one found a hole.
    if (proofs_equal(request.proof,
                     client_proof(secret, nonce, request.client_nonce, request.role))) {
      __builtin_trap();
    }
  } catch (const DecodeError&) {
  }
  try {
    decode_hello(payload);
  } catch (const DecodeError&) {
  }
  try {
    decode_auth_reply(payload);
  } catch (const DecodeError&) {
  }
  try {
    RunToken::from_text(std::string(reinterpret_cast<const char*>(data), size));
  } catch (const TokenError&) {
  }
  return 0;
}

int replay_file(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  std::vector<GameHistory> games;
  read_replay_file(in, kRules, [&](GameHistory game) {
    if (games.size() < 16) games.push_back(std::move(game));
  });
  store_and_sample(games);
  return 0;
}

int counters_file(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  read_counters_file(in);
  return 0;
}

int endpoint_file(const std::uint8_t* data, std::size_t size) {
  try {
    const RunEndpoint endpoint =
        RunEndpoint::from_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
    // What is accepted must read back as itself.
    if (RunEndpoint::from_text(endpoint.to_text(), "again").to_text() != endpoint.to_text()) {
      __builtin_trap();
    }
  } catch (const EndpointError&) {
  }
  return 0;
}

NetworkParams fuzz_network() {
  NetworkParams p;
  p.encoding_size = 3;
  p.support_size = 2;
  p.fc_representation_layers = {4};
  p.fc_dynamics_layers = {4};
  p.fc_reward_layers = {};
  p.fc_value_layers = {};
  p.fc_policy_layers = {};
  return p;
}

int parameters(const std::uint8_t* data, std::size_t size) {
  const ObservationShape shape{1, 1, 3};
  try {
    const Parameters decoded =
        decode_parameters(std::string_view(reinterpret_cast<const char*>(data), size));
    // What is accepted must encode back to the same bytes.
    if (encode_parameters(decoded) != std::string_view(reinterpret_cast<const char*>(data), size)) {
      __builtin_trap();
    }
    check_layout(decoded, network_layout(fuzz_network(), shape, 4));
    native::FullyConnectedEvaluator evaluator(fuzz_network(), shape, 4);
    evaluator.load(decoded);
    evaluator.reserve_states(2);
    InferenceOutputs out;
    const std::vector<float> observation{0.5f, -1.0f, 0.0f};
    const std::vector<int> root{0}, child{1};
    const std::vector<Action> action{3};
    evaluator.initial_inference(observation, root, out);
    evaluator.recurrent_inference(root, action, child, out);
  } catch (const ParametersError&) {
  }
  return 0;
}

int analysis_line(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  TicTacToe tictactoe;
  tictactoe.reset(0);
  Connect4 connect4;
  connect4.reset(0);
  for (Game* game : {static_cast<Game*>(&tictactoe), static_cast<Game*>(&connect4)}) {
    const std::optional<std::string> error = play_moves(*game, line);
    const std::string quoted = json_string(error ? *error : std::string(line));
    if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"') __builtin_trap();
  }
  return 0;
}

ReplayBuffer reanalyse_buffer() {
  ReplayParams params;
  params.window_size = 4;
  params.targets.num_unroll_steps = 2;
  ReplayBuffer buffer(params);
  for (int moves : {3, 5}) {
    GameHistory game(3, 4, std::vector<float>{0, 0, 0}, 0);
    for (int i = 0; i < moves; ++i) {
      const std::vector<Action> legal{i % 4, (i + 1) % 4};
      game.add_search_facts(legal, 0);
      std::vector<float> policy(4, 0.0f);
      policy[i % 4] = policy[(i + 1) % 4] = 0.5f;
      game.add_move(policy, 0.1f * i, i % 4, i + 1 == moves ? 1.0f : 0.0f,
                    std::vector<float>{1.0f * i, 0, 1}, (i + 1) % 2);
    }
    buffer.add(std::move(game));
  }
  return buffer;
}

int reanalyse_messages(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ReanalyseShape shape{3, 4, 3, 4};
  const auto payload = bytes(data + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      decode_reanalyse_work(payload, shape);
      return 0;
    }
    const ReanalysedTargets targets = decode_reanalysed_targets(payload, shape);
    ReplayBuffer buffer = reanalyse_buffer();
    if (buffer.reanalysed_targets_problem(targets)) return 0;
    const std::vector<SampledPosition> fresh = buffer.apply_reanalysed(targets);
    std::mt19937_64 rng(2);
    buffer.sample(static_cast<int>(fresh.size()) + 1, rng, fresh);
  } catch (const DecodeError&) {
  }
  return 0;
}

}  // namespace muzero::fuzz
