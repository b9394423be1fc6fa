#pragma once
// exp(x) for x <= 0 in a few multiply-adds and no call, so that loops of it vectorize: the
// arguments of softmax (logits minus their maximum) and of ELU's negative side. Within 2e-7 of
// std::exp relative to the result (a test checks it on a grid); inputs below -87 give
// exp(-87), about 1.6e-38, instead of smaller values that would be denormal.
#include <algorithm>
#include <bit>
#include <cstdint>

namespace muzero {

inline float exp_nonpositive(float x) {
  // x = max(x, -87) on the bits: for x <= 0 a larger magnitude is a larger unsigned pattern,
  // and an integer comparison, unlike a float one, cannot trap (which would stop GCC from
  // vectorizing loops of this).
  x = std::bit_cast<float>(
      std::min(std::bit_cast<std::uint32_t>(x), std::bit_cast<std::uint32_t>(-87.0f)));
  // x = n ln 2 + r with n = round(x / ln 2), |r| <= ln 2 / 2. n is rounded by adding 1.5 * 2^23,
  // which leaves it in the float's low mantissa bits: no float-to-int conversion (which may
  // trap, too). ln 2 is split in two parts so that n ln 2 is exact enough.
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23
  const float shifted = x * 1.44269504f + kRound;
  const float n = shifted - kRound;
  const float r = x - n * 0.693145752f - n * 1.42860677e-6f;
  // Taylor series of e^r to degree 7: the remainder is below r^8 / 8! < 6e-9.
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n: n + 127 in the exponent field (n >= -126 here, so the result is normal).
  const std::uint32_t n_bits = std::bit_cast<std::uint32_t>(shifted) - 0x4B400000u;
  return p * std::bit_cast<float>((n_bits + 127u) << 23);
}

}  // namespace muzero
