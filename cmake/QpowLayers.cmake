# The layer table of DESIGN §1, in one place.
#
# Every folder of src/ is one static library `qpow_<folder>` with a layer number. A library may
# link and include only the libraries of lower layers (never its own layer's siblings), except
# where QPOW_ALLOWED_<lib> narrows that list. Third-party headers are allowed per library by
# prefix; a library inherits the prefixes of every library it may include.
#
# This file is read both by the build (qpow_add_library) and, in script mode, by the include
# lint (tools/layer_lint.cmake), so it must not call any project-mode command at top level.

set(QPOW_LAYER_LIBRARIES
    util crypto primitives consensus state storage chain
    mining finality shard wallet net node runtime sim http services app)

set(QPOW_LAYER_util 0)
set(QPOW_LAYER_crypto 1)
set(QPOW_LAYER_primitives 2)
set(QPOW_LAYER_consensus 3)
set(QPOW_LAYER_state 4)
set(QPOW_LAYER_storage 5)
set(QPOW_LAYER_chain 6)
set(QPOW_LAYER_mining 7)
set(QPOW_LAYER_finality 7)
set(QPOW_LAYER_shard 7)
set(QPOW_LAYER_wallet 7)
set(QPOW_LAYER_net 8)
set(QPOW_LAYER_node 9)
set(QPOW_LAYER_runtime 10)
set(QPOW_LAYER_sim 10)
set(QPOW_LAYER_http 10)
set(QPOW_LAYER_services 11)
set(QPOW_LAYER_app 12)

# Rows whose allowed list is narrower than "every lower layer".
set(QPOW_ALLOWED_wallet util crypto primitives storage)

# Third-party header prefixes each library may include directly (matched against the text
# inside <...>). Standard and system headers are not listed; the banned lists below cover them.
set(QPOW_EXTERNAL_util "fmt/" "spdlog/" "prometheus/")
set(QPOW_EXTERNAL_crypto "sodium" "openssl/")
set(QPOW_EXTERNAL_storage "rocksdb/")
set(QPOW_EXTERNAL_runtime "boost/")
set(QPOW_EXTERNAL_http "boost/" "nlohmann/")
set(QPOW_EXTERNAL_sim "nlohmann/")
set(QPOW_EXTERNAL_services "nlohmann/")
set(QPOW_EXTERNAL_app "CLI/" "nlohmann/" "boost/" "rocksdb/" "openssl/" "sodium")

# Every prefix the lint treats as third party (an angle include matching none is standard/system).
set(QPOW_KNOWN_EXTERNAL_PREFIXES
    "fmt/" "spdlog/" "prometheus/" "sodium" "openssl/" "secp256k1" "rocksdb/" "boost/"
    "nlohmann/" "CLI/" "gtest/" "gmock/" "benchmark/")

# System headers that would let a layer touch what DESIGN keeps out of it.
# Consensus code (util .. chain): no clocks, no <random>, no locale, no threads, no sockets.
set(QPOW_BANNED_CONSENSUS
    "random" "locale" "clocale" "ctime" "time.h" "chrono" "thread" "future"
    "sys/socket.h" "netinet/in.h" "arpa/inet.h" "netdb.h")
# Layers 7 .. 9 (mining .. node): no threads and no sockets; the environment supplies them.
set(QPOW_BANNED_BELOW_RUNTIME
    "thread" "future" "sys/socket.h" "netinet/in.h" "arpa/inet.h" "netdb.h")

# qpow_allowed_libraries(<lib> <out-var>): the project libraries <lib> may include and link.
function(qpow_allowed_libraries lib out)
  if(NOT DEFINED QPOW_LAYER_${lib})
    message(FATAL_ERROR "'${lib}' is not in the layer table (cmake/QpowLayers.cmake)")
  endif()
  if(DEFINED QPOW_ALLOWED_${lib})
    set(${out} ${QPOW_ALLOWED_${lib}} PARENT_SCOPE)
    return()
  endif()
  set(allowed "")
  foreach(other IN LISTS QPOW_LAYER_LIBRARIES)
    if(QPOW_LAYER_${other} LESS QPOW_LAYER_${lib})
      list(APPEND allowed ${other})
    endif()
  endforeach()
  set(${out} ${allowed} PARENT_SCOPE)
endfunction()

# qpow_allowed_external_prefixes(<lib> <out-var>): third-party header prefixes <lib> may include.
function(qpow_allowed_external_prefixes lib out)
  qpow_allowed_libraries(${lib} libs)
  set(prefixes ${QPOW_EXTERNAL_${lib}})
  foreach(other IN LISTS libs)
    list(APPEND prefixes ${QPOW_EXTERNAL_${other}})
  endforeach()
  list(REMOVE_DUPLICATES prefixes)
  set(${out} ${prefixes} PARENT_SCOPE)
endfunction()

# qpow_banned_headers(<lib> <out-var>): system headers <lib> must not include.
function(qpow_banned_headers lib out)
  if(QPOW_LAYER_${lib} LESS_EQUAL ${QPOW_LAYER_chain})
    set(${out} ${QPOW_BANNED_CONSENSUS} PARENT_SCOPE)
  elseif(QPOW_LAYER_${lib} LESS ${QPOW_LAYER_runtime})
    set(${out} ${QPOW_BANNED_BELOW_RUNTIME} PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()
