// TlsContext: the server's TLS configuration (certificate, key, ALPN), and the self-signed certificate the
// emulator makes for itself under --tls.
//
// ALPN: the server offers h2 and http/1.1 and picks h2 whenever the client offers it; a client that offers
// neither (or no ALPN at all) gets no ALPN answer and is served as HTTP/1.1 (or HTTP/2, when its first bytes are
// the HTTP/2 preface; ConnectionServer looks).
//
// Thread-safety: after Load(), NewTransport() may be called from any thread (SSL_CTX is shared read-only).
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/transport.h"
#include "kemu/status.h"

namespace kemu {

class TlsContext {
 public:
  // Reads a PEM certificate (chain) and its PEM private key; fails when a file is unreadable, is not PEM of the
  // right kind, or the key does not belong to the certificate.
  static Result<std::unique_ptr<TlsContext>> Load(const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A transport for an accepted socket, before its handshake (TlsTransport::Handshake).
  std::unique_ptr<TlsTransport> NewTransport(int sock) const;

 private:
  explicit TlsContext(SSL_CTX* ctx) : ctx_(ctx) {}
  SSL_CTX* ctx_;
};

// The ALPN protocol the server picks from a client's offer (wire format: length-prefixed names): "h2" when
// offered, else "http/1.1" when offered, else "" (no ALPN answer). A malformed list yields "".
std::string_view ChooseAlpn(const unsigned char* offer, unsigned int offer_len);

// Makes a self-signed certificate (EC P-256, SHA-256, valid from an hour ago for 365 days) for `names` (DNS names
// or IP literals, all put in the subjectAltName) and writes it and its key (mode 0600) as PEM files.
Status GenerateSelfSignedCertificate(const std::vector<std::string>& names, const std::string& cert_file,
                                     const std::string& key_file);

}  // namespace kemu
