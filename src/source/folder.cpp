#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "cairn/error.hpp"
#include "cairn/hash.hpp"
#include "cairn/source.hpp"
#include "core/parallel.hpp"
#include "core/sql_lexing.hpp"
#include "source/file_name.hpp"

namespace fs = std::filesystem;

namespace cairn {
namespace {

bool valid_utf8(std::string_view s, std::size_t* bad_offset) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >= 0xC2 && c <= 0xDF) ? 1 : (c >> 4) == 0xE ? 2 : (c >= 0xF0 && c <= 0xF4) ? 3 : -1;
    bool ok = extra >= 0 && i + extra < s.size();
    for (int k = 1; ok && k <= extra; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 0x2;
    if (!ok) {
      *bad_offset = i;
      return false;
    }
    i += extra + 1;
  }
  return true;
}

// True when [begin, end) holds only whitespace and SQL comments. An
// unterminated block comment is not trivia: the server gets to report it.
bool only_trivia(const std::string& text, std::size_t begin, std::size_t end) {
  return lexing::skip_space_and_comments(text, begin, end, Dialect::postgres) == end;
}

struct Marker {
  std::size_t line_start, body_start;
  bool up;
  bool no_transaction;
};

// dbmate's "-- migrate:up [transaction:false]" / "-- migrate:down" lines.
std::vector<Marker> find_markers(const std::string& text) {
  std::vector<Marker> out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    std::size_t k = 0;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
    line.remove_prefix(k);
    if (line.substr(0, 2) == "--") {
      line.remove_prefix(2);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      for (auto [word, up] : {std::pair{std::string_view("migrate:up"), true},
                              std::pair{std::string_view("migrate:down"), false}}) {
        if (line.substr(0, word.size()) == word &&
            (line.size() == word.size() || line[word.size()] == ' ' || line[word.size()] == '\t')) {
          auto options = line.substr(word.size());
          bool no_tx = options.find("transaction:false") != std::string_view::npos;
          out.push_back({pos, std::min(eol + 1, text.size()), up, no_tx});
        }
      }
    }
    pos = eol + 1;
  }
  return out;
}

