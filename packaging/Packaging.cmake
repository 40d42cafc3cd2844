# What `cmake --install` lays out under the prefix, and the Debian package CPack makes of it:
#   cmake --build --preset release --target package   (or: cpack --preset release)
# gives tai-console_<version>_amd64.deb. tst_package builds and checks it on every CI run.
include(GNUInstallDirs)

set(TAI_APP_ID org.taiconsole.TaiConsole)
# AppStream wants screenshots as web URLs. The project has no public web home yet: point this at
# wherever docs/screenshots is published (the .example default only satisfies the validator).
set(TAI_SCREENSHOT_BASE_URL "https://tai-console.example/screenshots"
    CACHE STRING "Web URL under which docs/screenshots/*.png are published (AppStream metainfo)")

configure_file(${PROJECT_SOURCE_DIR}/resources/${TAI_APP_ID}.metainfo.xml.in
               ${PROJECT_BINARY_DIR}/${TAI_APP_ID}.metainfo.xml @ONLY)
install(FILES ${PROJECT_SOURCE_DIR}/resources/${TAI_APP_ID}.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${PROJECT_BINARY_DIR}/${TAI_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/${TAI_APP_ID}.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/monitoring/tai-console.rules.yml
              ${PROJECT_SOURCE_DIR}/packaging/monitoring/tai-console-dashboard.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/tai-console/monitoring)

# Debian wants documentation compressed with gzip -9n (no name, no time stamp: reproducible).
set(TAI_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/tai-console)
add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/changelog.gz
                   COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/debian/changelog > ${PROJECT_BINARY_DIR}/changelog.gz
                   DEPENDS ${PROJECT_SOURCE_DIR}/packaging/debian/changelog VERBATIM)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/debian/copyright ${PROJECT_BINARY_DIR}/changelog.gz
        DESTINATION ${TAI_DOC_DIR})

# The man page is --help, formatted by help2man (Debian help2man), so it cannot drift from the CLI.
find_program(HELP2MAN help2man)
set(TAI_MAN_PAGE ${PROJECT_BINARY_DIR}/tai-console.1.gz)
if(HELP2MAN)
  add_custom_command(OUTPUT ${TAI_MAN_PAGE}
                     COMMAND ${HELP2MAN} --no-info --section=1 --source=tai-console
                             "--name=resilience engine and operations console" --output=${PROJECT_BINARY_DIR}/tai-console.1
                             $<TARGET_FILE:tai-console>
                     COMMAND gzip -9n -f ${PROJECT_BINARY_DIR}/tai-console.1
                     DEPENDS tai-console VERBATIM)
  add_custom_target(tai-console-docs ALL DEPENDS ${TAI_MAN_PAGE} ${PROJECT_BINARY_DIR}/changelog.gz)
  install(FILES ${TAI_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  add_custom_target(tai-console-docs ALL DEPENDS ${PROJECT_BINARY_DIR}/changelog.gz)
  message(WARNING "help2man not found: the package will have no man page (apt-get install help2man)")
endif()
add_feature_info(ManPage HELP2MAN "tai-console(1), generated from --help by help2man")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tai-console)
set(CPACK_PACKAGE_VENDOR "The TAI Console developers")
set(CPACK_PACKAGE_CONTACT "The TAI Console developers <maintainers@users.noreply.r-seed-57ccc333.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # tai-console_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The synopsis, then the extended description (CPack indents its lines for the control file).
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "operations console for a resilience engine, with Andon alerts")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "TAI Console runs a resilience engine (Signal, Policy, Action) with circuit
breakers, bounded Kanban queues, token-bucket rate leveling, metrics and
Andon alerts, on two reference systems: payment processing and deployment
orchestration. It shows them live in a Qt console, or runs headless behind an
HTTP API with Prometheus metrics, Alertmanager alerts and OTLP trace export,
and keeps a durable SQLite audit trail. It also runs training scenarios on a
virtual clock and replays payment streams deterministically.")
# Shared libraries from dpkg-shlibdeps, SQLite (libsqlite3-0) among them: the audit trail links
# the sqlite3 C API, so no Qt SQL driver is loaded by name any more. What Qt loads by name at run
# time (traced with strace, openat of qt6/plugins/*.so, in the console under Xvfb and in
# --headless) ships inside packages shlibdeps names already: the xcb, offscreen, eglfs platform
# plugins, image formats and input contexts in libqt6gui6, the TLS backends in libqt6network6.
# Wayland's platform plugin is qt6-wayland: recommended, since Qt falls back to xcb (XWayland)
# without it.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
include(CPack)
