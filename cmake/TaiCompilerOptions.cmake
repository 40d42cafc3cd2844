# Project-wide compile settings, applied to every tai target through tai_apply_defaults().
function(tai_apply_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
  target_compile_definitions(${target} PRIVATE
    QT_NO_CAST_FROM_ASCII QT_USE_QSTRINGBUILDER QT_NO_FOREACH QT_NO_KEYWORDS)
endfunction()
