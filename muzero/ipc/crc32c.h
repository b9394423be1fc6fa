#pragma once
// CRC-32C (Castagnoli), the checksum of our IPC frames and of TensorBoard's record format.
#include <cstdint>
#include <span>

namespace muzero {

std::uint32_t crc32c(std::span<const std::byte> data, std::uint32_t crc = 0);

}  // namespace muzero
