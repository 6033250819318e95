// The only app file that sees Boost.Beast (DEPENDENCIES §2.1: it costs seconds per translation
// unit).
#include "app/rpc_client.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <system_error>
#include <utility>  // before Boost.Asio: Boost 1.74 misses it under g++ 12 in C++20

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <fmt/format.h>

#include "http/json_rpc.h"
#include "http/rpc_auth.h"
#include "net/frame.h"
#include "util/status.h"

namespace qpow::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using nlohmann::json;
using util::Result;
using util::Status;
using util::StatusCode;

// The id of every request; one call is one request on its own connection.
constexpr int kRequestId = 1;
// How much of a refusal's body or of an error message from the node is quoted.
constexpr std::size_t kQuotedCharsMax = 300;

// Text from the node, made fit for a one-line error: control characters become spaces and it is
// cut at kQuotedCharsMax.
std::string quote(std::string_view text) {
  std::string out(text.substr(0, kQuotedCharsMax));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  if (text.size() > kQuotedCharsMax) out += "...";
  return out;
}

std::string describe(const beast::error_code& ec) {
  if (ec == asio::error::connection_refused) return "connection refused";
  if (ec == beast::error::timeout) return "timed out";
  return ec.message();
}

// One request and its response over one connection, every step bounded by one deadline. The
// steps are asynchronous operations run until their handler ran or the deadline passed, because
// Asio's blocking calls cannot be given a time limit.
class Exchange {
 public:
  Exchange(const RpcEndpoint& endpoint, const RpcCallOptions& options)
      : endpoint_(endpoint),
        options_(options),
        deadline_(std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(options.timeout_ms)) {}

  Result<std::string> run(const std::string& body);

 private:
  // host:port, with an IPv6 address in brackets (RFC 3986 §3.2.2), as the Host header wants it.
  std::string where() const {
    if (endpoint_.host.find(':') != std::string::npos) {
      return fmt::format("[{}]:{}", endpoint_.host, endpoint_.port);
    }
    return fmt::format("{}:{}", endpoint_.host, endpoint_.port);
  }
  Status unreachable(const beast::error_code& ec) const {
    return Status::unavailable(
        fmt::format("cannot reach the node's RPC at {}: {}", where(), describe(ec)));
  }
  // Runs the started operation; its handler stores its error code in `done`.
  beast::error_code wait(const std::optional<beast::error_code>& done);
  Status connect();
  Result<std::string> read_response();

  const RpcEndpoint& endpoint_;
  const RpcCallOptions& options_;
  const std::chrono::steady_clock::time_point deadline_;
  asio::io_context io_;
  tcp::resolver resolver_{io_};
  tcp::socket socket_{io_};
};

beast::error_code Exchange::wait(const std::optional<beast::error_code>& done) {
  io_.restart();
  io_.run_until(deadline_);
  if (done) return *done;
  // Past the deadline: cancel, and let the cancelled handler run before anything goes away.
  resolver_.cancel();
  beast::error_code ignored;
  socket_.close(ignored);
  io_.restart();
  io_.run();
  return beast::error::timeout;
}

Status Exchange::connect() {
  std::optional<beast::error_code> done;
  tcp::resolver::results_type addresses;
  resolver_.async_resolve(endpoint_.host, std::to_string(endpoint_.port),
                          [&](const beast::error_code& ec, tcp::resolver::results_type found) {
                            done = ec;
                            addresses = std::move(found);
                          });
  if (const beast::error_code ec = wait(done)) return unreachable(ec);
  done.reset();
  asio::async_connect(socket_, addresses,
                      [&](const beast::error_code& ec, const tcp::endpoint&) { done = ec; });
  if (const beast::error_code ec = wait(done)) return unreachable(ec);
  return Status::ok();
}

