# The library others build on: `cmake --install build --prefix P` installs the libraries'
# headers under P/include/iovet and their static archives with a CMake package, so that
# find_package(iovet CONFIG) gives iovet::spec, iovet::case, iovet::run, iovet::props,
# iovet::smt, iovet::report (and what they link: iovet::ref, iovet::impl, iovet::kernel).
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(iovet_libs spec case ref impl kernel run report props smt)
# Headers are included as "spec/unit/dma_layer.h", from the source tree or the prefix.
target_include_directories(iovet_spec PUBLIC $<BUILD_INTERFACE:${CMAKE_SOURCE_DIR}>
                                             $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/iovet>)
foreach(lib IN LISTS iovet_libs)
  set_target_properties(iovet_${lib} PROPERTIES EXPORT_NAME ${lib})
  # kernel/shim and kernel/glue are C compiled at run time, not headers a consumer includes.
  install(DIRECTORY ${lib}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/iovet/${lib}
          FILES_MATCHING PATTERN "*.h" PATTERN "shim" EXCLUDE PATTERN "glue" EXCLUDE)
  list(APPEND iovet_lib_targets iovet_${lib})
endforeach()
install(TARGETS ${iovet_lib_targets} EXPORT iovetTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
# What kernel-tree variants compile at run time; point IOVET_KERNEL_DIR here (the archive
# names the source tree's kernel/ otherwise).
install(DIRECTORY kernel/shim kernel/glue kernel/abi DESTINATION ${CMAKE_INSTALL_DATADIR}/iovet/kernel)
install(FILES kernel/cflags DESTINATION ${CMAKE_INSTALL_DATADIR}/iovet/kernel)

set(iovet_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/iovet)
install(EXPORT iovetTargets NAMESPACE iovet:: DESTINATION ${iovet_cmake_dir})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/iovetConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/iovetConfig.cmake INSTALL_DESTINATION ${iovet_cmake_dir})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/iovetConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/iovetConfig.cmake ${CMAKE_BINARY_DIR}/iovetConfigVersion.cmake
        DESTINATION ${iovet_cmake_dir})
