# Include lint for the layer table of DESIGN §1 (cmake/QpowLayers.cmake).
#
#   cmake -DQPOW_SOURCE_ROOT=<tree with a src/ folder> -P tools/layer_lint.cmake
#
# For every .h/.cpp under src/<folder>/ it checks each #include:
#   "other/x.h"  -> <other> must be the file's own folder or a lower layer its row allows;
#   "x.h"        -> rejected: project headers are included by folder ("crypto/keccak.h");
#   <prefix/...> -> a third-party header must be allowed for the folder (or a folder it may use);
#   <system>     -> must not be banned for the folder's layer (clocks, threads, sockets, ...).
# Prints every violation and fails if there is any. The link checks (qpow_add_library) catch the
# other half: calls into a library that is not a declared dependency.

cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/../cmake/QpowLayers.cmake)

if(NOT QPOW_SOURCE_ROOT)
  message(FATAL_ERROR "usage: cmake -DQPOW_SOURCE_ROOT=<dir> -P layer_lint.cmake")
endif()
# Relative roots are taken from the working directory (script mode's current source dir).
get_filename_component(root "${QPOW_SOURCE_ROOT}" ABSOLUTE)
set(src_root "${root}/src")
if(NOT IS_DIRECTORY "${src_root}")
  message(FATAL_ERROR "layer lint: ${src_root} is not a directory")
endif()

file(GLOB_RECURSE files RELATIVE "${src_root}" "${src_root}/*.h" "${src_root}/*.cpp"
     "${src_root}/*.h.in")
list(SORT files)

set(violations 0)
macro(report file text)
  message("src/${file}: ${text}")
  math(EXPR violations "${violations} + 1")
endmacro()

foreach(file IN LISTS files)
  string(REGEX MATCH "^[^/]+" folder "${file}")
  if(NOT DEFINED QPOW_LAYER_${folder})
    report("${file}" "folder '${folder}' is not in the layer table (cmake/QpowLayers.cmake)")
    continue()
  endif()
  qpow_allowed_libraries(${folder} allowed)
  qpow_allowed_external_prefixes(${folder} externals)
  qpow_banned_headers(${folder} banned)

  file(STRINGS "${src_root}/${file}" includes REGEX "^[ \t]*#[ \t]*include")
  foreach(line IN LISTS includes)
    if(line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
      set(target "${CMAKE_MATCH_1}")
      if(NOT target MATCHES "/")
        report("${file}" "#include \"${target}\": include project headers by folder, e.g. \"${folder}/${target}\"")
        continue()
      endif()
      string(REGEX MATCH "^[^/]+" other "${target}")
      if(other STREQUAL folder OR other IN_LIST allowed)
        continue()
      endif()
      if(DEFINED QPOW_LAYER_${other})
        report("${file}" "#include \"${target}\": ${folder} (layer ${QPOW_LAYER_${folder}}) may not include ${other} (layer ${QPOW_LAYER_${other}})")
      else()
        report("${file}" "#include \"${target}\": '${other}' is not a folder of the layer table")
      endif()
    elseif(line MATCHES "#[ \t]*include[ \t]*<([^>]+)>")
      set(target "${CMAKE_MATCH_1}")
      if(target IN_LIST banned)
        report("${file}" "#include <${target}>: not allowed in ${folder} (layer ${QPOW_LAYER_${folder}}); DESIGN §1-2 keep it out of this layer")
        continue()
      endif()
      foreach(prefix IN LISTS QPOW_KNOWN_EXTERNAL_PREFIXES)
        string(FIND "${target}" "${prefix}" at)
        if(at EQUAL 0)
          if(NOT prefix IN_LIST externals)
            report("${file}" "#include <${target}>: third-party '${prefix}' is not allowed in ${folder} (layer ${QPOW_LAYER_${folder}})")
          endif()
          break()
        endif()
      endforeach()
    endif()
  endforeach()
endforeach()

list(LENGTH files count)
if(violations GREATER 0)
  message(FATAL_ERROR "layer lint: ${violations} violation(s) in ${count} files")
endif()
message("layer lint: ${count} files, no violations")
