# tai_add_test(<name> SOURCES <files...> [LIBS <targets...>] [GUI] [LABELS <labels...>])
# One helper for every test: builds the executable, links the core, registers it with ctest.
# GUI tests run on the offscreen platform so they need no display.
function(tai_add_test name)
  cmake_parse_arguments(ARG "GUI" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  tai_apply_defaults(${name} RELAXED_STRINGS)
  target_link_libraries(${name} PRIVATE tai::core Qt6::Test ${ARG_LIBS})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 120)
  endif()
  # Sanitized builds run several times slower (tst_engine advances 3 000 virtual seconds at 10 Hz
  # snapshots): the same bounds, scaled, so a timeout still means a hang.
  if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=")
    math(EXPR ARG_TIMEOUT "${ARG_TIMEOUT} * 8")
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${ARG_LABELS}")
  # QtTest's own watchdog (300 s per test function) must not fire before that bound does.
  math(EXPR watchdog_ms "${ARG_TIMEOUT} * 1000")
  set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT_MODIFICATION "QTEST_FUNCTION_TIMEOUT=set:${watchdog_ms}")
  if(ARG_GUI)
    set_tests_properties(${name} PROPERTIES ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
  endif()
endfunction()
