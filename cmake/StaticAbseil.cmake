# Links Abseil from its static archives where they are installed (Debian's
# libabsl-dev ships both): the shared build loads ~30 libabsl_*.so at every
# start, a visible part of a small run's time (docs/performance.md).
#
# A shared object cannot hold the archives (they use initial-exec
# thread-locals, R_X86_64_TPOFF32), and the Python extension is one. So each
# imported absl::X gets a twin storysift_static_absl::X (the archive, its
# dependencies twinned too), and storysift_link_absl() links, per consuming
# target, the twins, or the shared absl::X where the target sets the
# property STORYSIFT_SHARED_ABSL (the extension). Executables (the CLI, the
# tests, the benchmarks) thus start without the shared Abseil in every
# build. The installed package still names absl:: targets, so a consumer
# links whichever Abseil it finds.
option(STORYSIFT_STATIC_ABSL "Link Abseil's static archives into executables when installed" ON)

set(STORYSIFT_ABSL_TWINS OFF)
if(STORYSIFT_STATIC_ABSL)
  get_directory_property(storysift_imported IMPORTED_TARGETS)
  set(storysift_absl_targets "")
  set(storysift_absl_complete ON)
  foreach(target IN LISTS storysift_imported)
    if(NOT target MATCHES "^absl::")
      continue()
    endif()
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "SHARED_LIBRARY")
      get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
      foreach(config IN LISTS configs)
        get_target_property(shared ${target} IMPORTED_LOCATION_${config})
        string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${shared}")
        if(NOT EXISTS "${archive}")
          set(storysift_absl_complete OFF)
        endif()
      endforeach()
    elseif(NOT type STREQUAL "INTERFACE_LIBRARY")
      set(storysift_absl_complete OFF)
    endif()
    list(APPEND storysift_absl_targets ${target})
  endforeach()
  if(storysift_absl_complete AND storysift_absl_targets)
    set(STORYSIFT_ABSL_TWINS ON)
  endif()
endif()

if(STORYSIFT_ABSL_TWINS)
  foreach(target IN LISTS storysift_absl_targets)
    string(REPLACE "absl::" "storysift_static_absl::" twin "${target}")
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "SHARED_LIBRARY")
      add_library(${twin} STATIC IMPORTED)
      get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
      set_target_properties(${twin} PROPERTIES IMPORTED_CONFIGURATIONS "${configs}")
      foreach(config IN LISTS configs)
        get_target_property(shared ${target} IMPORTED_LOCATION_${config})
        string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${shared}")
        set_target_properties(${twin} PROPERTIES IMPORTED_LOCATION_${config} "${archive}")
      endforeach()
    else()
      add_library(${twin} INTERFACE IMPORTED)
    endif()
    foreach(property INTERFACE_INCLUDE_DIRECTORIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES
                     INTERFACE_COMPILE_DEFINITIONS INTERFACE_COMPILE_OPTIONS
                     INTERFACE_COMPILE_FEATURES INTERFACE_LINK_OPTIONS INTERFACE_LINK_LIBRARIES)
      get_target_property(value ${target} ${property})
      if(value)
        # Dependencies on other absl targets go to their twins.
        string(REPLACE "absl::" "storysift_static_absl::" value "${value}")
        set_target_properties(${twin} PROPERTIES ${property} "${value}")
      endif()
    endforeach()
  endforeach()
endif()

# storysift_link_absl(TARGET SCOPE NAME...): links absl::NAME for each NAME,
# as the twins unless the consuming target sets STORYSIFT_SHARED_ABSL.
function(storysift_link_absl target scope)
  set(items "")
  foreach(name IN LISTS ARGN)
    if(STORYSIFT_ABSL_TWINS)
      list(APPEND items
           "$<BUILD_INTERFACE:$<IF:$<BOOL:$<TARGET_PROPERTY:STORYSIFT_SHARED_ABSL>>,absl::${name},storysift_static_absl::${name}>>"
           "$<INSTALL_INTERFACE:absl::${name}>")
    else()
      list(APPEND items absl::${name})
    endif()
  endforeach()
  target_link_libraries(${target} ${scope} ${items})
endfunction()
