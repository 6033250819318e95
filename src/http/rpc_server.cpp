// The only file that sees Boost.Beast (DEPENDENCIES §2.1: it costs seconds per translation unit).
#include "http/rpc_server.h"

#include <array>
#include <atomic>
#include <chrono>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <utility>  // before Boost.Asio: Boost 1.74 misses it under g++ 12 in C++20

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "http/ascii.h"
#include "http/cookie_file.h"
#include "http/dashboard.h"
#include "http/request_guard.h"
#include "http/rpc_auth.h"

namespace qpow::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Response = bhttp::response<bhttp::string_body>;

// After a refusal the server stops sending and reads (and drops) what the client still sends, for
// at most this long and this much, so that closing does not reset the connection before the
// client has read the response (a "lingering close").
inline constexpr std::chrono::milliseconds kLingerMs{1000};
inline constexpr std::size_t kLingerBytesMax = 256 * 1024;
// How long stop() waits for requests already being answered (a "stop" call's own response, say)
// before it cuts every connection.
inline constexpr std::chrono::milliseconds kStopDrainMs{2000};
inline constexpr std::chrono::milliseconds kStopPollMs{5};
// Pause before accepting again after accept() failed (out of file descriptors, say), so the
// failure does not become a busy loop.
inline constexpr std::chrono::milliseconds kAcceptRetryMs{100};

std::string_view to_std(beast::string_view text) {
  return {text.data(), text.size()};
}

// Everything the sessions share; it lives as long as the last session.
struct ServerState {
  ServerState(const JsonRpcDispatcher& dispatcher_in, ServerHooks hooks_in,
              RpcCredentials credentials_in, const RpcServerConfig& config)
      : dispatcher(dispatcher_in),
        hooks(std::move(hooks_in)),
        credentials(std::move(credentials_in)),
        header_bytes_max(static_cast<std::uint32_t>(config.header_bytes_max)),
        timeout(config.request_timeout_ms),
        connections_max(config.connections_max) {}

  const JsonRpcDispatcher& dispatcher;
  ServerHooks hooks;
  RpcCredentials credentials;
  GuardPolicy policy;  // refers to credentials
  std::uint32_t header_bytes_max = 0;
  std::chrono::milliseconds timeout{0};
  std::size_t connections_max = 0;
  std::atomic<std::size_t> connections{0};
  // Requests read whole and not yet answered: what stop() lets finish.
  std::atomic<std::size_t> answering{0};
};

Response make_response(unsigned status, unsigned version, std::string_view content_type,
                       std::string body) {
  Response response{static_cast<bhttp::status>(status), version};
  response.set(bhttp::field::server, "qpow");
  response.set(bhttp::field::content_type,
               beast::string_view(content_type.data(), content_type.size()));
  response.body() = std::move(body);
  return response;
}

// The answer to a request that passed the guards.
Response answer(const ServerState& state, Route route, const std::string& body, unsigned version) {
  switch (route) {
    case Route::kHealth:
      return make_response(200, version, kJsonContentType, R"({"status":"ok"})");
    case Route::kReady: {
      const bool ready = !state.hooks.ready || state.hooks.ready();
      return ready ? make_response(200, version, kJsonContentType, R"({"status":"ready"})")
                   : make_response(503, version, kJsonContentType, R"({"status":"not ready"})");
    }
    case Route::kMetrics:
      return make_response(200, version, kMetricsContentType,
                           state.hooks.metrics_text ? state.hooks.metrics_text() : "");
    case Route::kDashboard:
      return make_response(200, version, "text/html; charset=utf-8", std::string(dashboard_html()));
    case Route::kJsonRpc: {
      std::optional<std::string> reply = state.dispatcher.handle(body);
      if (!reply) return make_response(204, version, kJsonContentType, "");
      return make_response(200, version, kJsonContentType, std::move(*reply));
    }
  }
  return make_response(500, version, "text/plain", "internal error\n");
}

