# Compiles each program of tests/misuse (-fsyntax-only) and checks the outcome its first line
# states: "// expect: TEXT" — the compilation fails and its first error carries TEXT (the
# library's static_assert, not a page of Eigen errors); "// expect: (compiles)" — it compiles.
#
#   cmake -DCXX=... -DSOURCE_DIR=<tests/misuse> -DINCLUDE_DIRS="a;b" -P check_misuse.cmake
cmake_minimum_required(VERSION 3.21)
file(GLOB _programs "${SOURCE_DIR}/*.cpp")
list(SORT _programs)
# PRIORREG_COMPILED: the shipped solvers are declared extern (compiled.hpp), as for a program
# linking priorreg::compiled, so the checks do not instantiate them (nothing is linked here).
set(_flags -std=c++17 -fsyntax-only -DPRIORREG_COMPILED)
foreach(_dir IN LISTS INCLUDE_DIRS)
    list(APPEND _flags "-I${_dir}")
endforeach()
set(_failures 0)
foreach(_program IN LISTS _programs)
    get_filename_component(_name "${_program}" NAME)
    file(STRINGS "${_program}" _first LIMIT_COUNT 1)
    string(REGEX REPLACE "^// expect: " "" _expect "${_first}")
    execute_process(COMMAND "${CXX}" ${_flags} "${_program}"
                    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    if(_expect STREQUAL "(compiles)")
        if(_rc EQUAL 0)
            message(STATUS "ok   ${_name}: compiles")
        else()
            message(STATUS "FAIL ${_name}: does not compile:\n${_out}")
            math(EXPR _failures "${_failures} + 1")
        endif()
        continue()
    endif()
    string(REGEX MATCH "error: [^\n]*" _first_error "${_out}")
    string(FIND "${_first_error}" "${_expect}" _at)
    if(NOT _rc EQUAL 0 AND _at GREATER_EQUAL 0)
        message(STATUS "ok   ${_name}: ${_first_error}")
    else()
        message(STATUS "FAIL ${_name}: exit ${_rc}, first error: ${_first_error}")
        math(EXPR _failures "${_failures} + 1")
    endif()
endforeach()
if(_failures GREATER 0)
    message(FATAL_ERROR "${_failures} misuse program(s) did not give the expected outcome")
endif()
