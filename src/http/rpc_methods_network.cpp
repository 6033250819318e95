// Peers and the network: getpeerinfo, getnetworkinfo, addnode, disconnectnode, setnetworkactive,
// listbanned.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "http/rpc_json.h"
#include "http/rpc_node_call.h"
#include "http/rpc_params.h"
#include "net/frame.h"
#include "net/message.h"
#include "net/peer_address.h"

namespace qpow::http {
namespace {

using nlohmann::json;

// The host part of an address's text, without ":port" ("1.2.3.4", "[2001:db8::1]").
std::string host_text(const net::PeerAddress& address) {
  std::string text = address.to_string();
  const std::size_t colon = text.rfind(':');
  if (colon != std::string::npos) text.resize(colon);
  return text;
}

RpcOr<net::PeerAddress> peer_address_param(const MethodContext& context, const RpcParams& params,
                                           std::size_t i) {
  QPOW_RPC_ASSIGN_OR_RETURN(const std::string text, params.string(i));
  auto address = net::parse_peer_address(text, net::default_p2p_port(context.params.network));
  if (!address.is_ok()) return RpcError{kRpcInvalidParameter, address.status().message()};
  return *address;
}

json peer_json(const node::PeerInfo& p) {
  json out{{"id", p.id},
           {"addr", p.address.to_string()},
           {"connection_type", node::link_kind_name(p.kind)},
           {"inbound", p.kind == node::LinkKind::kInbound},
           {"handshake_done", p.handshake_done},
           {"version", p.protocol_version},
           {"subver", p.user_agent},
           {"services", fmt::format("{:016x}", p.services)},
           {"startingheight", p.start_height},
           {"synced_headers", p.synced_height},
           {"misbehavior", p.misbehavior},
           {"conntime", p.connected_ms / 1000},
           {"inflight", p.blocks_in_flight},
           {"msgs_recv", p.messages_received},
           {"msgs_sent", p.messages_sent}};
  out["ping_ms"] = p.ping_ms ? json(*p.ping_ms) : json(nullptr);
  return out;
}

RpcResult getpeerinfo(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getpeerinfo", raw)) return *error;
  using Peers = std::vector<node::PeerInfo>;
  QPOW_RPC_ASSIGN_OR_RETURN(const Peers peers,
                            node_call<Peers>(context.access, [](node::Node& node) {
                              return RpcOr<Peers>(node.peer_info());
                            }));
  json out = json::array();
  for (const node::PeerInfo& peer : peers) out.push_back(peer_json(peer));
  return out;
}

struct NetworkCopy {
  std::vector<node::PeerInfo> peers;
  bool active = false;
  std::size_t known_addresses = 0;
  std::size_t banned = 0;
};

RpcResult getnetworkinfo(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("getnetworkinfo", raw)) return *error;
  QPOW_RPC_ASSIGN_OR_RETURN(
      const NetworkCopy copy, node_call<NetworkCopy>(context.access, [](node::Node& node) {
        return RpcOr<NetworkCopy>(NetworkCopy{.peers = node.peer_info(),
                                              .active = node.network_active(),
                                              .known_addresses = node.known_addresses(),
                                              .banned = node.banned().size()});
      }));
  std::size_t inbound = 0;
  for (const node::PeerInfo& peer : copy.peers) {
    if (peer.kind == node::LinkKind::kInbound) ++inbound;
  }
  return json{{"protocolversion", net::kProtocolVersion},
              {"chain", primitives::network_name(context.params.network)},
              {"networkactive", copy.active},
              {"connections", copy.peers.size()},
              {"connections_in", inbound},
              {"connections_out", copy.peers.size() - inbound},
              {"known_addresses", copy.known_addresses},
              {"banned", copy.banned}};
}

RpcResult addnode(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("addnode", raw, {"node", "command"}, 2));
  QPOW_RPC_ASSIGN_OR_RETURN(const net::PeerAddress address, peer_address_param(context, params, 0));
  QPOW_RPC_ASSIGN_OR_RETURN(const std::string command, params.string(1));
  // The node has no one-shot connection: "onetry" adds a manual peer, as "add" does.
  const bool add = command == "add" || command == "onetry";
  if (!add && command != "remove") {
    return RpcError{kRpcInvalidParameter,
                    "addnode: command must be \"add\", \"remove\" or \"onetry\""};
  }
  return node_call<json>(context.access, [&](node::Node& node) -> RpcResult {
    const util::Status status = add ? node.add_node(address) : node.disconnect_node(address);
    if (status.is_ok()) return json(nullptr);
    RpcError error = rpc_error_from_status(status);
    if (!add && status.code() == util::StatusCode::kNotFound) error.code = kRpcClientNodeNotAdded;
    if (add && status.code() == util::StatusCode::kAlreadyExists) {
      error.code = kRpcClientNodeAlreadyAdded;
    }
    return error;
  });
}