// One connection: reads a request head, applies the guards, reads the body, answers, and
// repeats while the connection is kept alive. Its handlers run on its own strand.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<ServerState> state)
      : stream_(std::move(socket)), state_(std::move(state)) {}
  ~Session() {
    if (answering_) state_->answering.fetch_sub(1);
    state_->connections.fetch_sub(1);
  }

  void run() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::read_head, shared_from_this()));
  }

 private:
  void read_head() {
    parser_.emplace();
    parser_->header_limit(state_->header_bytes_max);
    // No limit until the guards looked at the head; then body_bytes_max (read_body). Not
    // boost::none: Boost 1.74 compares a Content-Length against an empty optional as "over".
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(state_->timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             beast::bind_front_handler(&Session::on_head, shared_from_this()));
  }

  void on_head(beast::error_code ec, std::size_t head_bytes) {
    if (ec) return on_read_error(ec);
    // Beast's own limit counts the request line and the fields apart; the head as a whole (what
    // the parser consumed) is what the configured limit promises.
    if (head_bytes > state_->header_bytes_max) {
      return on_read_error(bhttp::make_error_code(bhttp::error::header_limit));
    }
    const auto& request = parser_->get();
    version_ = request.version();
    RequestHead head{.method = to_std(request.method_string()), .target = to_std(request.target())};
    // A request with two Host headers is treated as having none.
    if (request.count(bhttp::field::host) == 1) head.host = to_std(request[bhttp::field::host]);
    const auto authorization = request.find(bhttp::field::authorization);
    if (authorization != request.end()) head.authorization = to_std(authorization->value());
    const auto content_type = request.find(bhttp::field::content_type);
    if (content_type != request.end()) head.content_type = to_std(content_type->value());
    if (const auto length = parser_->content_length()) head.content_length = *length;

    const GuardDecision decision = check_request(head, state_->policy);
    if (!decision.route) return refuse(decision);
    route_ = *decision.route;
    const auto expect = request.find(bhttp::field::expect);
    if (expect != request.end() && equals_ignoring_case(to_std(expect->value()), "100-continue")) {
      continue_.emplace(bhttp::status::continue_, version_);
      bhttp::async_write(stream_, *continue_,
                         beast::bind_front_handler(&Session::on_continue, shared_from_this()));
      return;
    }
    read_body();
  }

  void on_continue(beast::error_code ec, std::size_t) {
    if (ec) return close();
    read_body();
  }

  void read_body() {
    parser_->body_limit(state_->policy.body_bytes_max);
    bhttp::async_read(stream_, buffer_, *parser_,
                      beast::bind_front_handler(&Session::on_body, shared_from_this()));
  }

  void on_body(beast::error_code ec, std::size_t) {
    if (ec) return on_read_error(ec);
    answering_ = true;
    state_->answering.fetch_add(1);
    const bool keep_alive = parser_->get().keep_alive();
    Response response;
    try {
      response = answer(*state_, route_, parser_->get().body(), version_);
    } catch (...) {
      // A hook threw (the dispatcher never does).
      response = make_response(500, version_, "text/plain", "internal error\n");
    }
    parser_.reset();  // the request body may be large; it is not needed any more
    response.keep_alive(keep_alive && response.result_int() < 400);
    write(std::move(response));
  }

  void on_read_error(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
      return refuse(GuardDecision{.status = 431, .message = "request header fields too large"});
    }
    if (ec == bhttp::error::body_limit) {
      return refuse(GuardDecision{.status = 413, .message = "body too large"});
    }
    // Any other HTTP parse error is a malformed request; socket errors, end of stream and the
    // timeout just end the connection.
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
      return refuse(GuardDecision{.status = 400, .message = "bad request"});
    }
    close();
  }

  void refuse(const GuardDecision& decision) {
    Response response =
        make_response(decision.status, version_, "text/plain", decision.message + "\n");
    if (decision.status == 401) {
      response.set(bhttp::field::www_authenticate,
                   beast::string_view(kAuthRealmHeader.data(), kAuthRealmHeader.size()));
    }
    if (!decision.allow.empty()) {
      response.set(bhttp::field::allow,
                   beast::string_view(decision.allow.data(), decision.allow.size()));
    }
    response.keep_alive(false);
    write(std::move(response));
  }

  void write(Response response) {
    response_.emplace(std::move(response));
    response_->prepare_payload();
    stream_.expires_after(state_->timeout);
    bhttp::async_write(stream_, *response_,
                       beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    const bool keep_alive = response_->keep_alive();
    response_.reset();
    if (answering_) {
      answering_ = false;
      state_->answering.fetch_sub(1);
    }
    if (ec) return close();
    if (keep_alive) return read_head();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger();
  }

  void linger() {
    stream_.expires_after(kLingerMs);
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->lingered_ += n;
                              if (!ec && self->lingered_ < kLingerBytesMax) self->linger();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::empty_body>> continue_;
  std::optional<Response> response_;  // kept alive while it is written
  Route route_ = Route::kHealth;
  unsigned version_ = 11;
  std::array<char, 4096> scratch_{};
  std::size_t lingered_ = 0;
  bool answering_ = false;  // counted in state_->answering
};

util::Status check_config(const RpcServerConfig& config) {
  if (config.body_bytes_max == 0 || config.header_bytes_max == 0 ||
      config.request_timeout_ms == 0 || config.connections_max == 0) {
    return util::Status::invalid_argument(
        "rpc server: body, header, timeout and connection limits must be above 0");
  }
  if (config.header_bytes_max > std::numeric_limits<std::uint32_t>::max()) {
    return util::Status::out_of_range("rpc server: header_bytes_max must fit in 32 bits");
  }
  return util::Status::ok();
}

}  // namespace

