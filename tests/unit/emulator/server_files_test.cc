// The files a Server writes or needs outside its store: the ready file (where a health check finds it) and the
// checks on the data file's directory that turn SQLite's "unable to open database file" into what to change.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kemu/server.h"

namespace kemu {
namespace {

class ServerFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "kemu-server-files-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static std::string ReadAll(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }

  std::string dir_;
};

TEST_F(ServerFilesTest, ReadyFileHoldsTheEndpointWhileServing) {
  ServerOptions options;
  options.port = 0;
  options.ready_file = dir_ + "/ready";
  auto server = Server::Create(options);
  ASSERT_TRUE(server.ok()) << server.status().message();
  EXPECT_FALSE(std::filesystem::exists(options.ready_file));  // not before the port is open
  ASSERT_TRUE((*server)->Start().ok());
  ASSERT_NE((*server)->port(), 0);
  EXPECT_EQ(ReadAll(options.ready_file), "http://127.0.0.1:" + std::to_string((*server)->port()) + "\n");
  (*server)->Stop();
  EXPECT_FALSE(std::filesystem::exists(options.ready_file));
}

TEST_F(ServerFilesTest, ReadyFileReplacesAStaleOne) {
  ServerOptions options;
  options.port = 0;
  options.tls = true;
  options.ready_file = dir_ + "/ready";
  std::ofstream(options.ready_file) << "http://127.0.0.1:1\n";  // left by a process that was killed
  auto server = Server::Create(options);
  ASSERT_TRUE(server.ok()) << server.status().message();
  ASSERT_TRUE((*server)->Start().ok());
  EXPECT_EQ(ReadAll(options.ready_file), "https://127.0.0.1:" + std::to_string((*server)->port()) + "\n");
}

TEST_F(ServerFilesTest, UnwritableReadyFileFailsStartAndClosesThePort) {
  ServerOptions options;
  options.port = 0;
  options.ready_file = dir_ + "/no-such-dir/ready";
  auto server = Server::Create(options);
  ASSERT_TRUE(server.ok()) << server.status().message();
  Status s = (*server)->Start();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("cannot write the ready file " + options.ready_file), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("No such file or directory"), std::string::npos) << s.message();
}

TEST_F(ServerFilesTest, EndpointOfAWildcardOrIpv6Address) {
  ServerOptions any;
  any.host = "::";
  any.port = 0;
  auto server = Server::Create(any);
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE((*server)->Start().ok());
  EXPECT_EQ((*server)->endpoint(), "http://127.0.0.1:" + std::to_string((*server)->port()));
  (*server)->Stop();

  ServerOptions loopback6 = any;
  loopback6.host = "::1";
  loopback6.ready_file = dir_ + "/ready6";
  auto server6 = Server::Create(loopback6);
  ASSERT_TRUE(server6.ok());
  if (!(*server6)->Start().ok()) GTEST_SKIP() << "no IPv6 loopback here";
  const std::string expected = "http://[::1]:" + std::to_string((*server6)->port());
  EXPECT_EQ((*server6)->endpoint(), expected);
  EXPECT_EQ(ReadAll(loopback6.ready_file), expected + "\n");
}

TEST_F(ServerFilesTest, DataFileInAMissingDirectoryIsAClearError) {
  ServerOptions options;
  options.data_file = dir_ + "/missing/kinesis.db";
  auto server = Server::Create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().message(), "cannot use the data file " + options.data_file + ": its directory " + dir_ +
                                           "/missing: No such file or directory");
}

TEST_F(ServerFilesTest, DataFileUnderAFileIsAClearError) {
  std::ofstream(dir_ + "/plain") << "x";
  ServerOptions options;
  options.data_file = dir_ + "/plain/kinesis.db";
  auto server = Server::Create(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().message(),
            "cannot use the data file " + options.data_file + ": " + dir_ + "/plain is not a directory");
}

// Permissions are checked for the effective user, which root's bypass makes untestable here; the integration
// test (test_container_entrypoint) and the image test run the binary as another user.
TEST_F(ServerFilesTest, DataFileInAWritableDirectoryOpens) {
  ServerOptions options;
  options.data_file = dir_ + "/kinesis.db";
  auto server = Server::Create(options);
  ASSERT_TRUE(server.ok()) << server.status().message();
}

}  // namespace
}  // namespace kemu
