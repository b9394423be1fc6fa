#include "muzero/ipc/tls.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <boost/asio/ssl/verify_context.hpp>
#include <stdexcept>

namespace muzero {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("making the run's TLS certificate: ") + what);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

CertificateDigest digest_of(X509* certificate) {
  CertificateDigest digest{};
  unsigned int length = 0;
  if (X509_digest(certificate, EVP_sha256(), digest.data(), &length) != 1 ||
      length != digest.size()) {
    throw std::runtime_error("cannot compute a certificate's SHA-256");
  }
  return digest;
}

}  // namespace

RunCertificate make_run_certificate() {
  KeyPtr key(EVP_EC_gen("P-256"));
  require(key != nullptr, "key generation failed");
  CertPtr certificate(X509_new());
  require(certificate != nullptr, "out of memory");
  std::uint8_t serial_bytes[16];
  require(RAND_bytes(serial_bytes, sizeof serial_bytes) == 1, "no random serial number");
  serial_bytes[0] &= 0x7F;  // a positive serial number
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr);
  require(serial != nullptr && BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(certificate.get())),
          "cannot set the serial number");
  BN_free(serial);
  require(X509_set_version(certificate.get(), 2) == 1, "cannot set the version");
  require(
      X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600) != nullptr &&
          X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 10L * 365 * 24 * 3600) != nullptr,
      "cannot set the validity");
  X509_NAME* name = X509_get_subject_name(certificate.get());
  require(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                     reinterpret_cast<const unsigned char*>("muzero run"), -1, -1,
                                     0) == 1,
          "cannot set the name");
  require(X509_set_issuer_name(certificate.get(), name) == 1, "cannot set the issuer");
  require(X509_set_pubkey(certificate.get(), key.get()) == 1, "cannot set the key");
  require(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0, "cannot sign");

  RunCertificate out;
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  require(cert_bio && key_bio && PEM_write_bio_X509(cert_bio.get(), certificate.get()) == 1 &&
              PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                       nullptr) == 1,
          "cannot write PEM");
  out.certificate_pem = bio_text(cert_bio.get());
  out.private_key_pem = bio_text(key_bio.get());
  out.sha256 = digest_of(certificate.get());
  return out;
}

CertificateDigest certificate_sha256(const std::string& certificate_pem) {
  BioPtr bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())));
  CertPtr certificate(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!certificate) throw std::runtime_error("not a PEM certificate");
  return digest_of(certificate.get());
}

std::shared_ptr<boost::asio::ssl::context> server_tls_context(const RunCertificate& certificate) {
  auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_3_VERSION);
  context->use_certificate(boost::asio::buffer(certificate.certificate_pem),
                           boost::asio::ssl::context::pem);
  context->use_private_key(boost::asio::buffer(certificate.private_key_pem),
                           boost::asio::ssl::context::pem);
  return context;
}

std::shared_ptr<boost::asio::ssl::context> client_tls_context(const CertificateDigest& pinned) {
  auto context = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_3_VERSION);
  context->set_verify_mode(boost::asio::ssl::verify_peer);
  // The run's certificate is self-signed, so OpenSSL's own verdict is "untrusted" whatever it
  // is; what counts is that the server's own certificate (depth 0) is the pinned one.
  context->set_verify_callback([pinned](bool, boost::asio::ssl::verify_context& verify) {
    X509_STORE_CTX* store = verify.native_handle();
    if (X509_STORE_CTX_get_error_depth(store) != 0) return false;
    X509* certificate = X509_STORE_CTX_get_current_cert(store);
    try {
      return certificate != nullptr && digest_of(certificate) == pinned;
    } catch (const std::exception&) {
      return false;  // never through OpenSSL's C frames
    }
  });
  return context;
}

}  // namespace muzero
