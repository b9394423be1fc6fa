#pragma once
// TLS for connections over TCP (Boost.Asio's SSL streams over OpenSSL). Each run makes its own
// self-signed certificate; a client accepts exactly that certificate, pinned by its SHA-256 in
// the run's token, so no certificate authority is involved and no other server is trusted.
#include <array>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <string>

namespace muzero {

using CertificateDigest = std::array<std::uint8_t, 32>;

struct RunCertificate {
  std::string certificate_pem;
  std::string private_key_pem;
  CertificateDigest sha256{};
};

// A new P-256 key and a self-signed certificate for it, valid for ten years.
RunCertificate make_run_certificate();
// The SHA-256 of a PEM certificate's DER encoding; throws std::runtime_error if it is none.
CertificateDigest certificate_sha256(const std::string& certificate_pem);

// TLS 1.3 only, both sides.
std::shared_ptr<boost::asio::ssl::context> server_tls_context(const RunCertificate& certificate);
std::shared_ptr<boost::asio::ssl::context> client_tls_context(const CertificateDigest& pinned);

}  // namespace muzero