// Plain POSIX reads: iostreams cost more than the read itself for the small
// files a folder of ten thousand migrations is made of.
std::string read_file(const fs::path& path) {
  auto fail = [&] {
    return Error(ErrorKind::usage, "cannot read " + path.string() + ": " + std::strerror(errno),
                 "check the file's permissions");
  };
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw fail();
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  std::string out;
  // The size known, the text is read straight into place: in one read
  // where the system allows, and no further read to find the end (every
  // system call counts when a folder holds thousands of files).
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
      ssize_t n = ::read(fd, out.data() + got, out.size() - got);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw fail();
      }
      if (n == 0) break;  // shorter than it was: what is there
      got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
  }
  char buffer[16384];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw fail();
    }
    if (n == 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

struct Candidate {
  source::ParsedName name;
  fs::path path;
};

// What the files of one version amount to: a migration, or the problems that
// keep it out of the set.
struct VersionOutcome {
  std::optional<Migration> migration;
  std::vector<FolderProblem> problems;
};

// normalize_newlines without a copy when there is nothing to normalise.
std::string lf_only(std::string text) {
  if (text.find('\r') == std::string::npos) return text;
  return normalize_newlines(text);
}

VersionOutcome read_version(Version version, const std::vector<Candidate>& candidates,
                            const std::vector<Candidate>* downs) {
  VersionOutcome out;
  if (candidates.size() > 1) {
    std::vector<fs::path> paths;
    for (auto& c : candidates) paths.push_back(c.path);
    out.problems.push_back({paths, "duplicate version " + std::to_string(version), std::nullopt});
    return out;
  }
  const auto& up = candidates.front();
  std::string raw;
  try {
    raw = read_file(up.path);
  } catch (const Error& e) {
    out.problems.push_back({{up.path}, e.what(), std::nullopt});
    return out;
  }
  std::size_t bad = 0;
  if (!valid_utf8(raw, &bad)) {
    out.problems.push_back({{up.path}, "file is not valid UTF-8", locate(up.path.string(), raw, bad)});
    return out;
  }

  Migration m;
  m.version = version;
  m.name = up.name.name;
  // A folder of thousands of files is megabytes of text: no copy more than the
  // Script needs (each first touch of fresh memory is a page fault).
  std::string text = lf_only(std::move(raw));
  m.checksum = sha256_hex(text);
  const std::string file = up.path.string();
  try {
    if (up.name.kind == source::NameKind::up) {
      m.form = FileForm::pair;
      Directives directives = parse_directives(file, text, 0, text.size());
      bool empty = only_trivia(text, 0, text.size());
      m.up = Script{up.path, text, std::move(text), 0, std::move(directives)};
      if (empty) {
        out.problems.push_back({{up.path}, "up migration is empty: it holds only comments and whitespace", std::nullopt});
        return out;
      }
    } else {
      m.form = FileForm::single;
      auto markers = find_markers(text);
      auto up_count = std::count_if(markers.begin(), markers.end(), [](auto& k) { return k.up; });
      auto down_count = markers.size() - up_count;
      if (up_count == 0) {
        out.problems.push_back({{up.path},
                                "no '-- migrate:up' section: a single-file migration needs a '-- migrate:up' line "
                                "above its SQL (and '-- migrate:down' above the rollback), or name the file " +
                                    up.name.version_text + "_" + up.name.name + ".up.sql",
                                std::nullopt});
        return out;
      }
      if (up_count > 1 || down_count > 1) {
        // The second marker of a kind is the one to remove.
        std::optional<SourceLocation> extra;
        int ups_seen = 0, downs_seen = 0;
        for (const auto& k : markers) {
          if ((k.up ? ++ups_seen : ++downs_seen) == 2) {
            extra = locate(file, text, text.find_first_not_of(" \t", k.line_start));
            break;
          }
        }
        out.problems.push_back({{up.path}, "more than one '-- migrate:up' or '-- migrate:down' section", extra});
        return out;
      }
      Directives header = parse_directives(file, text, 0, markers.front().line_start);
      auto make = [&](std::size_t i) {
        std::size_t begin = markers[i].body_start;
        std::size_t end = i + 1 < markers.size() ? markers[i + 1].line_start : text.size();
        Script s{up.path, text.substr(begin, end - begin), text, begin,
                 parse_directives(file, text, begin, end)};
        s.directives.no_transaction |= header.no_transaction || markers[i].no_transaction;
        if (!s.directives.timeout) s.directives.timeout = header.timeout;
        if (!s.directives.lock_timeout) s.directives.lock_timeout = header.lock_timeout;
        if (!s.directives.irreversible_reason) s.directives.irreversible_reason = header.irreversible_reason;
        s.directives.header_allowances.insert(s.directives.header_allowances.begin(),
                                              header.header_allowances.begin(), header.header_allowances.end());
        return s;
      };
      for (std::size_t i = 0; i < markers.size(); ++i) {
        Script s = make(i);
        bool empty = only_trivia(text, s.sql_offset, s.sql_offset + s.sql.size());
        if (markers[i].up) {
          if (empty) {
            out.problems.push_back({{up.path}, "the '-- migrate:up' section is empty",
                                    locate(file, text, markers[i].line_start)});
            return out;
          }
          m.up = std::move(s);
        } else if (!empty) {
          m.down = std::move(s);
        }
      }
    }
  } catch (const Error& e) {
    out.problems.push_back({{up.path}, e.what() + (e.hint().empty() ? std::string() : " (" + e.hint() + ")"),
                            e.where()});
    return out;
  }

  if (downs) {
    auto& cands = *downs;
    if (m.form == FileForm::single) {
      std::vector<fs::path> paths{up.path};
      for (auto& c : cands) paths.push_back(c.path);
      out.problems.push_back({paths, "duplicate version " + std::to_string(version) +
                                         ": a single-file migration and a .down.sql file", std::nullopt});
      return out;
    }
    if (cands.size() > 1) {
      std::vector<fs::path> paths;
      for (auto& c : cands) paths.push_back(c.path);
      out.problems.push_back({paths, "duplicate down migrations for version " + std::to_string(version),
                              std::nullopt});
      return out;
    }
    const auto& down = cands.front();
    if (down.name.name != m.name) {
      out.problems.push_back({{down.path, up.path}, "down migration's name does not match its up (" +
                                                        up.path.filename().string() + ")", std::nullopt});
      return out;
    }
    try {
      std::string draw = read_file(down.path);
      if (!valid_utf8(draw, &bad)) {
        out.problems.push_back({{down.path}, "file is not valid UTF-8", locate(down.path.string(), draw, bad)});
          return out;
      }
      std::string dtext = lf_only(std::move(draw));
      if (!only_trivia(dtext, 0, dtext.size())) {
        Directives directives = parse_directives(down.path.string(), dtext, 0, dtext.size());
        m.down = Script{down.path, dtext, std::move(dtext), 0, std::move(directives)};
      }
    } catch (const Error& e) {
      out.problems.push_back({{down.path}, e.what(), e.where()});
    }
  }
  out.migration = std::move(m);
  return out;
}

}  // namespace

