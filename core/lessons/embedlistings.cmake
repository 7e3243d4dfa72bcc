# Embeds the scenarios' C and Python listings into the library: writes a .cpp
# that defines CodeListing::all() as every listing parsed, in the order given.
# Run at build time by core/lessons/CMakeLists.txt (plain CMake, so the build
# needs nothing else):
#   cmake -DSCENARIOS_DIR=<core/scenarios> -DLISTINGS=<a/parent.c;a/parent.py;...>
#         -DOUTPUT=<file.cpp> -P embedlistings.cmake
#
# A listing is core/scenarios/<scenario>/<role>.c (C) or <role>.py (Python). It
# opens with header lines that are stripped; the rest, up to the file's final
# newline, is the annotated text exactly as CodeListing::parse reads it ($Kind,
# several on a line for several calls, $loop, $end):
#   /// title: parent: one process, both ends   (C; required)
#   /// role: *                                 (optional, default: the file name without extension)
#   # title: parent: one process, both ends     (Python; required)
#   # role: *                                   (optional)
# The role "*" (any role without a listing of its own) is not a good file name,
# so that listing is any.c / any.py and says "role: *". A Python listing's header
# ends at its first line that is not "# title:" or "# role:".

# Today's policies; without it a -P script keeps old ones (CMP0054: "title" in
# if() would read the variable title).
cmake_minimum_required(VERSION 3.25)

foreach(var SCENARIOS_DIR LISTINGS OUTPUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "embedlistings.cmake: -D${var}=... is missing")
    endif()
endforeach()

# The raw string delimiter; a listing that contains it is refused below.
set(delimiter "pslisting")

set(entries "")
foreach(listing IN LISTS LISTINGS)
    set(path "${SCENARIOS_DIR}/${listing}")
    file(READ "${path}" text)
    get_filename_component(scenario "${listing}" DIRECTORY)
    get_filename_component(role "${listing}" NAME_WE)
    get_filename_component(extension "${listing}" LAST_EXT)
    if(extension STREQUAL ".c")
        set(header_pattern "^/// ([a-z]+): ([^\n]*)\n")
        set(language "C")
    elseif(extension STREQUAL ".py")
        set(header_pattern "^# (title|role): ([^\n]*)\n")
        set(language "Python")
    else()
        message(FATAL_ERROR "${path}: a listing is a .c or a .py file")
    endif()
    set(title "")
    while(text MATCHES "${header_pattern}")
        set(key "${CMAKE_MATCH_1}")
        set(value "${CMAKE_MATCH_2}")
        string(LENGTH "${CMAKE_MATCH_0}" header)
        string(SUBSTRING "${text}" ${header} -1 text)
        if(key STREQUAL "title")
            set(title "${value}")
        elseif(key STREQUAL "role")
            set(role "${value}")
        else()
            message(FATAL_ERROR "${path}: unknown header \"${key}:\"")
        endif()
    endwhile()
    if(title STREQUAL "")
        message(FATAL_ERROR "${path}: no \"title: ...\" header line")
    endif()
    # The file ends with a newline; the listing's last line does not.
    if(text MATCHES "\n$")
        string(LENGTH "${text}" length)
        math(EXPR length "${length} - 1")
        string(SUBSTRING "${text}" 0 ${length} text)
    endif()
    string(FIND "${text}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${path}: contains the raw string delimiter )${delimiter}\"")
    endif()
    string(REPLACE "\\" "\\\\" title "${title}")
    string(REPLACE "\"" "\\\"" title "${title}")
    string(APPEND entries
        "        parse(\"${scenario}\", \"${role}\", \"${title}\", R\"${delimiter}(${text})${delimiter}\",\n"
        "            ListingLanguage::${language}),\n")
endforeach()

file(WRITE "${OUTPUT}" "// Generated from core/scenarios/*/*.c and *.py by core/lessons/embedlistings.cmake: edit those, not this.
#include \"core/lessons/codelisting.h\"

namespace pipescope
{

const std::vector<CodeProgram> &CodeListing::all()
{
    static const std::vector<CodeProgram> programs = {
${entries}    };
    return programs;
}

} // namespace pipescope
")
