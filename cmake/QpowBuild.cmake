# Build settings shared by every qpow target: warnings, sanitizers, ccache, linker, and the
# qpow_add_library() function that enforces the layer table at configure and link time.

include(${CMAKE_CURRENT_LIST_DIR}/QpowLayers.cmake)

# ---- compiler launcher and linker -------------------------------------------------------------
find_program(QPOW_CCACHE ccache)
if(QPOW_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${QPOW_CCACHE})
endif()

set(QPOW_LINKER "" CACHE STRING "Linker for -fuse-ld (mold, lld); empty keeps the default")
if(QPOW_LINKER)
  add_link_options(-fuse-ld=${QPOW_LINKER})
endif()

# ---- sanitizers (-DQPOW_SANITIZE=address,undefined) -------------------------------------------
set(QPOW_SANITIZE "" CACHE STRING "Comma-separated list of sanitizers, e.g. address,undefined")
if(QPOW_SANITIZE)
  if(NOT QPOW_SANITIZE MATCHES "^[a-z,]+$")
    message(FATAL_ERROR "QPOW_SANITIZE must be a comma-separated list like address,undefined")
  endif()
  add_compile_options(-fsanitize=${QPOW_SANITIZE} -fno-sanitize-recover=all
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${QPOW_SANITIZE})
endif()

# ---- fuzzing (-DQPOW_FUZZ=ON, clang): coverage instrumentation for all code, libFuzzer for the
# fuzz targets (fuzz/CMakeLists.txt) -------------------------------------------------------------
option(QPOW_FUZZ "Build the fuzz targets with libFuzzer (needs clang)" OFF)
if(QPOW_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "QPOW_FUZZ needs clang (CXX=clang++)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()

# ---- warnings for the project's own code --------------------------------------------------------
add_library(qpow_build_flags INTERFACE)
target_compile_options(qpow_build_flags INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Werror -Werror=unused-result)

# ---- libraries ----------------------------------------------------------------------------------
# qpow_add_library(<folder> SOURCES ... [DEPS <project libs>] [EXTERNAL <imported targets>])
#
# Creates the static library qpow_<folder>. Each DEPS entry must be allowed by the layer table;
# anything else is a configure error. A link check executable links the whole archive of the
# library against only its declared dependencies, so an undeclared call fails the build.
function(qpow_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;EXTERNAL" ${ARGN})
  qpow_allowed_libraries(${name} allowed)
  foreach(dep IN LISTS ARG_DEPS)
    if(NOT dep IN_LIST allowed)
      message(FATAL_ERROR
          "qpow_${name} (layer ${QPOW_LAYER_${name}}) may not depend on qpow_${dep} "
          "(layer ${QPOW_LAYER_${dep}}); see the layer table in cmake/QpowLayers.cmake")
    endif()
  endforeach()

  add_library(qpow_${name} STATIC ${ARG_SOURCES})
  target_include_directories(qpow_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  list(TRANSFORM ARG_DEPS PREPEND qpow_ OUTPUT_VARIABLE dep_targets)
  target_link_libraries(qpow_${name} PUBLIC ${dep_targets} ${ARG_EXTERNAL}
                        PRIVATE qpow_build_flags)

  add_executable(qpow_link_check_${name} ${PROJECT_SOURCE_DIR}/tools/link_check/main.cpp)
  target_compile_definitions(qpow_link_check_${name} PRIVATE QPOW_LINK_CHECK_LIBRARY="qpow_${name}")
  target_link_libraries(qpow_link_check_${name}
                        PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,qpow_${name}>" qpow_build_flags)
  if(QPOW_BUILD_TESTS)
    add_test(NAME layer.link.${name} COMMAND qpow_link_check_${name})
  endif()
endfunction()

# Boost.Asio / Beast (Boost 1.74, header-only) for `target`, configured the same way everywhere:
# every target that sees Asio must see the same settings, or two translation units would disagree
# on Asio's types, so they are PUBLIC.
#  - Boost 1.74's Asio needs <utility> before it under GCC 12 in C++20 mode;
#  - clang 14 needs the coroutine defines to see co_await support;
#  - GCC 12 warns that ThreadSanitizer does not model Asio's atomic_thread_fence; that warning
#    must not fail a TSan build.
function(qpow_use_asio target)
  find_package(Boost 1.74 REQUIRED)
  target_link_libraries(${target} PUBLIC Boost::headers)
  target_compile_options(${target} PUBLIC "SHELL:-include utility")
  target_compile_definitions(${target} PUBLIC BOOST_ASIO_NO_DEPRECATED
                             BOOST_ASIO_HAS_CO_AWAIT=1 BOOST_ASIO_HAS_STD_COROUTINE=1)
  if(QPOW_SANITIZE MATCHES "thread")
    target_compile_options(${target} PUBLIC -Wno-error=tsan)
  endif()
endfunction()
