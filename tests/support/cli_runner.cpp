#include "support/cli_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

extern char** environ;

namespace cairn::testing {
namespace {

std::vector<std::string> build_env(const RunEnv& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string key = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (auto& [k, v] : env.vars) replaced |= k == key;
    // The tests choose the database and config explicitly.
    if (key == "CAIRN_DATABASE_URL" || key == "DATABASE_URL" || key == "CAIRN_MIGRATIONS" || key == "CAIRN_CONFIG" ||
        key == "CAIRN_TABLE")
      replaced = true;
    if (!replaced) out.push_back(entry);
  }
  for (auto& [k, v] : env.vars) out.push_back(k + "=" + v);
  return out;
}

void read_all(int out_fd, int err_fd, std::string& out, std::string& err) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open = 2;
  char buf[65536];
  while (open > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? out : err).append(buf, static_cast<std::size_t>(n));
      } else {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
}

void check_no_password(const CliResult& r, const std::vector<std::string>& args) {
  std::string pw = test_password();
  if (pw.empty()) return;
  std::string cmd;
  for (auto& a : args) cmd += " " + a;
  EXPECT_EQ(r.out.find(pw), std::string::npos) << "password printed on stdout by cairn" << cmd;
  EXPECT_EQ(r.err.find(pw), std::string::npos) << "password printed on stderr by cairn" << cmd;
}

}  // namespace

nlohmann::json CliResult::json() const {
  try {
    return nlohmann::json::parse(out);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "stdout is not JSON (" << e.what() << "):\n" << out << "\nstderr:\n" << err;
    return {};
  }
}

std::string test_password() {
  const char* pw = std::getenv("CAIRN_TEST_PG_PASSWORD");
  return pw ? pw : "";
}

CairnProcess::CairnProcess(const std::vector<std::string>& args, const RunEnv& env)
    : CairnProcess(CAIRN_BIN, args, env) {}

CairnProcess::CairnProcess(const std::string& program, const std::vector<std::string>& args, const RunEnv& env) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> env_strings = build_env(env);
  std::vector<char*> argv{const_cast<char*>(program.c_str())};
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    close(out_pipe[0]);
    close(err_pipe[0]);
    if (!env.cwd.empty() && chdir(env.cwd.c_str()) != 0) _exit(126);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  out_fd_ = out_pipe[0];
  err_fd_ = err_pipe[0];
  args_ = args;
}

CairnProcess::~CairnProcess() {
  if (!waited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait();
  }
}

void CairnProcess::kill(int signal) { ::kill(pid_, signal); }

CliResult CairnProcess::wait() {
  CliResult r;
  read_all(out_fd_, err_fd_, r.out, r.err);
  int status = 0;
  waitpid(pid_, &status, 0);
  waited_ = true;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  check_no_password(r, args_);
  return r;
}

CliResult run_cairn(const std::vector<std::string>& args, const RunEnv& env) {
  CairnProcess p(args, env);
  return p.wait();
}

CliResult run_program(const std::string& program, const std::vector<std::string>& args) {
  CairnProcess p(program, args);
  return p.wait();
}

MigrationDir::MigrationDir() {
  auto base = std::filesystem::temp_directory_path() / unique_name("cairn-migrations");
  std::filesystem::create_directories(base);
  path_ = base;
}

MigrationDir::~MigrationDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path MigrationDir::write(const std::string& name, const std::string& content) const {
  auto p = path_ / name;
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << content;
  return p;
}

void MigrationDir::remove(const std::string& name) const { std::filesystem::remove(path_ / name); }

namespace {
class PostgresScratch : public ScratchDatabase {
 public:
  std::string url() const override { return db_.url(); }
  std::unique_ptr<Database> connect() const override { return db_.connect(); }

 private:
  ScratchPostgres db_;
};
class SqliteScratch : public ScratchDatabase {
 public:
  std::string url() const override { return db_.url(); }
  std::unique_ptr<Database> connect() const override { return db_.connect(); }

 private:
  ScratchSqlite db_;
};
}  // namespace

std::unique_ptr<ScratchDatabase> ScratchDatabase::create(Dialect dialect) {
  if (dialect == Dialect::postgres) return std::make_unique<PostgresScratch>();
  return std::make_unique<SqliteScratch>();
}

std::string query_value(Database& db, const std::string& sql) {
  auto rows = db.query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "";
  return *rows[0][0];
}

std::int64_t query_int(Database& db, const std::string& sql) {
  auto v = query_value(db, sql);
  return v.empty() ? 0 : std::stoll(v);
}

void BothDatabases::SetUp() {
  if (GetParam() == Dialect::postgres && !have_postgres()) {
    GTEST_SKIP() << "set CAIRN_TEST_PG_URL to run the PostgreSQL tests";
  }
  db_ = ScratchDatabase::create(GetParam());
}

std::vector<std::string> BothDatabases::base_args() const {
  return {"-d", url(), "-m", dir.str(), "--no-color"};
}

CliResult BothDatabases::cairn(const std::vector<std::string>& args, const RunEnv& env) const {
  auto all = base_args();
  all.insert(all.end(), args.begin(), args.end());
  return run_cairn(all, env);
}

std::string dialect_test_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::postgres ? "postgres" : "sqlite";
}

}  // namespace cairn::testing
