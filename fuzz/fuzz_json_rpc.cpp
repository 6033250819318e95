// Fuzz target: the JSON-RPC request handler and the Basic-auth check, the two parsers an RPC
// client's bytes reach first. Any body gets either no answer (notifications only) or one JSON
// document; nothing throws, crashes or recurses without bound. The first input byte chooses
// between the two parsers.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "http/json_rpc.h"
#include "http/rpc_auth.h"

namespace {

const qpow::http::JsonRpcDispatcher& dispatcher() {
  static const qpow::http::JsonRpcDispatcher* d = [] {
    auto* table = new qpow::http::JsonRpcDispatcher();
    table->add("echo",
               [](const nlohmann::json& params) -> qpow::http::RpcResult { return params; });
    table->add("fail", [](const nlohmann::json&) -> qpow::http::RpcResult {
      return qpow::http::RpcError{.code = -1, .message = "always fails"};
    });
    return table;
  }();
  return *d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] % 2 == 0) {
    const std::optional<std::string> reply = dispatcher().handle(text);
    if (reply) {
      const nlohmann::json parsed =
          nlohmann::json::parse(*reply, nullptr, /*allow_exceptions=*/false);
      FUZZ_CHECK(!parsed.is_discarded());
      FUZZ_CHECK(parsed.is_object() || parsed.is_array());
    }
  } else {
    static const qpow::http::RpcCredentials credentials("00ff", std::nullopt);
    // The only header that passes is "Basic " + base64("__cookie__:00ff").
    if (credentials.check(text)) FUZZ_CHECK(text.size() >= 6);
  }
  return 0;
}
