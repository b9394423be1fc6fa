#pragma once
// Payload encodings of the messages that carry MuZero data between processes. Decoding
// checks that sizes agree with each other and with the limits, and throws DecodeError.
#include <span>
#include <vector>

#include "muzero/ipc/wire.h"
#include "replay_buffer/game_history.h"

namespace muzero {

std::vector<std::byte> encode_game(const GameHistory& game);
GameHistory decode_game(std::span<const std::byte> payload);

}  // namespace muzero
