# Runs `NODE CHECK FILE` and passes only when it exits with EXPECT_EXIT and its output
# contains EXPECT_OUTPUT, so that a checker that crashes, is not installed or wrongly
# accepts the file fails the test.
#
#   cmake -DNODE=... -DCHECK=... -DFILE=... -DEXPECT_EXIT=N -DEXPECT_OUTPUT=TEXT -P expect-exit.cmake
foreach(var NODE CHECK FILE EXPECT_EXIT EXPECT_OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "expect-exit.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${NODE} ${CHECK} ${FILE}
                RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT result STREQUAL EXPECT_EXIT)
  message(FATAL_ERROR "expected exit status ${EXPECT_EXIT} from the checker, got ${result}")
endif()
string(FIND "${out}${err}" "${EXPECT_OUTPUT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "the checker's output lacks '${EXPECT_OUTPUT}'")
endif()
