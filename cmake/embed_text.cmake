# Writes OUT, a C++ file defining `const char* const NAME` as the text of IN: data files
# the binary carries (compliance/controls.yaml), so it works wherever it is installed.
#   cmake -DIN=file -DOUT=file.cpp -DNAME=kName -DNAMESPACE=ns -P embed_text.cmake
file(READ "${IN}" text)
string(FIND "${text}" ")embedded\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} holds the raw string's delimiter")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\nnamespace ${NAMESPACE} {\nextern const char* const ${NAME};\nconst char* const ${NAME} = R\"embedded(${text})embedded\";\n}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUT}.tmp" "${OUT}")