struct RpcServer::Impl {
  std::shared_ptr<ServerState> state;
  std::string cookie_path;
  std::uint16_t port = 0;
  std::string cookie_secret;
  std::unique_ptr<asio::io_context> ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> retry_timer;
  std::vector<std::thread> threads;
  std::mutex stop_mutex;
  bool stopped = false;

  util::Status listen(const RpcServerConfig& config);
  void accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
};

util::Status RpcServer::Impl::listen(const RpcServerConfig& config) {
  beast::error_code ec;
  const asio::ip::address address = asio::ip::make_address(config.bind_address, ec);
  if (ec) {
    return util::Status::invalid_argument(fmt::format(
        "rpc server: bind address '{}' is not a numeric IP address", config.bind_address));
  }
  const tcp::endpoint endpoint(address, config.port);
  const auto failed = [&](std::string_view what) {
    return util::Status::io_error(fmt::format("rpc server: {} {}:{}: {}", what, config.bind_address,
                                              config.port, ec.message()));
  };
  // The acceptor has its own strand: accept handlers never run concurrently with each other.
  acceptor.emplace(asio::make_strand(*ioc));
  acceptor->open(endpoint.protocol(), ec);
  if (ec) return failed("open");
  acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return failed("set option on");
  acceptor->bind(endpoint, ec);
  if (ec) return failed("bind");
  acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return failed("listen on");
  port = acceptor->local_endpoint(ec).port();
  if (ec) return failed("local endpoint");
  retry_timer.emplace(acceptor->get_executor());
  return util::Status::ok();
}

void RpcServer::Impl::accept() {
  acceptor->async_accept(asio::make_strand(*ioc),
                         beast::bind_front_handler(&Impl::on_accept, this));
}

void RpcServer::Impl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (ec) {
    retry_timer->expires_after(kAcceptRetryMs);
    retry_timer->async_wait([this](beast::error_code wait_ec) {
      if (!wait_ec) accept();
    });
    return;
  }
  // Over the limit the socket is simply closed (it goes out of scope): answering would cost
  // the very resources the limit protects.
  if (state->connections.fetch_add(1) < state->connections_max) {
    std::make_shared<Session>(std::move(socket), state)->run();
  } else {
    state->connections.fetch_sub(1);
  }
  accept();
}

