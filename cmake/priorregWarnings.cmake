# Warning flags for priorreg's OWN targets (tests, benchmarks, examples,
# header checks). Never applied to the priorreg INTERFACE target itself, so
# nothing here leaks into consumers.
#
#   priorreg_set_warnings(<target> [WERROR])
#
# WERROR turns warnings into errors unless PRIORREG_WERROR is OFF.
include_guard(GLOBAL)

function(priorreg_set_warnings target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "WERROR" "" "")

    if(MSVC)
        set(_flags /W4 /permissive-)
        set(_werror /WX)
    else()
        set(_flags -Wall -Wextra -Wpedantic)
        set(_werror -Werror)
    endif()

    if(arg_WERROR AND PRIORREG_WERROR)
        list(APPEND _flags ${_werror})
    endif()

    get_target_property(_type ${target} TYPE)
    if(_type STREQUAL "INTERFACE_LIBRARY")
        message(FATAL_ERROR "priorreg_set_warnings: refusing to add warnings to "
                            "INTERFACE target '${target}' (they would leak to consumers)")
    endif()
    target_compile_options(${target} PRIVATE ${_flags})
endfunction()
