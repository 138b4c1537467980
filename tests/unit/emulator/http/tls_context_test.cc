#include "http/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace kemu {
namespace {

namespace fs = std::filesystem;

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("kemu-tls-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// The subjectAltName entries of a PEM certificate, as "DNS:name" / "IP:address".
std::vector<std::string> SubjectAltNames(const std::string& cert_file) {
  std::vector<std::string> out;
  std::FILE* f = std::fopen(cert_file.c_str(), "rb");
  if (f == nullptr) return out;
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (cert == nullptr) return out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      out.push_back("DNS:" + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                                         ASN1_STRING_length(name->d.dNSName)));
    } else if (name->type == GEN_IPADD) {
      const unsigned char* ip = ASN1_STRING_get0_data(name->d.iPAddress);
      if (ASN1_STRING_length(name->d.iPAddress) == 4) {
        out.push_back("IP:" + std::to_string(ip[0]) + "." + std::to_string(ip[1]) + "." + std::to_string(ip[2]) + "." +
                      std::to_string(ip[3]));
      } else {
        out.push_back("IP:v6");
      }
    }
  }
  GENERAL_NAMES_free(names);
  X509_free(cert);
  return out;
}

TEST_F(TlsContextTest, SelfSignedCertificateLoadsAndNamesEveryHost) {
  ASSERT_TRUE(GenerateSelfSignedCertificate({"localhost", "127.0.0.1", "::1", "kemu.test", "10.1.2.3"},
                                            Path("cert.pem"), Path("key.pem"))
                  .ok());
  auto ctx = TlsContext::Load(Path("cert.pem"), Path("key.pem"));
  ASSERT_TRUE(ctx.ok()) << ctx.status().message();
  EXPECT_EQ(SubjectAltNames(Path("cert.pem")),
            (std::vector<std::string>{"DNS:localhost", "IP:127.0.0.1", "IP:v6", "DNS:kemu.test", "IP:10.1.2.3"}));
  struct stat st {};
  ASSERT_EQ(::stat(Path("key.pem").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // the private key is the owner's only
}

TEST_F(TlsContextTest, CertificateIsItsOwnTrustAnchorAndValidForAboutAYear) {
  ASSERT_TRUE(GenerateSelfSignedCertificate({"localhost"}, Path("cert.pem"), Path("key.pem")).ok());
  std::FILE* f = std::fopen(Path("cert.pem").c_str(), "rb");
  ASSERT_NE(f, nullptr);
  X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  ASSERT_NE(cert, nullptr);
  // Verifies against a store holding only itself, for the name localhost, as a client given the file would.
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, cert);
  X509_STORE_CTX* ctx = X509_STORE_CTX_new();
  X509_STORE_CTX_init(ctx, store, cert, nullptr);
  X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), "localhost", 0);
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx), X509_V_FLAG_X509_STRICT);
  EXPECT_EQ(X509_verify_cert(ctx), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert)), 1);
  EXPECT_GE(days, 364);
  EXPECT_LE(days, 366);
  X509_STORE_CTX_free(ctx);
  X509_STORE_free(store);
  X509_free(cert);
}

TEST_F(TlsContextTest, UnreadableFilesAreRejectedByName) {
  ASSERT_TRUE(GenerateSelfSignedCertificate({"localhost"}, Path("cert.pem"), Path("key.pem")).ok());
  auto no_cert = TlsContext::Load(Path("missing.pem"), Path("key.pem"));
  ASSERT_FALSE(no_cert.ok());
  EXPECT_NE(no_cert.status().message().find("cannot read --tls-cert " + Path("missing.pem")), std::string::npos)
      << no_cert.status().message();
  auto no_key = TlsContext::Load(Path("cert.pem"), Path("missing.pem"));
  ASSERT_FALSE(no_key.ok());
  EXPECT_NE(no_key.status().message().find("cannot read --tls-key"), std::string::npos);
}

TEST_F(TlsContextTest, NotPemIsRejected) {
  ASSERT_TRUE(GenerateSelfSignedCertificate({"localhost"}, Path("cert.pem"), Path("key.pem")).ok());
  std::ofstream(Path("junk.pem")) << "not a certificate\n";
  auto bad_cert = TlsContext::Load(Path("junk.pem"), Path("key.pem"));
  ASSERT_FALSE(bad_cert.ok());
  EXPECT_NE(bad_cert.status().message().find("is not a PEM certificate"), std::string::npos);
  auto bad_key = TlsContext::Load(Path("cert.pem"), Path("junk.pem"));
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.status().message().find("is not a PEM private key"), std::string::npos);
  // A certificate given as the key is not a key either.
  EXPECT_FALSE(TlsContext::Load(Path("cert.pem"), Path("cert.pem")).ok());
}

TEST_F(TlsContextTest, KeyOfAnotherCertificateIsRejected) {
  ASSERT_TRUE(GenerateSelfSignedCertificate({"localhost"}, Path("a.pem"), Path("a-key.pem")).ok());
  ASSERT_TRUE(GenerateSelfSignedCertificate({"localhost"}, Path("b.pem"), Path("b-key.pem")).ok());
  auto mixed = TlsContext::Load(Path("a.pem"), Path("b-key.pem"));
  ASSERT_FALSE(mixed.ok());
  EXPECT_NE(mixed.status().message().find("does not match the certificate"), std::string::npos)
      << mixed.status().message();
}

std::string_view Choose(const std::string& wire) {
  return ChooseAlpn(reinterpret_cast<const unsigned char*>(wire.data()), static_cast<unsigned>(wire.size()));
}

TEST(ChooseAlpnTest, PrefersH2WhateverTheClientsOrder) {
  EXPECT_EQ(Choose(std::string("\x02h2\x08http/1.1", 12)), "h2");
  EXPECT_EQ(Choose(std::string("\x08http/1.1\x02h2", 12)), "h2");
  EXPECT_EQ(Choose(std::string("\x02h2", 3)), "h2");
}

TEST(ChooseAlpnTest, Http11WhenOnlyThatIsOffered) {
  EXPECT_EQ(Choose(std::string("\x08http/1.1", 9)), "http/1.1");
  EXPECT_EQ(Choose(std::string("\x08http/1.0\x08http/1.1", 18)), "http/1.1");
}

TEST(ChooseAlpnTest, NothingForUnknownOrMalformedOffers) {
  EXPECT_EQ(Choose(std::string("\x06spdy/3", 7)), "");
  EXPECT_EQ(Choose(""), "");
  EXPECT_EQ(Choose(std::string("\x09h2", 3)), "");      // length past the end
  EXPECT_EQ(Choose(std::string("\x00\x02h2", 4)), "");  // empty name
  EXPECT_EQ(Choose(std::string("\x03h2c", 4)), "");     // h2c is not h2
}

}  // namespace
}  // namespace kemu
