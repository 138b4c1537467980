#include "http/http2_connection.h"

#include <nghttp2/nghttp2.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include "http/request_target.h"
#include "util/log.h"

namespace kemu {
namespace {

struct Stream {
  HttpRequest request;
  std::string response_body;
  size_t sent = 0;
  size_t header_bytes = 0;
  bool refused = false;  // answered 413 before its body ended; the rest of the body is dropped
  // A streaming response (SubscribeToShard): bytes are pulled into response_body as they become ready.
  std::shared_ptr<ResponseStream> body_stream;
  bool body_ended = false;
  bool deferred = false;  // its data provider returned NGHTTP2_ERR_DEFERRED; resumed on a wake or the repoll
  // kReset or kResetConnection once the streaming body asked for one; it follows the bytes pulled with it.
  ResponseStream::State reset = ResponseStream::State::kMore;
};

// Most header bytes (names and values) one request may carry, as on HTTP/1.1.
constexpr size_t kMaxHeaderBytes = 1024 * 1024;

struct Session {
  Transport* transport = nullptr;
  const RequestHandler* handler = nullptr;
  int io_timeout_ms = 0;
  size_t max_body_bytes = 0;      // per request; past it the stream is answered 413
  size_t max_buffered_bytes = 0;  // request bodies held at once on this connection; past it, GOAWAY
  size_t buffered_bytes = 0;
  nghttp2_session* ng = nullptr;
  std::map<int32_t, std::unique_ptr<Stream>> streams;
  std::vector<int32_t> ready;     // streams whose request is complete
  bool drop = false;              // a handler asked to drop the connection
  bool reset_connection = false;  // a shaped answer asked for GOAWAY INTERNAL_ERROR and the connection's end
  int wake_fd = -1;               // eventfd that streaming responses signal when they have more (created on demand)
  size_t live_body_streams = 0;
};

// Waits until `sock` is readable; a signal on the wake eventfd (when there is one) ends the wait early and is
// drained. True when the socket is readable.
bool WaitReadableOrWake(int sock, int wake_fd, int timeout_ms) {
  pollfd p[2] = {{sock, POLLIN, 0}, {wake_fd, POLLIN, 0}};
  int rc;
  do {
    rc = ::poll(p, wake_fd >= 0 ? 2 : 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  if (rc > 0 && wake_fd >= 0 && (p[1].revents & POLLIN) != 0) {
    uint64_t drained;
    while (::read(wake_fd, &drained, sizeof(drained)) > 0) {
    }
  }
  return rc > 0 && p[0].revents != 0;
}

ssize_t OnSend(nghttp2_session*, const uint8_t* data, size_t length, int, void* user) {
  auto* s = static_cast<Session*>(user);
  if (!s->transport->WriteAll(reinterpret_cast<const char*>(data), length, s->io_timeout_ms)) {
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  return static_cast<ssize_t>(length);
}

int OnBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* s = static_cast<Session*>(user);
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
    auto stream = std::make_unique<Stream>();
    stream->request.http_version = "2";
    s->streams[frame->hd.stream_id] = std::move(stream);
  }
  return 0;
}

int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen, const uint8_t* value,
             size_t valuelen, uint8_t, void* user) {
  auto* s = static_cast<Session*>(user);
  auto it = s->streams.find(frame->hd.stream_id);
  if (it == s->streams.end()) return 0;
  it->second->header_bytes += namelen + valuelen;
  if (it->second->header_bytes > kMaxHeaderBytes) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // resets the stream
  std::string n(reinterpret_cast<const char*>(name), namelen);
  std::string v(reinterpret_cast<const char*>(value), valuelen);
  HttpRequest& req = it->second->request;
  if (n == ":method") {
    req.method = v;
  } else if (n == ":path") {
    ParseRequestTarget(v, &req.path, &req.query);
  } else if (n == ":authority") {
    req.headers["Host"] = v;
  } else if (!n.empty() && n[0] != ':') {
    req.headers[n] = v;
  }
  return 0;
}

// An empty 413 answer, as Http1Connection gives on HTTP/1.1 for a body over the cap.
void RefuseTooLarge(Session& s, int32_t stream_id, Stream& stream) {
  stream.refused = true;
  s.buffered_bytes -= stream.request.body.size();
  std::string().swap(stream.request.body);
  nghttp2_nv status{reinterpret_cast<uint8_t*>(const_cast<char*>(":status")),
                    reinterpret_cast<uint8_t*>(const_cast<char*>("413")), 7, 3, NGHTTP2_NV_FLAG_NONE};
  nghttp2_submit_response(s.ng, stream_id, &status, 1, nullptr);
}

int OnDataChunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data, size_t len, void* user) {
  auto* s = static_cast<Session*>(user);
  auto it = s->streams.find(stream_id);
  if (it == s->streams.end() || it->second->refused) return 0;
  Stream& stream = *it->second;
  if (stream.request.body.size() + len > s->max_body_bytes) {
    RefuseTooLarge(*s, stream_id, stream);
    return 0;
  }
  if (s->buffered_bytes + len > s->max_buffered_bytes) {
    // Many streams each holding a large unfinished body: end the connection rather than grow without bound.
    nghttp2_session_terminate_session(s->ng, NGHTTP2_ENHANCE_YOUR_CALM);
    return 0;
  }
  stream.request.body.append(reinterpret_cast<const char*>(data), len);
  s->buffered_bytes += len;
  return 0;
}

int OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* s = static_cast<Session*>(user);
  const bool ends_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) && ends_stream &&
      s->streams.count(frame->hd.stream_id) != 0) {
    s->ready.push_back(frame->hd.stream_id);
  }
  return 0;
}

