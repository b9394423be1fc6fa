#include "muzero/runtime/run_secrets.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "muzero/ipc/tls.h"
#include "muzero/persist/atomic_file.h"
#include "muzero/runtime/role_context.h"

namespace muzero {
namespace {

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw TokenError(path.string() + ": cannot read it");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

RunToken prepare_run_secrets(const std::filesystem::path& run_dir) {
  const auto token_file = run_dir / run_files::kToken;
  if (std::filesystem::exists(token_file)) {
    const RunToken token = read_token_file(token_file);
    std::string certificate;
    try {
      certificate = read_text(run_dir / run_files::kTlsCertificate);
      if (certificate_sha256(certificate) != token.certificate_sha256) {
        throw TokenError("it is not the certificate the token names");
      }
    } catch (const std::exception& error) {
      throw TokenError((run_dir / run_files::kTlsCertificate).string() + ": " + error.what());
    }
    return token;
  }
  const RunCertificate certificate = make_run_certificate();
  RunToken token;
  token.secret = random_secret();
  token.certificate_sha256 = certificate.sha256;
  write_file_atomically(run_dir / run_files::kTlsKey, certificate.private_key_pem, 0600);
  write_file_atomically(run_dir / run_files::kTlsCertificate, certificate.certificate_pem);
  write_token_file(token_file, token);  // last: its presence means all three are there
  return token;
}

void import_run_secrets(const std::filesystem::path& from, const std::filesystem::path& run_dir) {
  const RunToken token = read_token_file(from / run_files::kToken);
  const std::string certificate = read_text(from / run_files::kTlsCertificate);
  if (certificate_sha256(certificate) != token.certificate_sha256) {
    throw TokenError((from / run_files::kTlsCertificate).string() +
                     ": it is not the certificate the token names");
  }
  const auto existing = run_dir / run_files::kToken;
  if (std::filesystem::exists(existing)) {
    if (read_token_file(existing).to_text() != token.to_text()) {
      throw TokenError(existing.string() + " is another token than " +
                       (from / run_files::kToken).string() + "; the run keeps its own");
    }
    return;
  }
  write_file_atomically(run_dir / run_files::kTlsKey, read_text(from / run_files::kTlsKey), 0600);
  write_file_atomically(run_dir / run_files::kTlsCertificate, certificate);
  write_token_file(existing, token);  // last, as in prepare_run_secrets
}

RunToken load_run_token(const std::filesystem::path& run_dir) {
  return read_token_file(run_dir / run_files::kToken);
}

std::shared_ptr<boost::asio::ssl::context> load_server_tls(const std::filesystem::path& run_dir) {
  RunCertificate certificate;
  certificate.certificate_pem = read_text(run_dir / run_files::kTlsCertificate);
  certificate.private_key_pem = read_text(run_dir / run_files::kTlsKey);
  return server_tls_context(certificate);
}

void ensure_private_directory(const std::filesystem::path& directory) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST) {
    throw std::runtime_error("cannot create " + directory.string() + ": " + std::strerror(errno));
  }
  struct stat info {};
  if (::lstat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode) ||
      info.st_uid != ::getuid() || (info.st_mode & 0777) != 0700) {
    throw std::runtime_error(directory.string() +
                             " is not a private directory of this user (mode 0700); remove it");
  }
}

}  // namespace muzero
