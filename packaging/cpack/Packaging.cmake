# Install layout shared by `cmake --install`, the Docker image and the desktop .deb (CPack).
#   bin/strata, bin/strata-cli, bin/strata-cli-full (app/CMakeLists.txt: strata-cli runs its analysis subcommands
#   in strata-cli-full, which it finds next to itself; bin/strata-server once branch remote lands), bin/strata-media-decode
#   (decodes videos and compressed DICOM from outside in a process of its own for the others, found next to them)
#   share/strata/models/<name>/{model.pt,model.json,README.md}   found by ModelLocator as <exe>/../share/strata/models
#   share/applications/strata.desktop, share/icons/hicolor/scalable/apps/strata.svg
#
# The .deb:  cmake --build build && (cd build && cpack -G DEB)   ->  build/strata_<version>_<arch>.deb
# Checked by tests/packaging/check_deb.sh (ctest label "slow").

install(DIRECTORY ${PROJECT_SOURCE_DIR}/models/ DESTINATION share/strata/models
  FILES_MATCHING PATTERN "model.pt" PATTERN "model.json" PATTERN "README.md")
install(FILES ${PROJECT_SOURCE_DIR}/packaging/desktop/strata.desktop DESTINATION share/applications)
install(FILES ${PROJECT_SOURCE_DIR}/resources/strata.svg DESTINATION share/icons/hicolor/scalable/apps)

set(CPACK_PACKAGE_NAME "strata")
set(CPACK_PACKAGE_VENDOR "Strata developers")
set(CPACK_PACKAGE_CONTACT "Strata developers <strata@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Imaging and AI research workstation (viewer, knee MRI analysis, CLI)")
set(CPACK_PACKAGE_DESCRIPTION
  "Strata loads NIfTI, NRRD/MHA, DICOM series and 2D images, shows them in orthogonal slice views and a 3D view, \
and runs analyses (knee MRI segmentation with cartilage thickness, ...) locally or on a remote GPU server. \
Contains the GUI (strata), the command line (strata-cli, with strata-cli-full) and the bundled models.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://example.org/strata")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY "strata")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)                          # RelWithDebInfo binaries: debug info stays in the build tree
set(CPACK_GENERATOR "DEB")
set(CPACK_SOURCE_GENERATOR "")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)            # strata_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)             # Depends: from dpkg-shlibdeps (Qt 6, VTK, ITK, OpenCV, LibTorch, ...)
# Run-time data the libraries load by name rather than link: Mesa for the OpenGL views, English OCR data.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgl1-mesa-dri, tesseract-ocr-eng")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-openmp")

include(CPack)
