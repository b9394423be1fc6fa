#pragma once
// The fuzz targets: each takes any bytes and must neither crash nor read or write out of bounds,
// whatever they are. libfuzzer_entry.cpp makes one a libFuzzer binary (scripts/fuzz.sh, clang);
// corpus_runner.cpp runs the committed corpora through all of them in every build (ctest).
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace muzero {
struct NetworkParams;
class ReplayBuffer;
}

namespace muzero::fuzz {

// Frames: a decoder fed the bytes in pieces, its frames read until it refuses or runs dry.
int frame(const std::uint8_t* data, std::size_t size);
// Message payloads: the first byte picks the decoder, the rest is the payload; a decoded game is
// checked against a run's rules and, when it fits, stored and sampled from.
int messages(const std::uint8_t* data, std::size_t size);
// The handshake's messages and the run token's text.
int handshake(const std::uint8_t* data, std::size_t size);
// The replay-buffer file loader, into a replay buffer that is then sampled from.
int replay_file(const std::uint8_t* data, std::size_t size);
// The counters file.
int counters_file(const std::uint8_t* data, std::size_t size);
// RUN_DIR/endpoint, as a remote worker reads it (a file on a shared file system).
int endpoint_file(const std::uint8_t* data, std::size_t size);
// Published weights (models/parameters.h), as storage checks them and a worker runs them: decoded,
// checked against a small network's layout and, when they fit, loaded into the native evaluator
// for an inference.
int parameters(const std::uint8_t* data, std::size_t size);
// A line of `muzero analyze`: moves played on TicTacToe and Connect4, the answer quoted as JSON.
int analysis_line(const std::uint8_t* data, std::size_t size);
// The reanalyse messages (first byte: 0 work, 1 targets), against a small buffer's games:
// targets the buffer does not refuse are taken and the fresh positions sampled from.
int reanalyse_messages(const std::uint8_t* data, std::size_t size);
// Two games of the small game, with legal moves, in a buffer of unroll length 2: what the
// reanalyse target runs against, and where its seeds come from.
muzero::ReplayBuffer reanalyse_buffer();
// That small network: fully connected, 3 inputs, 4 actions.
muzero::NetworkParams fuzz_network();

struct Target {
  std::string_view name;
  int (*run)(const std::uint8_t*, std::size_t);
};
inline constexpr Target kTargets[] = {{"frame", frame},
                                      {"messages", messages},
                                      {"handshake", handshake},
                                      {"replay_file", replay_file},
                                      {"counters_file", counters_file},
                                      {"endpoint_file", endpoint_file},
                                      {"parameters", parameters},
                                      {"analysis_line", analysis_line},
                                      {"reanalyse_messages", reanalyse_messages}};

}  // namespace muzero::fuzz