Result<std::string> Exchange::read_response() {
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(options_.response_bytes_max);
  // The head first: Boost 1.74's eager body parsing loses the body_limit error of a
  // Content-Length over the limit when the body arrives with the head, so the length is judged
  // while reading the head alone, before any of the body is taken.
  std::optional<beast::error_code> done;
  bhttp::async_read_header(socket_, buffer, parser,
                           [&](const beast::error_code& ec, std::size_t) { done = ec; });
  beast::error_code ec = wait(done);
  if (!ec) {
    done.reset();
    bhttp::async_read(socket_, buffer, parser,
                      [&](const beast::error_code& read_ec, std::size_t) { done = read_ec; });
    ec = wait(done);
  }
  if (ec == bhttp::error::body_limit) {
    return Status::out_of_range(
        fmt::format("the answer of the node's RPC at {} is larger than {} "
                    "bytes",
                    where(), options_.response_bytes_max));
  }
  if (ec == beast::error::timeout) {
    return Status::timeout(fmt::format("the node's RPC at {} did not answer within {} ms", where(),
                                       options_.timeout_ms));
  }
  if (ec) {
    return Status::unavailable(
        fmt::format("reading the answer of the node's RPC at {}: {}", where(), describe(ec)));
  }
  bhttp::response<bhttp::string_body> response = parser.release();
  const unsigned status = response.result_int();
  if (status == 401) {
    return Status::invalid_argument(fmt::format(
        "the node's RPC at {} refused the credentials (HTTP 401): check --rpc-user/--rpc-password, "
        "or --datadir if the cookie belongs to another node",
        where()));
  }
  if (status != 200) {
    return Status::unavailable(fmt::format("the node's RPC at {} answered HTTP {}: {}", where(),
                                           status, quote(response.body())));
  }
  return std::move(response.body());
}

Result<std::string> Exchange::run(const std::string& body) {
  QPOW_RETURN_IF_ERROR(connect());
  bhttp::request<bhttp::string_body> request{bhttp::verb::post, "/", 11};
  request.set(bhttp::field::host, where());
  request.set(bhttp::field::content_type, "application/json");
  request.set(bhttp::field::user_agent, "qpow");
  request.set(bhttp::field::authorization,
              "Basic " + http::base64_encode(util::as_bytes(
                             fmt::format("{}:{}", endpoint_.user, endpoint_.password))));
  request.body() = body;
  request.prepare_payload();
  std::optional<beast::error_code> done;
  bhttp::async_write(socket_, request,
                     [&](const beast::error_code& ec, std::size_t) { done = ec; });
  if (const beast::error_code ec = wait(done)) {
    return Status::unavailable(
        fmt::format("sending to the node's RPC at {}: {}", where(), describe(ec)));
  }
  Result<std::string> answer = read_response();
  beast::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  return answer;
}

// Thrown by the parse callback at the first container deeper than http::kJsonDepthMax.
struct DepthExceeded {};

Result<json> parse_answer(const std::string& body) {
  const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t event, json&) {
    const bool starts =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (starts && static_cast<std::size_t>(depth) + 1 > http::kJsonDepthMax) throw DepthExceeded{};
    return true;
  };
  try {
    return json::parse(body.begin(), body.end(), limit_depth);
  } catch (const DepthExceeded&) {
    return Status::malformed(
        fmt::format("the node's answer is nested deeper than {} levels", http::kJsonDepthMax));
  } catch (const json::exception& e) {
    return Status::malformed(fmt::format("the node's answer is not JSON: {}", quote(e.what())));
  }
}

// The StatusCode for a JSON-RPC error code (the inverse of http::rpc_error_from_status).
StatusCode status_code_for(int rpc_code) {
  switch (rpc_code) {
    case http::kRpcInvalidAddressOrKey:
      return StatusCode::kNotFound;
    case http::kRpcInvalidParameter:
    case http::kRpcInvalidParams:
      return StatusCode::kInvalidArgument;
    case http::kRpcDeserializationError:
      return StatusCode::kMalformed;
    case http::kRpcInWarmup:
      return StatusCode::kUnavailable;
    case http::kRpcMethodNotFound:
      return StatusCode::kUnsupported;
    default:
      return StatusCode::kInternal;
  }
}