std::string Migration::label() const { return std::to_string(version) + "_" + name; }

const Migration* MigrationSet::find(Version v) const {
  auto it = std::lower_bound(migrations.begin(), migrations.end(), v,
                             [](const Migration& m, Version x) { return m.version < x; });
  return it != migrations.end() && it->version == v ? &*it : nullptr;
}

std::string normalize_newlines(std::string_view text) {
  if (text.find('\r') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

MigrationSet read_migration_folder(const fs::path& dir) {
  MigrationSet set;
  set.dir = dir;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorKind::usage, "migrations folder " + dir.string() + " does not exist",
                "create it with `cairn new NAME`, or point -m/--migrations at your folder");
  }

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  if (ec) throw Error(ErrorKind::usage, "cannot list " + dir.string() + ": " + ec.message());
  // One directory: comparing the whole strings orders them as path comparison
  // does, without splitting every path into components.
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) { return a.native() < b.native(); });

  std::map<Version, std::vector<Candidate>> ups, downs;
  for (const auto& path : files) {
    auto parsed = source::parse_file_name(path.filename().string());
    if (!parsed) continue;
    if (auto* err = std::get_if<source::NameError>(&*parsed)) {
      set.problems.push_back({{path}, "malformed migration file name: " + err->message, std::nullopt});
      continue;
    }
    auto& name = std::get<source::ParsedName>(*parsed);
    set.newest_file_version = std::max(set.newest_file_version, name.version);
    (name.kind == source::NameKind::down ? downs : ups)[name.version].push_back({std::move(name), path});
  }

  // Reading, checking and hashing each version is independent work.
  std::vector<std::pair<const Version, std::vector<Candidate>>*> work;
  for (auto& entry : ups) work.push_back(&entry);
  std::vector<VersionOutcome> outcomes(work.size());
  set.migrations.reserve(work.size());
  parallel::for_each_index(work.size(), [&](std::size_t i) {
    auto& [version, candidates] = *work[i];
    auto down = downs.find(version);
    outcomes[i] = read_version(version, candidates, down == downs.end() ? nullptr : &down->second);
  });
  for (auto& o : outcomes) {
    for (auto& p : o.problems) set.problems.push_back(std::move(p));
    if (o.migration) set.migrations.push_back(std::move(*o.migration));
  }

  for (auto& [version, cands] : downs) {
    if (ups.count(version)) continue;  // reported with its up
    for (auto& c : cands) {
      set.problems.push_back({{c.path}, "down migration without an up (no " + c.name.version_text + "_" +
                                            c.name.name + ".up.sql)", std::nullopt});
    }
  }
  // Already in version order (read from an ordered map); kept as a guarantee.
  auto by_version = [](const Migration& a, const Migration& b) { return a.version < b.version; };
  if (!std::is_sorted(set.migrations.begin(), set.migrations.end(), by_version)) {
    std::sort(set.migrations.begin(), set.migrations.end(), by_version);
  }
  return set;
}

MigrationSet load_migrations(const fs::path& dir) {
  MigrationSet set = read_migration_folder(dir);
  if (set.problems.empty()) return set;
  std::string message = "invalid migrations folder " + dir.string() + ":";
  for (const auto& p : set.problems) {
    message += "\n  ";
    if (p.where) {
      message += p.where->to_string();
    } else {
      for (std::size_t i = 0; i < p.files.size(); ++i) message += (i ? ", " : "") + p.files[i].string();
    }
    message += ": " + p.message;
  }
  throw Error(ErrorKind::usage, message, "fix the files named above; `cairn validate` lists every problem");
}

}  // namespace cairn
