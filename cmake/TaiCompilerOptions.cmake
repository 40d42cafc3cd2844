# Project-wide compile settings, applied to every tai target through tai_apply_defaults().
# Tests pass RELAXED_STRINGS: string literals in spec tables read better than QStringLiteral.
function(tai_apply_defaults target)
  cmake_parse_arguments(ARG "RELAXED_STRINGS" "" "" ${ARGN})
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  target_compile_definitions(${target} PRIVATE QT_USE_QSTRINGBUILDER QT_NO_FOREACH QT_NO_KEYWORDS)
  if(NOT ARG_RELAXED_STRINGS)
    target_compile_definitions(${target} PRIVATE QT_NO_CAST_FROM_ASCII)
  endif()
endfunction()
