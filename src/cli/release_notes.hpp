#pragma once
// Release notes for `cairn guide --release FILE`: what the database cannot
// know about a release (API, configuration, deprecations, code steps).
#include <string>

#include "cairn/plan.hpp"

namespace cairn::cli {

// Reads the YAML file. Throws Error(usage) at file:line:column for a syntax
// error, an unknown key or a value of the wrong shape.
ReleaseNotes read_release_notes(const std::string& file);

}  // namespace cairn::cli