int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user) {
  auto* s = static_cast<Session*>(user);
  auto it = s->streams.find(stream_id);
  if (it == s->streams.end()) return 0;
  s->buffered_bytes -= it->second->request.body.size();
  if (it->second->body_stream != nullptr) --s->live_body_streams;
  s->streams.erase(it);  // a streaming response's producer ends with it
  return 0;
}

ssize_t ReadBody(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags, nghttp2_data_source* source,
                 void* user) {
  auto* stream = static_cast<Stream*>(source->ptr);
  if (stream->body_stream != nullptr && stream->sent == stream->response_body.size()) {
    stream->response_body.clear();
    stream->sent = 0;
    if (stream->reset != ResponseStream::State::kMore) {
      // The bytes that preceded the reset are sent: now the reset itself.
      if (stream->reset == ResponseStream::State::kReset) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // RST_STREAM
      static_cast<Session*>(user)->reset_connection = true;
      stream->deferred = true;
      return NGHTTP2_ERR_DEFERRED;
    }
    if (!stream->body_ended) {
      const ResponseStream::State state = stream->body_stream->Pull(stream->response_body);
      if (state == ResponseStream::State::kEnd) {
        stream->body_ended = true;
      } else if (state != ResponseStream::State::kMore) {
        stream->reset = state;
      }
    }
    if (stream->reset != ResponseStream::State::kMore && stream->response_body.empty()) {
      return ReadBody(nullptr, 0, buf, length, flags, source, user);
    }
    if (stream->response_body.empty() && !stream->body_ended) {
      stream->deferred = true;
      return NGHTTP2_ERR_DEFERRED;
    }
  }
  size_t n = std::min(length, stream->response_body.size() - stream->sent);
  std::memcpy(buf, stream->response_body.data() + stream->sent, n);
  stream->sent += n;
  if (stream->sent == stream->response_body.size() && (stream->body_stream == nullptr || stream->body_ended)) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
  }
  return static_cast<ssize_t>(n);
}

void Answer(Session& s, int32_t stream_id) {
  auto it = s.streams.find(stream_id);
  if (it == s.streams.end() || it->second->refused) return;
  Stream& stream = *it->second;
  HttpResponse response = (*s.handler)(stream.request);
  s.buffered_bytes -= stream.request.body.size();
  std::string().swap(stream.request.body);
  if (response.wire.drop) {
    s.drop = true;
    return;
  }
  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back(":status", std::to_string(response.status));
  if (!response.content_type.empty()) fields.emplace_back("content-type", response.content_type);
  if (response.stream == nullptr) {
    fields.emplace_back("content-length", std::to_string(response.body.size()));
  } else if (response.stream_length) {
    fields.emplace_back("content-length", std::to_string(*response.stream_length));
  }
  for (auto& [k, v] : response.headers) {
    std::string lower = k;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    fields.emplace_back(std::move(lower), v);
  }
  std::vector<nghttp2_nv> nva;
  for (auto& [k, v] : fields) {
    nva.push_back({reinterpret_cast<uint8_t*>(k.data()), reinterpret_cast<uint8_t*>(v.data()), k.size(), v.size(),
                   NGHTTP2_NV_FLAG_NONE});
  }
  stream.response_body = std::move(response.body);
  if (response.stream != nullptr) {
    if (s.wake_fd < 0) s.wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    const int wake_fd = s.wake_fd;
    response.stream->SetWaker([wake_fd] {
      const uint64_t one = 1;
      [[maybe_unused]] ssize_t n = ::write(wake_fd, &one, sizeof(one));
    });
    stream.response_body.clear();
    stream.body_stream = std::move(response.stream);
    ++s.live_body_streams;
  }
  nghttp2_data_provider provider;
  provider.source.ptr = &stream;
  provider.read_callback = ReadBody;
  nghttp2_submit_response(s.ng, stream_id, nva.data(), nva.size(), &provider);
}

}  // namespace

Http2Connection::Http2Connection(Transport& transport, const RequestHandler& handler, const std::atomic<bool>& closing,
                                 int idle_seconds, int io_timeout_seconds, size_t max_body_bytes)
    : transport_(transport),
      handler_(handler),
      closing_(closing),
      idle_seconds_(idle_seconds),
      io_timeout_seconds_(io_timeout_seconds),
      max_body_bytes_(max_body_bytes) {}

