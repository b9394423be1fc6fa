// fuzz_corpus_runner CORPUS_DIR: runs every file of CORPUS_DIR/TARGET/ through that fuzz target
// (a regression test of every input the fuzzers kept; a crash fails it).
// fuzz_corpus_runner --write-seeds DIR: writes a few valid inputs per target, where fuzzing starts.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>

#include "models/network_layout.h"
#include "models/network_params.h"
#include "muzero/ipc/counters.h"
#include "muzero/ipc/frame.h"
#include "muzero/ipc/handshake.h"
#include "muzero/ipc/messages.h"
#include "muzero/ipc/reanalyse_messages.h"
#include "muzero/persist/replay_file.h"
#include "muzero/persist/run_endpoint.h"
#include "replay_buffer/replay_buffer.h"
#include "tests/fuzz/fuzz_targets.h"

namespace muzero::fuzz {
namespace {

namespace fs = std::filesystem;

// A game that fits the targets' rules: 3 values per observation, 4 actions, two players.
GameHistory small_game(int moves) {
  GameHistory game(3, 4, std::vector<float>{0, 0, 0}, 0);
  for (int i = 0; i < moves; ++i) {
    game.add_move(std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f}, 0.1f * i, i % 4,
                  i + 1 == moves ? 1.0f : 0.0f, std::vector<float>{1.0f * i, 0, 1}, (i + 1) % 2);
  }
  return game;
}

void write(const fs::path& path, const std::vector<std::byte>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()),
             static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::byte> tagged(std::uint8_t tag, std::vector<std::byte> payload) {
  payload.insert(payload.begin(), std::byte{tag});
  return payload;
}

void write_seeds(const fs::path& root) {
  for (const Target& target : kTargets) fs::create_directories(root / target.name);
  const std::vector<std::byte> stats = encode_frame(MessageType::kStats, encode_int(7));
  write(root / "frame" / "seed-stats", stats);
  std::vector<std::byte> two = encode_frame(MessageType::kGame, encode_game(small_game(2)));
  two.insert(two.end(), stats.begin(), stats.end());
  write(root / "frame" / "seed-two-frames", two);

  ReplayParams params;
  params.targets.num_unroll_steps = 2;
  ReplayBuffer buffer(params);
  buffer.add(small_game(5));
  std::mt19937_64 rng(0);
  write(root / "messages" / "seed-game", tagged(0, encode_game(small_game(5))));
  write(root / "messages" / "seed-batch",
        tagged(1, encode_batch_reply({true, 1, 5, buffer.sample(2, rng)})));
  write(root / "messages" / "seed-priorities",
        tagged(2, encode_priorities({1, {{0, 1}}, {0.5f, 0.25f}})));
  write(root / "messages" / "seed-weights", tagged(3, encode_weights({1, 10, "weights"})));
  write(root / "messages" / "seed-counter-updates",
        tagged(4, encode_counter_updates(std::vector<CounterUpdate>{
                      {counters::kPlayedGames, true, 2}, {counters::kTrainingDone, false, 1}})));
  write(root / "messages" / "seed-counters", tagged(5, encode_counters({{"training_step", 3}})));
  write(root / "messages" / "seed-int", tagged(6, encode_int(128)));

  Secret secret;
  secret.fill(42);
  const Nonce nonce{};
  const AuthRequest request{PeerRole::kSelfPlay, random_nonce(), {}};
  write(root / "handshake" / "seed-auth", encode_auth_request(request));
  write(root / "handshake" / "seed-hello", encode_hello(nonce));
  RunToken token;
  const std::string text = token.to_text();
  write(root / "handshake" / "seed-token",
        std::vector<std::byte>(reinterpret_cast<const std::byte*>(text.data()),
                               reinterpret_cast<const std::byte*>(text.data()) + text.size()));

  const std::vector<GameHistory> games{small_game(3), small_game(8)};
  write_replay_file(
      root / "replay_file" / "seed-two-games", [&](std::size_t i) { return &games[i]; },
      games.size());
  std::ofstream(root / "counters_file" / "seed-counters")
      << "played_games 12\ntraining_step 3.5\n\nunknown 1\n";
  std::ofstream(root / "endpoint_file" / "seed-endpoint")
      << RunEndpoint{"tcp:node1:41000", "tcp:10.0.0.1:41001", "/shared/run/token",
                     RunStatus::kStopped}
             .to_text();

  // Parameters that fit the target's network (its inference runs), and ones of another shape.
  Parameters fitting;
  std::mt19937 values(1);
  std::normal_distribution<float> normal;
  for (const TensorSpec& spec : network_layout(fuzz_network(), {1, 1, 3}, 4)) {
    NamedTensor tensor{spec.name, spec.shape, std::vector<float>(element_count(spec.shape))};
    for (float& v : tensor.values) v = normal(values);
    fitting.tensors.push_back(std::move(tensor));
  }
  auto write_text = [](const fs::path& path, const std::string& contents) {
    std::ofstream(path, std::ios::binary) << contents;
  };
  write_text(root / "parameters" / "seed-fitting", encode_parameters(fitting));
  fitting.tensors.resize(3);
  write_text(root / "parameters" / "seed-partial", encode_parameters(fitting));

  std::mt19937_64 windows_rng(3);
  const ReanalyseWork work = reanalyse_buffer().reanalyse_work(2, windows_rng);
  write(root / "reanalyse_messages" / "seed-work", tagged(0, encode_reanalyse_work(work)));
  ReanalysedTargets targets{5, work.windows, {}, {}};
  for (int p = 0; p < work.num_positions(); ++p) {
    for (int a = 0; a < 4; ++a) {  // all weight on the first legal move
      const bool first = work.legal_masks[p * 4 + a] == 1 &&
                         std::find(work.legal_masks.begin() + p * 4,
                                   work.legal_masks.begin() + p * 4 + a,
                                   std::uint8_t{1}) == work.legal_masks.begin() + p * 4 + a;
      targets.policies.push_back(first ? 1.0f : 0.0f);
    }
    targets.root_values.push_back(0.25f);
  }
  write(root / "reanalyse_messages" / "seed-targets",
        tagged(1, encode_reanalysed_targets(targets)));
}

std::vector<std::uint8_t> read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int run_corpora(const fs::path& root) {
  std::size_t inputs = 0;
  for (const Target& target : kTargets) {
    const fs::path directory = root / target.name;
    if (!fs::is_directory(directory)) {
      std::cerr << "no corpus for " << target.name << " in " << root << "\n";
      return 1;
    }
    std::size_t count = 0;
    for (const auto& entry : fs::directory_iterator(directory)) {
      if (!entry.is_regular_file()) continue;
      const std::vector<std::uint8_t> data = read(entry.path());
      target.run(data.data(), data.size());
      ++count;
    }
    std::cout << target.name << ": " << count << " inputs\n";
    if (count == 0) return 1;
    inputs += count;
  }
  std::cout << inputs << " inputs, no crash\n";
  return 0;
}

}  // namespace
}  // namespace muzero::fuzz

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-seeds") {
    muzero::fuzz::write_seeds(argv[2]);
    return 0;
  }
  if (argc != 2) {
    std::cerr << "usage: fuzz_corpus_runner CORPUS_DIR | --write-seeds DIR\n";
    return 2;
  }
  return muzero::fuzz::run_corpora(argv[1]);
}