Result<json> result_of(std::string_view method, json answer) {
  if (!answer.is_object()) {
    return Status::malformed(fmt::format("rpc {}: the answer is not a JSON-RPC object", method));
  }
  const auto error = answer.find("error");
  if (error != answer.end() && !error->is_null()) {
    const auto code = error->find("code");
    const auto message = error->find("message");
    if (!error->is_object() || code == error->end() || !code->is_number_integer() ||
        message == error->end() || !message->is_string()) {
      return Status::malformed(
          fmt::format("rpc {}: malformed error: {}", method, quote(http::dump_json(*error))));
    }
    const int rpc_code = code->get<int>();
    return Status::error(status_code_for(rpc_code),
                         fmt::format("rpc {}: {} {}", method, rpc_code,
                                     quote(message->get_ref<const std::string&>())));
  }
  const auto result = answer.find("result");
  if (result == answer.end()) {
    return Status::malformed(fmt::format("rpc {}: the answer has no result", method));
  }
  return std::move(*result);
}

}  // namespace

Result<std::string> default_datadir() {
  if (const char* dir = std::getenv("QPOW_DATADIR"); dir != nullptr && *dir != '\0') {
    return std::string(dir);
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return (std::filesystem::path(home) / ".qpow").string();
  }
  return Status::invalid_argument("no data directory: give --datadir, or set QPOW_DATADIR or HOME");
}

Status read_cookie(const std::string& path, RpcEndpoint& endpoint) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::not_found(fmt::format(
        "no RPC cookie at {}: is the node running? (or pass --rpc-user/--rpc-password)", path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::io_error(
        fmt::format("cannot read the RPC cookie {}: {}", path, std::strerror(errno)));
  }
  std::string text(kCookieFileBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kCookieFileBytesMax) {
    return Status::malformed(
        fmt::format("the RPC cookie {} is longer than {} bytes", path, kCookieFileBytesMax));
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return Status::malformed(fmt::format("the RPC cookie {} is not <user>:<password>", path));
  }
  endpoint.user = text.substr(0, colon);
  endpoint.password = text.substr(colon + 1);
  return Status::ok();
}

Result<RpcEndpoint> endpoint_from_options(primitives::Network network, const RpcOptions& options) {
  RpcEndpoint endpoint;
  if (!options.host.empty()) endpoint.host = options.host;
  if (options.port && *options.port == 0) {
    return Status::invalid_argument("--rpc-port: 0 is not a port a node listens on");
  }
  endpoint.port = options.port.value_or(net::default_rpc_port(network));
  if (!options.user.empty() || !options.password.empty()) {
    if (options.user.empty()) return Status::invalid_argument("--rpc-password needs --rpc-user");
    if (options.password.empty())
      return Status::invalid_argument("--rpc-user needs --rpc-password");
    if (options.user.find(':') != std::string::npos) {
      return Status::invalid_argument("--rpc-user: a user name cannot contain ':'");
    }
    endpoint.user = options.user;
    endpoint.password = options.password;
    return endpoint;
  }
  std::string datadir = options.datadir;
  if (datadir.empty()) {
    QPOW_ASSIGN_OR_RETURN(datadir, default_datadir());
  }
  QPOW_RETURN_IF_ERROR(
      read_cookie((std::filesystem::path(datadir) / kCookieFileName).string(), endpoint));
  return endpoint;
}

Result<json> rpc_call(const RpcEndpoint& endpoint, std::string_view method, const json& params,
                      const RpcCallOptions& options) {
  const json request{
      {"jsonrpc", "2.0"}, {"id", kRequestId}, {"method", std::string(method)}, {"params", params}};
  try {
    Exchange exchange(endpoint, options);
    QPOW_ASSIGN_OR_RETURN(const std::string body, exchange.run(http::dump_json(request)));
    QPOW_ASSIGN_OR_RETURN(json answer, parse_answer(body));
    return result_of(method, std::move(answer));
  } catch (const std::exception& e) {
    // Boost reports allocation and system failures by throwing; they become one error line.
    return Status::error(StatusCode::kInternal, fmt::format("rpc {}: {}", method, quote(e.what())));
  }
}

}  // namespace qpow::app
