# Writes a .cc file holding the stripped API model JSON as a string constant.
file(READ "${INPUT}" KEMU_MODEL_JSON)
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\nnamespace kemu::api {\nextern const char kKinesisApiModelJson[];\nconst char kKinesisApiModelJson[] = R\"KEMU_MODEL(${KEMU_MODEL_JSON})KEMU_MODEL\";\n}  // namespace kemu::api\n")
