#include "http/tls_context.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>

namespace kemu {
namespace {

std::string OpenSslError(const std::string& what) {
  unsigned long code = ERR_get_error();
  std::string text = what;
  if (code != 0) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    text += ": ";
    text += buf;
  }
  ERR_clear_error();
  return text;
}

Status CheckReadable(const std::string& flag, const std::string& file) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    return Status(ErrorCode::kInvalidArgument, "cannot read " + flag + " " + file + ": " + std::strerror(errno));
  }
  std::fclose(f);
  return Status::Ok();
}

int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in, unsigned int inlen,
               void*) {
  std::string_view chosen = ChooseAlpn(in, inlen);
  if (chosen.empty()) return SSL_TLSEXT_ERR_NOACK;
  // Point into the client's list, which outlives the callback as OpenSSL requires.
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (std::string_view(reinterpret_cast<const char*>(in + i + 1), len) == chosen) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

struct X509Deleter {
  void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

bool AddExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) return false;
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// Writes with `mode` (0600 for the key), replacing the file.
Status WritePem(const std::string& file, mode_t mode, const std::function<bool(std::FILE*)>& write) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return Status(ErrorCode::kInternalError, "cannot write " + file + ": " + std::strerror(errno));
  ::fchmod(fd, mode);
  std::FILE* f = ::fdopen(fd, "wb");
  if (f == nullptr) {
    ::close(fd);
    return Status(ErrorCode::kInternalError, "cannot write " + file + ": " + std::strerror(errno));
  }
  bool ok = write(f);
  ok = std::fclose(f) == 0 && ok;
  if (!ok) return Status(ErrorCode::kInternalError, OpenSslError("cannot write " + file));
  return Status::Ok();
}

}  // namespace

std::string_view ChooseAlpn(const unsigned char* offer, unsigned int offer_len) {
  bool h2 = false;
  bool http11 = false;
  for (unsigned int i = 0; i < offer_len;) {
    unsigned int len = offer[i];
    if (len == 0 || i + 1 + len > offer_len) return {};  // malformed
    std::string_view name(reinterpret_cast<const char*>(offer + i + 1), len);
    h2 = h2 || name == "h2";
    http11 = http11 || name == "http/1.1";
    i += 1 + len;
  }
  if (h2) return "h2";
  if (http11) return "http/1.1";
  return {};
}

Result<std::unique_ptr<TlsContext>> TlsContext::Load(const std::string& cert_file, const std::string& key_file) {
  KEMU_RETURN_IF_ERROR(CheckReadable("--tls-cert", cert_file));
  KEMU_RETURN_IF_ERROR(CheckReadable("--tls-key", key_file));
  ERR_clear_error();
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) return Status(ErrorCode::kInternalError, OpenSslError("cannot create a TLS context"));
  std::unique_ptr<TlsContext> result(new TlsContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1) {
    return Status(ErrorCode::kInvalidArgument, OpenSslError("--tls-cert " + cert_file + " is not a PEM certificate"));
  }
  const std::string mismatch = "--tls-key " + key_file + " does not match the certificate in " + cert_file;
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL compares the key with the certificate already loaded as it loads the key.
    const unsigned long code = ERR_peek_last_error();
    if (ERR_GET_LIB(code) == ERR_LIB_X509 &&
        (ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH || ERR_GET_REASON(code) == X509_R_KEY_TYPE_MISMATCH)) {
      return Status(ErrorCode::kInvalidArgument, OpenSslError(mismatch));
    }
    return Status(ErrorCode::kInvalidArgument, OpenSslError("--tls-key " + key_file + " is not a PEM private key"));
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return Status(ErrorCode::kInvalidArgument,
                  OpenSslError("--tls-key " + key_file + " does not match the certificate in " + cert_file));
  }
  SSL_CTX_set_alpn_select_cb(ctx, SelectAlpn, nullptr);
  return result;
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

std::unique_ptr<TlsTransport> TlsContext::NewTransport(int sock) const {
  SSL* ssl = SSL_new(ctx_);
  if (ssl == nullptr) return nullptr;
  return std::make_unique<TlsTransport>(sock, ssl);
}

Status GenerateSelfSignedCertificate(const std::vector<std::string>& names, const std::string& cert_file,
                                     const std::string& key_file) {
  ERR_clear_error();
  std::unique_ptr<EVP_PKEY, PkeyDeleter> key(EVP_EC_gen("P-256"));
  if (!key) return Status(ErrorCode::kInternalError, OpenSslError("cannot generate a P-256 key"));
  std::unique_ptr<X509, X509Deleter> cert(X509_new());
  if (!cert) return Status(ErrorCode::kInternalError, OpenSslError("cannot create a certificate"));

  unsigned char serial[16];
  RAND_bytes(serial, sizeof(serial));
  serial[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(serial, sizeof(serial), nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
  BN_free(bn);
  X509_set_version(cert.get(), 2);  // v3
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("kinesis-emulator"), -1,
                             -1, 0);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1,
                             0);
  X509_set_issuer_name(cert.get(), subject);

  std::string san;
  for (const auto& name : names) {
    if (name.empty()) continue;
    unsigned char addr[16];
    bool ip = ::inet_pton(AF_INET, name.c_str(), addr) == 1 || ::inet_pton(AF_INET6, name.c_str(), addr) == 1;
    std::string entry = (ip ? "IP:" : "DNS:") + name;
    if (san.find(entry) != std::string::npos) continue;
    san += (san.empty() ? "" : ",") + entry;
  }
  // Shaped like `openssl req -x509` output (its own CA), so clients that trust this one file accept it, strict
  // verifiers included.
  if (!AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature,keyCertSign") ||
      !AddExtension(cert.get(), NID_ext_key_usage, "serverAuth") ||
      !AddExtension(cert.get(), NID_subject_key_identifier, "hash") ||
      !AddExtension(cert.get(), NID_authority_key_identifier, "keyid:always") ||
      (!san.empty() && !AddExtension(cert.get(), NID_subject_alt_name, san))) {
    return Status(ErrorCode::kInternalError, OpenSslError("cannot add certificate extensions"));
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return Status(ErrorCode::kInternalError, OpenSslError("cannot sign the certificate"));
  }
  KEMU_RETURN_IF_ERROR(WritePem(key_file, 0600, [&](std::FILE* f) {
    return PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  }));
  return WritePem(cert_file, 0644, [&](std::FILE* f) { return PEM_write_X509(f, cert.get()) == 1; });
}

}  // namespace kemu
