# Install rules and the KinesisEmulator package: the binary, the libraries, the public headers and
# KinesisEmulatorConfig.cmake, so a project can find_package(KinesisEmulator) and link KinesisEmulator::gtest.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(KEMU_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/KinesisEmulator)
set(KEMU_EXPORTED kemu_core kemu_plugins)
if(KEMU_BUILD_FIXTURE)
  list(APPEND KEMU_EXPORTED kemu_fixture)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/fixtures/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()

install(TARGETS kinesis-emulator RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS ${KEMU_EXPORTED} EXPORT KinesisEmulatorTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/emulator/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT KinesisEmulatorTargets NAMESPACE KinesisEmulator:: DESTINATION ${KEMU_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/KinesisEmulatorConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/KinesisEmulatorConfig.cmake INSTALL_DESTINATION ${KEMU_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/KinesisEmulatorConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/KinesisEmulatorConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/KinesisEmulatorConfigVersion.cmake
        DESTINATION ${KEMU_CMAKE_DIR})