util::Result<std::unique_ptr<RpcServer>> RpcServer::start(RpcServerConfig config,
                                                          const JsonRpcDispatcher& dispatcher,
                                                          ServerHooks hooks) {
  QPOW_RETURN_IF_ERROR(check_config(config));
  std::optional<RpcAuthEntry> rpc_auth;
  if (config.rpc_auth) {
    QPOW_ASSIGN_OR_RETURN(rpc_auth, parse_rpc_auth(*config.rpc_auth));
  }
  QPOW_ASSIGN_OR_RETURN(std::string secret, make_cookie_secret());
  try {
    auto impl = std::make_unique<Impl>();
    impl->ioc = std::make_unique<asio::io_context>(static_cast<int>(kServerThreads));
    QPOW_RETURN_IF_ERROR(impl->listen(config));
    impl->state = std::make_shared<ServerState>(
        dispatcher, std::move(hooks), RpcCredentials(secret, std::move(rpc_auth)), config);
    impl->state->policy = GuardPolicy{.allowed_hosts = config.allowed_hosts.empty()
                                                           ? default_allowed_hosts(impl->port)
                                                           : config.allowed_hosts,
                                      .credentials = &impl->state->credentials,
                                      .body_bytes_max = config.body_bytes_max};
    if (!config.cookie_path.empty()) {
      QPOW_RETURN_IF_ERROR(
          write_cookie_file(config.cookie_path, fmt::format("{}:{}\n", kCookieUser, secret)));
      impl->cookie_path = config.cookie_path;
    }
    impl->cookie_secret = std::move(secret);
    impl->work.emplace(impl->ioc->get_executor());
    impl->accept();
    std::unique_ptr<RpcServer> server(new RpcServer(std::move(impl)));
    for (std::size_t i = 0; i < kServerThreads; ++i) {
      asio::io_context* ioc = server->impl_->ioc.get();
      server->impl_->threads.emplace_back([ioc] {
        // A handler that throws unwinds run(); serving simply goes on.
        for (;;) {
          try {
            ioc->run();
            return;
          } catch (...) {
          }
        }
      });
    }
    return server;
  } catch (const std::exception& e) {
    // Thread creation, or an allocation, failed; the server is torn down by its destructor.
    return util::Status::error(util::StatusCode::kInternal,
                               fmt::format("rpc server: start failed: {}", e.what()));
  }
}

RpcServer::RpcServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RpcServer::~RpcServer() {
  stop();
}

std::uint16_t RpcServer::port() const {
  return impl_->port;
}

const std::string& RpcServer::cookie_secret() const {
  return impl_->cookie_secret;
}

void RpcServer::stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mutex);
  if (impl_->stopped) return;
  impl_->stopped = true;
  // Stop accepting (on the acceptor's strand), then give requests being answered a moment to
  // finish, so that the reply to the "stop" method itself reaches its caller.
  asio::post(impl_->acceptor->get_executor(), [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor->close(ignored);
  });
  const auto deadline = std::chrono::steady_clock::now() + kStopDrainMs;
  while (impl_->state->answering.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kStopPollMs);
  }
  impl_->work.reset();
  impl_->ioc->stop();
  for (std::thread& thread : impl_->threads) {
    QPOW_ASSERT_MSG(thread.get_id() != std::this_thread::get_id(),
                    "RpcServer::stop called from a server thread");
    thread.join();
  }
  // The threads are gone: closing and destroying here races with nothing. Destroying the
  // io_context destroys the pending handlers, and with them every session and its socket.
  beast::error_code ignored;
  impl_->acceptor->close(ignored);
  impl_->retry_timer.reset();
  impl_->acceptor.reset();
  impl_->ioc.reset();
  if (!impl_->cookie_path.empty()) {
    // Nothing useful can be done if this fails at shutdown; a stale cookie is harmless because
    // the next start replaces it and the secret it holds no longer opens anything.
    (void)remove_cookie_file(impl_->cookie_path);
  }
}

}  // namespace qpow::http
