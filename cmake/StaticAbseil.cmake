# Links Abseil from its static archives where they are installed (Debian's
# libabsl-dev ships both): the shared build loads ~30 libabsl_*.so at every
# start, a visible part of a small run's time (docs/performance.md). Only the
# imported targets' files change; the installed package still names absl::
# targets, so a consumer links whichever Abseil it finds.
option(STORYSIFT_STATIC_ABSL "Link Abseil's static archives when installed" ON)
# Abseil's archives use initial-exec thread-locals (R_X86_64_TPOFF32), which a
# shared object such as the Python extension cannot hold: a build with the
# extension links the shared Abseil everywhere.
if(STORYSIFT_STATIC_ABSL AND STORYSIFT_BUILD_PYTHON)
  message(STATUS "STORYSIFT_BUILD_PYTHON: linking the shared Abseil (static TLS)")
elseif(STORYSIFT_STATIC_ABSL)
  get_directory_property(storysift_imported IMPORTED_TARGETS)
  foreach(target IN LISTS storysift_imported)
    if(NOT target MATCHES "^absl::")
      continue()
    endif()
    get_target_property(type ${target} TYPE)
    if(NOT type STREQUAL "SHARED_LIBRARY")
      continue()
    endif()
    get_target_property(configs ${target} IMPORTED_CONFIGURATIONS)
    foreach(config IN LISTS configs)
      get_target_property(shared ${target} IMPORTED_LOCATION_${config})
      string(REGEX REPLACE "\\.so(\\.[0-9.]+)?$" ".a" archive "${shared}")
      if(EXISTS "${archive}")
        set_target_properties(${target} PROPERTIES IMPORTED_LOCATION_${config} "${archive}"
                                                   IMPORTED_NO_SONAME TRUE)
      endif()
    endforeach()
  endforeach()
endif()
