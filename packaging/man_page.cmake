# cmake -DWORKERSIM=... -DHELP2MAN=... -DOUT=workersim.1.gz -P man_page.cmake
# help2man makes the page from `workersim --help` and `--version`; each command's --help goes in
# a COMMANDS section, preformatted, so the page holds every flag the binary takes.
get_filename_component(dir ${OUT} DIRECTORY)
set(include_file ${dir}/workersim.h2m)
set(page ${dir}/workersim.1)

execute_process(COMMAND ${WORKERSIM} --help OUTPUT_VARIABLE usage RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${WORKERSIM} --help failed: ${rc}")
endif()
string(REGEX MATCHALL "\n  [a-z]+ " command_lines "${usage}")
set(text "[COMMANDS]\n")
foreach(line ${command_lines})
  string(STRIP "${line}" command)
  execute_process(COMMAND ${WORKERSIM} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${WORKERSIM} ${command} --help failed: ${rc}")
  endif()
  # roff: a backslash is \e, and a line starting with . or ' would be a request.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "\n([.'])" "\n\\\\&\\1" help "\n${help}")
  string(APPEND text ".SS \"workersim ${command}\"\n.nf\n${help}\n.fi\n")
endforeach()
string(APPEND text "[SEE ALSO]\ngunicorn(1), hey(1). The README of workersim's source tree; share/workersim\n"
                   "beside the binary's bin/ holds the bundled server and the embedded profile.\n")
file(WRITE ${include_file} "${text}")

execute_process(COMMAND ${HELP2MAN} --no-info --section 1
                        --name "how many Gunicorn workers: a calibrated simulator and capacity calculator"
                        --include ${include_file} --output ${page} ${WORKERSIM}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed: ${rc}")
endif()
execute_process(COMMAND gzip -9 -n -c ${page} OUTPUT_FILE ${OUT} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip ${page} failed: ${rc}")
endif()