bool Http2Connection::Serve() {
  Session s;
  s.transport = &transport_;
  s.handler = &handler_;
  s.io_timeout_ms = io_timeout_seconds_ * 1000;
  s.max_body_bytes = max_body_bytes_;
  s.max_buffered_bytes = kMaxBufferedBodyBytes;
  nghttp2_session_callbacks* callbacks;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_send_callback(callbacks, OnSend);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, OnBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, OnHeader);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, OnDataChunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, OnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, OnStreamClose);
  nghttp2_session_server_new(&s.ng, callbacks, &s);
  nghttp2_session_callbacks_del(callbacks);

  nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 128},
                                       {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 16 * 1024 * 1024},
                                       {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, 1 << 20}};
  nghttp2_submit_settings(s.ng, NGHTTP2_FLAG_NONE, settings, 3);
  // Let the peer send a large request body without waiting for window updates.
  nghttp2_session_set_local_window_size(s.ng, NGHTTP2_FLAG_NONE, 0, kMaxBufferedBodyBytes);

  bool ok = true;
  auto last_activity = std::chrono::steady_clock::now();
  char buffer[64 * 1024];
  while (nghttp2_session_want_read(s.ng) || nghttp2_session_want_write(s.ng)) {
    if (nghttp2_session_send(s.ng) != 0) {
      ok = false;
      break;
    }
    if (s.reset_connection) {
      // A shaped answer ends the connection mid-body: GOAWAY INTERNAL_ERROR, then close (the socket is reset).
      nghttp2_submit_goaway(s.ng, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(s.ng),
                            NGHTTP2_INTERNAL_ERROR, nullptr, 0);
      nghttp2_session_send(s.ng);
      transport_.WaitReadable(0);  // sends what a TLS transport held back
      transport_.ResetOnClose();
      ok = false;
      break;
    }
    if (closing_.load(std::memory_order_acquire)) {
      nghttp2_submit_goaway(s.ng, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(s.ng), NGHTTP2_NO_ERROR,
                            nullptr, 0);
      nghttp2_session_send(s.ng);
      break;
    }
    if (!nghttp2_session_want_read(s.ng)) continue;
    // Streaming responses say how soon they want pulling again (a shaped answer's next slice).
    int poll_ms = static_cast<int>(ResponseStream::kRepollMs.count());
    for (auto& [id, stream] : s.streams) {
      if (stream->body_stream != nullptr) {
        poll_ms = std::min(poll_ms, static_cast<int>(stream->body_stream->PollWithin().count()));
      }
    }
    // The transport's own wait first: it sends what it held back and sees input it has already buffered (TLS).
    const bool readable = transport_.WaitReadable(0) || WaitReadableOrWake(transport_.socket(), s.wake_fd, poll_ms);
    // Streaming responses with nothing to send are pulled again on a wake, and every 100 ms for what only time
    // decides (heartbeats, the subscription's end).
    for (auto& [id, stream] : s.streams) {
      if (stream->deferred) {
        stream->deferred = false;
        nghttp2_session_resume_data(s.ng, id);
      }
    }
    if (!readable) {
      if (s.live_body_streams > 0) last_activity = std::chrono::steady_clock::now();  // not idle while streaming
      if (std::chrono::steady_clock::now() - last_activity > std::chrono::seconds(idle_seconds_)) {
        nghttp2_submit_goaway(s.ng, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(s.ng), NGHTTP2_NO_ERROR,
                              nullptr, 0);
        nghttp2_session_send(s.ng);
        break;
      }
      continue;
    }
    ssize_t n = transport_.Read(buffer, sizeof(buffer), s.io_timeout_ms);
    if (n <= 0) break;  // peer closed, or an error
    last_activity = std::chrono::steady_clock::now();
    ssize_t consumed = nghttp2_session_mem_recv(s.ng, reinterpret_cast<uint8_t*>(buffer), static_cast<size_t>(n));
    if (consumed < 0) {
      Log(LogLevel::kDebug, std::string("HTTP/2 protocol error: ") + nghttp2_strerror(static_cast<int>(consumed)));
      nghttp2_session_send(s.ng);  // sends the GOAWAY nghttp2 queued
      ok = false;
      break;
    }
    std::vector<int32_t> ready;
    ready.swap(s.ready);
    for (int32_t id : ready) {
      Answer(s, id);
      if (s.drop) break;
    }
    if (s.drop) {
      transport_.ResetOnClose();  // dropped without an answer: a reset, as on HTTP/1.1
      break;
    }
  }
  nghttp2_session_del(s.ng);
  s.streams.clear();  // streaming responses remove their wakers before the eventfd closes
  if (s.wake_fd >= 0) ::close(s.wake_fd);
  return ok;
}

}  // namespace kemu
