# Script mode: writes the version header with the current `git describe`.
#   cmake -DSOURCE_DIR=<repo> -DINPUT=<version.h.in> -DOUTPUT=<version.h> -DPROJECT_VERSION=<x.y.z>
#         -P QpowVersion.cmake
# configure_file rewrites OUTPUT only when its text changes, so an unchanged tree rebuilds nothing.
set(QPOW_GIT_DESCRIBE "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SOURCE_DIR}/.git")
  execute_process(
    COMMAND ${GIT_EXECUTABLE} describe --always --dirty --tags
    WORKING_DIRECTORY ${SOURCE_DIR}
    OUTPUT_VARIABLE describe
    OUTPUT_STRIP_TRAILING_WHITESPACE
    RESULT_VARIABLE result
    ERROR_QUIET)
  if(result EQUAL 0 AND describe)
    set(QPOW_GIT_DESCRIBE "${describe}")
  endif()
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
