-- wrk script for tools/bench_node.py: every request is one JSON-RPC 2.0 call of the method in
-- QPOW_RPC_METHOD (default getblockcount), authenticated with HTTP Basic credentials from
-- QPOW_RPC_AUTH (base64 of "user:password", e.g. the node's cookie file contents).
--
--   QPOW_RPC_AUTH=$(tr -d '\n' < D/.cookie | base64 -w0) \
--     wrk -t2 -c50 -d10s --latency -s tools/bench_rpc.lua http://127.0.0.1:PORT/

local method = os.getenv("QPOW_RPC_METHOD") or "getblockcount"
local auth = os.getenv("QPOW_RPC_AUTH")
if auth == nil or auth == "" then
  error("QPOW_RPC_AUTH is not set")
end

wrk.method = "POST"
wrk.path = "/"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"' .. method .. '","params":[]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic " .. auth
