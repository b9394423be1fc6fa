#include "muzero/ipc/run_token.h"

#include <openssl/rand.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "muzero/persist/atomic_file.h"

namespace muzero {
namespace {

constexpr const char* kPrefix = "muzero-token-1:";

template <std::size_t N>
std::string hex(const std::array<std::uint8_t, N>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t b : bytes) {
    text += kDigits[b >> 4];
    text += kDigits[b & 15];
  }
  return text;
}

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

template <std::size_t N>
std::array<std::uint8_t, N> unhex(const std::string& text, const char* what) {
  std::array<std::uint8_t, N> bytes{};
  if (text.size() != 2 * N) {
    throw TokenError(std::string("the token's ") + what + " is not " + std::to_string(2 * N) +
                     " hex digits");
  }
  for (std::size_t i = 0; i < N; ++i) {
    const int high = nibble(text[2 * i]), low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) {
      throw TokenError(std::string("the token's ") + what + " is not hexadecimal");
    }
    bytes[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return bytes;
}

}  // namespace

std::string RunToken::to_text() const {
  return kPrefix + hex(secret) + ":" + hex(certificate_sha256);
}

RunToken RunToken::from_text(const std::string& raw) {
  std::string text = raw;
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  const std::string prefix = kPrefix;
  if (text.rfind(prefix, 0) != 0) {
    throw TokenError("not a muzero run token (it should start with " + prefix + ")");
  }
  const std::string rest = text.substr(prefix.size());
  const auto colon = rest.find(':');
  if (colon == std::string::npos) throw TokenError("the token has no certificate fingerprint");
  RunToken token;
  token.secret = unhex<kTokenSecretBytes>(rest.substr(0, colon), "secret");
  token.certificate_sha256 = unhex<32>(rest.substr(colon + 1), "certificate fingerprint");
  return token;
}

std::array<std::uint8_t, kTokenSecretBytes> random_secret() {
  std::array<std::uint8_t, kTokenSecretBytes> secret{};
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    throw TokenError("the system's random generator failed");
  }
  return secret;
}

void write_token_file(const std::filesystem::path& path, const RunToken& token) {
  write_file_atomically(path, token.to_text() + "\n", 0600);
}

RunToken read_token_file(const std::filesystem::path& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    throw TokenError(path.string() + ": cannot read the run's token file");
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    throw TokenError(path.string() +
                     ": the token file is readable by others than its owner; "
                     "chmod 600 it");
  }
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw TokenError(path.string() + ": cannot read the run's token file");
  try {
    return RunToken::from_text(text.str());
  } catch (const TokenError& error) {
    throw TokenError(path.string() + ": " + error.what());
  }
}

RunToken token_from_file_or_environment(const std::string& path) {
  if (!path.empty()) return read_token_file(path);
  const char* text = std::getenv(kTokenEnvironmentVariable);
  if (text == nullptr) {
    throw TokenError(std::string("no token: give --token-file RUN_DIR/token (copied from the "
                                 "training machine) or set ") +
                     kTokenEnvironmentVariable);
  }
  try {
    return RunToken::from_text(text);
  } catch (const TokenError& error) {
    throw TokenError(std::string(kTokenEnvironmentVariable) + ": " + error.what());
  }
}

}  // namespace muzero
