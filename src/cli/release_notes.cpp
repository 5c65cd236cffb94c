#include "cli/release_notes.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <iterator>

#include "cairn/error.hpp"

namespace cairn::cli {
namespace {

const char* kKnownKeys = "from, to, api_changes, config_changes, deprecations, code_steps";
const char* kItemKeys = "title, detail, before, after, breaking";

SourceLocation where(const std::string& file, const YAML::Mark& mark) {
  return SourceLocation{file, mark.line + 1, mark.column + 1};
}

[[noreturn]] void bad(const std::string& file, const YAML::Node& node, const std::string& what,
                      const std::string& hint) {
  throw Error(ErrorKind::usage, "invalid release notes: " + what, hint, where(file, node.Mark()));
}

std::string scalar(const std::string& file, const YAML::Node& node, const std::string& key) {
  if (!node.IsScalar()) bad(file, node, "'" + key + "' must be a single value", "write it as text on one line, or as a block scalar (|)");
  return node.as<std::string>();
}

ReleaseNotes::Item item_of(const std::string& file, const YAML::Node& node, const std::string& list) {
  if (!node.IsMap()) {
    bad(file, node, "each entry of '" + list + "' must be a mapping", std::string("keys: ") + kItemKeys);
  }
  ReleaseNotes::Item item;
  bool titled = false;
  for (const auto& kv : node) {
    std::string key = kv.first.as<std::string>();
    if (key == "title") {
      item.title = scalar(file, kv.second, key);
      titled = true;
    } else if (key == "detail") {
      item.detail = scalar(file, kv.second, key);
    } else if (key == "before") {
      item.before = scalar(file, kv.second, key);
    } else if (key == "after") {
      item.after = scalar(file, kv.second, key);
    } else if (key == "breaking") {
      try {
        item.breaking = kv.second.as<bool>();
      } catch (const YAML::Exception&) {
        bad(file, kv.second, "'breaking' must be true or false", "write breaking: true");
      }
    } else {
      bad(file, kv.first, "unknown key '" + key + "' in an entry of '" + list + "'", std::string("keys: ") + kItemKeys);
    }
  }
  if (!titled || item.title.empty()) bad(file, node, "an entry of '" + list + "' has no title", "add title: ...");
  // Trailing newlines of block scalars would end up inside the guide's code blocks.
  for (auto* text : {&item.detail, &item.before, &item.after}) {
    while (!text->empty() && text->back() == '\n') text->pop_back();
  }
  return item;
}

std::vector<ReleaseNotes::Item> items_of(const std::string& file, const YAML::Node& node, const std::string& key) {
  std::vector<ReleaseNotes::Item> out;
  if (node.IsNull()) return out;
  if (!node.IsSequence()) bad(file, node, "'" + key + "' must be a list", "write each entry as `- title: ...`");
  for (const auto& entry : node) out.push_back(item_of(file, entry, key));
  return out;
}

}  // namespace

ReleaseNotes read_release_notes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::usage, "cannot read release notes " + file, "check the path given to --release");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::usage, "invalid release notes: " + e.msg, "fix the YAML syntax there", where(file, e.mark));
  }
  ReleaseNotes notes;
  if (root.IsNull()) return notes;
  if (!root.IsMap()) bad(file, root, "expected a mapping of keys", std::string("keys: ") + kKnownKeys);
  for (const auto& kv : root) {
    std::string key = kv.first.as<std::string>();
    if (key == "from") notes.from = scalar(file, kv.second, key);
    else if (key == "to") notes.to = scalar(file, kv.second, key);
    else if (key == "api_changes") notes.api_changes = items_of(file, kv.second, key);
    else if (key == "config_changes") notes.config_changes = items_of(file, kv.second, key);
    else if (key == "deprecations") notes.deprecations = items_of(file, kv.second, key);
    else if (key == "code_steps") notes.code_steps = items_of(file, kv.second, key);
    else bad(file, kv.first, "unknown key '" + key + "'", std::string("keys: ") + kKnownKeys);
  }
  return notes;
}

}  // namespace cairn::cli
