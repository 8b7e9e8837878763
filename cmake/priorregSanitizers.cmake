# Sanitizers for priorreg's OWN test executables (never the INTERFACE target, so nothing leaks
# into consumers).
#
#   -DPRIORREG_SANITIZE=address,undefined   (or thread; empty: off)
#
#   priorreg_apply_sanitizers(<target>)
#   priorreg_sanitizer_flags(<out-var> <sanitizers>)
#
# Every report is fatal (-fno-sanitize-recover=all), so a sanitized ctest run fails on the first
# one. Build such a tree without NDEBUG (e.g. RelWithDebInfo with -O1) so that Eigen's own bound
# assertions run as well.
include_guard(GLOBAL)

set(PRIORREG_SANITIZE "" CACHE STRING
    "Sanitizers for priorreg's test executables, e.g. address,undefined or thread (empty: none)")

# priorreg_sanitizer_flags(<out-var> <sanitizers>): the compile and link flags of a build with
# <sanitizers> (a -fsanitize list), every report fatal. The fuzz harnesses use it too.
function(priorreg_sanitizer_flags out sanitizers)
    set(_flags "-fsanitize=${sanitizers}" -fno-sanitize-recover=all -fno-omit-frame-pointer)
    # UBSan's object-size check is subsumed by AddressSanitizer, which checks the same accesses
    # against the real allocation at run time; with both on, it only costs compile time (about a
    # sixth of a clang -O1 build of the compiled component).
    if(sanitizers MATCHES "address" AND sanitizers MATCHES "undefined")
        list(APPEND _flags -fno-sanitize=object-size)
    endif()
    set(${out} ${_flags} PARENT_SCOPE)
endfunction()

function(priorreg_apply_sanitizers target)
    if(PRIORREG_SANITIZE STREQUAL "")
        return()
    endif()
    if(MSVC)
        message(FATAL_ERROR "PRIORREG_SANITIZE is supported with GCC and Clang only")
    endif()
    priorreg_sanitizer_flags(_flags "${PRIORREG_SANITIZE}")
    target_compile_options(${target} PRIVATE ${_flags})
    target_link_options(${target} PRIVATE ${_flags})
endfunction()
