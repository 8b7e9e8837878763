# Runs one example in its quick mode and checks its picture.
#
#   cmake -DEXAMPLE=<exe> -DOUT_DIR=<dir> [-DPNG=<name.png>] -P run_example.cmake
#
# OUT_DIR is emptied first, so a PNG from an earlier run cannot pass the check.
# Fails when the example exits non-zero (its story does not hold) or, with PNG
# given, when OUT_DIR/PNG is missing or empty.
cmake_minimum_required(VERSION 3.21)

foreach(_var EXAMPLE OUT_DIR)
    if(NOT DEFINED ${_var} OR "${${_var}}" STREQUAL "")
        message(FATAL_ERROR "run_example.cmake: -D${_var}=... is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")

execute_process(COMMAND "${EXAMPLE}" --small --out "${OUT_DIR}"
                WORKING_DIRECTORY "${OUT_DIR}"
                RESULT_VARIABLE _status)
if(NOT _status EQUAL 0)
    message(FATAL_ERROR "${EXAMPLE} --small exited with status ${_status}")
endif()

if(PNG)
    set(_png "${OUT_DIR}/${PNG}")
    if(NOT EXISTS "${_png}")
        message(FATAL_ERROR "${_png} was not written")
    endif()
    file(SIZE "${_png}" _bytes)
    if(_bytes EQUAL 0)
        message(FATAL_ERROR "${_png} is empty")
    endif()
    file(READ "${_png}" _magic LIMIT 8 HEX)
    if(NOT _magic STREQUAL "89504e470d0a1a0a")
        message(FATAL_ERROR "${_png} is not a PNG file")
    endif()
    message(STATUS "${_png}: ${_bytes} bytes")
endif()
