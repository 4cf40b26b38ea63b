# `cmake --install` support: the static library, public headers, a CMake
# package (storysiftConfig.cmake, version file, exported targets under the
# storysift:: namespace) and a pkg-config file. The library is static, so its
# private dependencies travel in the link interface as $<LINK_ONLY:...> and
# storysiftConfig.cmake recreates the targets they name (find_dependency for
# CMake packages, pkg_check_modules for xxHash and utf8proc, find_library
# for libstemmer).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS storysift EXPORT storysiftTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/lib/include/storysift
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")

set(STORYSIFT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/storysift)
install(EXPORT storysiftTargets NAMESPACE storysift:: DESTINATION ${STORYSIFT_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/storysiftConfig.cmake.in
  ${CMAKE_BINARY_DIR}/storysiftConfig.cmake INSTALL_DESTINATION ${STORYSIFT_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/storysiftConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/storysiftConfig.cmake
              ${CMAKE_BINARY_DIR}/storysiftConfigVersion.cmake
        DESTINATION ${STORYSIFT_CMAKE_DIR})

configure_file(${CMAKE_SOURCE_DIR}/cmake/storysift.pc.in ${CMAKE_BINARY_DIR}/storysift.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/storysift.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