RpcResult disconnectnode(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("disconnectnode", raw, {"address", "nodeid"}, 0));
  // A number where the address goes is taken as a node id, a shorthand Bitcoin Core lacks; an
  // empty address with a node id is Bitcoin Core's way of giving only the id.
  const nlohmann::json* first = params.get(0);
  const bool id_first = first != nullptr && first->is_number();
  const std::size_t id_index = id_first ? 0 : 1;
  const bool by_address = first != nullptr && !id_first && *first != "";
  if (by_address == params.has(id_index)) {
    return RpcError{kRpcInvalidParameter, "disconnectnode: give exactly one of address and nodeid"};
  }
  std::optional<net::PeerAddress> address;
  node::PeerId id = 0;
  if (by_address) {
    QPOW_RPC_ASSIGN_OR_RETURN(address, peer_address_param(context, params, 0));
  } else {
    QPOW_RPC_ASSIGN_OR_RETURN(id, params.uint(id_index, std::numeric_limits<std::uint64_t>::max()));
  }
  return node_call<json>(context.access, [&](node::Node& node) -> RpcResult {
    const util::Status status = address ? node.disconnect_node(*address) : node.disconnect_peer(id);
    if (status.is_ok()) return json(nullptr);
    RpcError error = rpc_error_from_status(status);
    if (status.code() == util::StatusCode::kNotFound) error.code = kRpcClientNodeNotConnected;
    return error;
  });
}

RpcResult setnetworkactive(const MethodContext& context, const json& raw) {
  QPOW_RPC_ASSIGN_OR_RETURN(const RpcParams params,
                            RpcParams::bind("setnetworkactive", raw, {"state"}, 1));
  QPOW_RPC_ASSIGN_OR_RETURN(const bool active, params.boolean(0));
  return node_call<json>(context.access, [active](node::Node& node) -> RpcResult {
    node.set_network_active(active);
    return json(node.network_active());
  });
}

RpcResult listbanned(const MethodContext& context, const json& raw) {
  if (auto error = check_no_params("listbanned", raw)) return *error;
  using Bans = std::vector<std::pair<net::PeerAddress, std::uint64_t>>;
  QPOW_RPC_ASSIGN_OR_RETURN(const Bans bans, node_call<Bans>(context.access, [](node::Node& node) {
                              return RpcOr<Bans>(node.banned());
                            }));
  json out = json::array();
  for (const auto& [address, until] : bans) {
    out.push_back(json{{"address", host_text(address)}, {"banned_until", until}});
  }
  return out;
}

}  // namespace

void add_network_methods(JsonRpcDispatcher& dispatcher, const MethodContext& context) {
  dispatcher.add("getpeerinfo", bind_method(context, getpeerinfo));
  dispatcher.add("getnetworkinfo", bind_method(context, getnetworkinfo));
  dispatcher.add("addnode", bind_method(context, addnode));
  dispatcher.add("disconnectnode", bind_method(context, disconnectnode));
  dispatcher.add("setnetworkactive", bind_method(context, setnetworkactive));
  dispatcher.add("listbanned", bind_method(context, listbanned));
}

}  // namespace qpow::http
