# Checks the one-way include rule of priorreg's headers (docs/architecture.md):
#
#   cmake -DPRIORREG_HEADER_ROOT=<dir holding priorreg/> -P priorregIncludeLayers.cmake
#
# Every header belongs to a layer; a header may include headers of its own layer or of a
# lower one, never of a higher one. A header in no layer is an error too (place it first).
#
#   0 status.hpp                    the outcome and error types every layer reports with
#   1 detail/                       validation, numeric, parallel, memory, standardization
#   2 priors/                       the contract, the shipped priors, the elastic-net maths
#   3 solvers/                      least squares, ridge, coordinate descent, gap, dispatch
#   4 map_regression.hpp, path.hpp  the estimator and its path (path_options.hpp, the grid;
#                                   estimator_settings.hpp, its runtime settings;
#                                   inference.hpp, what a fitted model says beyond its estimate;
#                                   compiled.hpp, the extern instantiations
#                                   of its solvers; multi_task.hpp, the multi-response one;
#                                   sufficient_statistics.hpp, the rows' statistics it fits from)
#   5 selection/                    cross-validation, alpha, validation curve, IC, ridge LOO
#                                   (bayes/, the posterior; mpi.hpp, the statistics merged
#                                   across MPI ranks, the optional component)
#   6 priorreg.hpp                  the umbrella
cmake_minimum_required(VERSION 3.21)

if(NOT PRIORREG_HEADER_ROOT)
    message(FATAL_ERROR "priorregIncludeLayers: set PRIORREG_HEADER_ROOT")
endif()
get_filename_component(_root "${PRIORREG_HEADER_ROOT}/priorreg" ABSOLUTE)
set(_names status detail priors solvers estimator selection/bayes umbrella)

function(_priorreg_layer relative out)
    if(relative STREQUAL "status.hpp")
        set(layer 0)
    elseif(relative MATCHES "^detail/")
        set(layer 1)
    elseif(relative MATCHES "^priors/")
        set(layer 2)
    elseif(relative MATCHES "^solvers/")
        set(layer 3)
    elseif(relative STREQUAL "map_regression.hpp" OR relative STREQUAL "path.hpp"
           OR relative STREQUAL "inference.hpp" OR relative STREQUAL "estimator_settings.hpp"
           OR relative STREQUAL "path_options.hpp"
           OR relative STREQUAL "compiled.hpp" OR relative STREQUAL "multi_task.hpp"
           OR relative STREQUAL "sufficient_statistics.hpp")
        set(layer 4)
    elseif(relative MATCHES "^selection/" OR relative MATCHES "^bayes/"
           OR relative STREQUAL "mpi.hpp")
        set(layer 5)
    elseif(relative STREQUAL "priorreg.hpp")
        set(layer 6)
    else()
        set(layer -1)
    endif()
    set(${out} ${layer} PARENT_SCOPE)
endfunction()

file(GLOB_RECURSE _headers RELATIVE "${_root}" "${_root}/*.hpp")
list(SORT _headers)
set(_violations "")
set(_edges 0)
foreach(header IN LISTS _headers)
    _priorreg_layer("${header}" layer)
    if(layer LESS 0)
        string(APPEND _violations "  ${header}: in no layer (see cmake/priorregIncludeLayers.cmake)\n")
        continue()
    endif()
    list(GET _names ${layer} name)
    get_filename_component(directory "${_root}/${header}" DIRECTORY)
    file(STRINGS "${_root}/${header}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[\"<]priorreg/|^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS lines)
        if(line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
            get_filename_component(target "${directory}/${CMAKE_MATCH_1}" ABSOLUTE)
        elseif(line MATCHES "#[ \t]*include[ \t]*<priorreg/([^>]+)>")
            set(target "${_root}/${CMAKE_MATCH_1}")
        else()
            continue()
        endif()
        file(RELATIVE_PATH target_relative "${_root}" "${target}")
        _priorreg_layer("${target_relative}" target_layer)
        math(EXPR _edges "${_edges} + 1")
        if(target_layer LESS 0)
            string(APPEND _violations "  ${header} includes ${target_relative}, which is in no layer\n")
        elseif(target_layer GREATER layer)
            list(GET _names ${target_layer} target_name)
            string(APPEND _violations
                "  ${header} (${name}) includes ${target_relative} (${target_name}): an include may not run up\n")
        endif()
    endforeach()
endforeach()

list(LENGTH _headers _count)
if(_count EQUAL 0)
    message(FATAL_ERROR "priorreg include layers: no headers under ${_root}")
endif()
if(_violations)
    message(FATAL_ERROR "priorreg include layers: violations\n${_violations}")
endif()
message(STATUS "priorreg include layers: ${_count} headers, ${_edges} includes, all one way "
               "(selection -> estimator -> solvers -> priors -> detail -> status)")
