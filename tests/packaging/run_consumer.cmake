# Packaging test driver, run as `cmake -D... -P run_consumer.cmake` by ctest.
# Portable CMake only (no shell). Every run starts from fresh directories.
#
# PRIORREG_MODE=find_package
#   1. cmake --install <PRIORREG_BUILD_DIR> --prefix <PRIORREG_STAGE_DIR>
#   2. checks the install tree layout
#   3. configures the consumer with -DCMAKE_PREFIX_PATH=<stage>, builds it,
#      runs it (through ctest in the consumer build dir; must exit 0)
#
# PRIORREG_MODE=add_subdirectory
#   configures the consumer with -DPRIORREG_SOURCE_DIR=<priorreg source>,
#   builds it and runs it the same way.
cmake_minimum_required(VERSION 3.21)

foreach(_var PRIORREG_MODE PRIORREG_CONSUMER_SOURCE_DIR PRIORREG_CONSUMER_BINARY_DIR
             PRIORREG_GENERATOR PRIORREG_CTEST_COMMAND)
    if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
        message(FATAL_ERROR "run_consumer.cmake: ${_var} must be given with -D")
    endif()
endforeach()

# Run a command, echo it, fail the test on a non-zero exit code.
function(_priorreg_run what)
    string(REPLACE ";" " " _pretty "${ARGN}")
    message(STATUS "[${PRIORREG_MODE}] ${what}: ${_pretty}")
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "[${PRIORREG_MODE}] ${what} failed (exit code: ${_rc})")
    endif()
endfunction()

set(_config "${PRIORREG_CONFIG}")
if(_config STREQUAL "")
    set(_config "Release")
endif()

set(_configure_args
    -S "${PRIORREG_CONSUMER_SOURCE_DIR}"
    -B "${PRIORREG_CONSUMER_BINARY_DIR}"
    -G "${PRIORREG_GENERATOR}"
    "-DCMAKE_BUILD_TYPE=${_config}")
if(PRIORREG_GENERATOR_PLATFORM)
    list(APPEND _configure_args -A "${PRIORREG_GENERATOR_PLATFORM}")
endif()
if(PRIORREG_GENERATOR_TOOLSET)
    list(APPEND _configure_args -T "${PRIORREG_GENERATOR_TOOLSET}")
endif()
if(PRIORREG_MAKE_PROGRAM)
    list(APPEND _configure_args "-DCMAKE_MAKE_PROGRAM=${PRIORREG_MAKE_PROGRAM}")
endif()
if(PRIORREG_CXX_COMPILER)
    list(APPEND _configure_args "-DCMAKE_CXX_COMPILER=${PRIORREG_CXX_COMPILER}")
endif()
if(PRIORREG_EIGEN3_DIR)
    list(APPEND _configure_args "-DEigen3_DIR=${PRIORREG_EIGEN3_DIR}")
endif()

file(REMOVE_RECURSE "${PRIORREG_CONSUMER_BINARY_DIR}")

if(PRIORREG_MODE STREQUAL "find_package")
    foreach(_var PRIORREG_BUILD_DIR PRIORREG_STAGE_DIR)
        if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
            message(FATAL_ERROR "run_consumer.cmake: ${_var} must be given with -D")
        endif()
    endforeach()

    file(REMOVE_RECURSE "${PRIORREG_STAGE_DIR}")
    _priorreg_run("install"
        "${CMAKE_COMMAND}" --install "${PRIORREG_BUILD_DIR}"
        --prefix "${PRIORREG_STAGE_DIR}" --config "${_config}")

    # The install tree must look like this (the headers and share/; lib/ for the compiled
    # component).
    set(_cmakedir "${PRIORREG_STAGE_DIR}/share/priorreg/cmake")
    foreach(_file
            "${_cmakedir}/priorregConfig.cmake"
            "${_cmakedir}/priorregConfigVersion.cmake"
            "${_cmakedir}/priorregTargets.cmake")
        if(NOT EXISTS "${_file}")
            message(FATAL_ERROR "[find_package] install tree lacks ${_file}")
        endif()
    endforeach()
    file(GLOB_RECURSE _installed_headers "${PRIORREG_STAGE_DIR}/include/priorreg/*.hpp")
    if(NOT _installed_headers)
        message(FATAL_ERROR "[find_package] no headers installed under "
                            "${PRIORREG_STAGE_DIR}/include/priorreg")
    endif()

    if(PRIORREG_EXPECT_COMPILED)
        file(GLOB _compiled_library "${PRIORREG_STAGE_DIR}/lib*/*priorreg_compiled*")
        if(NOT EXISTS "${_cmakedir}/priorregCompiledTargets.cmake" OR NOT _compiled_library)
            message(FATAL_ERROR "[find_package] the compiled component is not installed")
        endif()
    endif()

    # The command-line tool, when it was built: installed in bin/ and runs from there.
    if(PRIORREG_EXPECT_TOOL)
        set(_tool "${PRIORREG_STAGE_DIR}/bin/priorreg-fit")
        if(NOT EXISTS "${_tool}")
            message(FATAL_ERROR "[find_package] priorreg-fit is not installed in bin/")
        endif()
        _priorreg_run("installed priorreg-fit --help" "${_tool}" --help)
    endif()

    list(APPEND _configure_args
        "-DPRIORREG_EXPECT_COMPILED=${PRIORREG_EXPECT_COMPILED}"
        "-DPRIORREG_EXPECT_MPI=${PRIORREG_EXPECT_MPI}"
        "-DCMAKE_PREFIX_PATH=${PRIORREG_STAGE_DIR}"
        "-DPRIORREG_EXPECTED_PREFIX=${PRIORREG_STAGE_DIR}"
        -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
elseif(PRIORREG_MODE STREQUAL "add_subdirectory")
    if(NOT DEFINED PRIORREG_SOURCE_DIR OR PRIORREG_SOURCE_DIR STREQUAL "")
        message(FATAL_ERROR "run_consumer.cmake: PRIORREG_SOURCE_DIR must be given with -D")
    endif()
    list(APPEND _configure_args "-DPRIORREG_SOURCE_DIR=${PRIORREG_SOURCE_DIR}")
else()
    message(FATAL_ERROR "run_consumer.cmake: unknown PRIORREG_MODE '${PRIORREG_MODE}'")
endif()

_priorreg_run("configure consumer" "${CMAKE_COMMAND}" ${_configure_args})
_priorreg_run("build consumer"
    "${CMAKE_COMMAND}" --build "${PRIORREG_CONSUMER_BINARY_DIR}" --config "${_config}")
_priorreg_run("run consumer"
    "${PRIORREG_CTEST_COMMAND}" --test-dir "${PRIORREG_CONSUMER_BINARY_DIR}"
    -C "${_config}" --output-on-failure --no-tests=error)

message(STATUS "[${PRIORREG_MODE}] consumer configured, built and ran successfully")
